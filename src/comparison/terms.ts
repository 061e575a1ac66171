import { AppError } from '../platform/errors.js';
import type { ProjectTerms } from '../projects/schemas.js';

export interface ComparisonWeights {
  price: number;
  credit: number;
  time: number;
  plan: number;
}

export interface PlanCriterion {
  criterion: string;
  maxPoints: number;
}

const invalid = (path: string, message: string) => new AppError(400, 'invalid_terms', message, [{ path, message }]);

/**
 * 网上比选 terms: the weights are required, integers summing to 100; the published plan
 * criteria, when given, share out exactly the plan's points. Other methods take neither.
 */
export function checkComparisonTerms(terms: Pick<ProjectTerms, 'method' | 'options'>): void {
  const { weights, planCriteria } = terms.options;
  if (terms.method !== 'comparison') {
    if (weights) throw invalid('options.weights', `Method ${terms.method} takes no scoring weights`);
    if (planCriteria) throw invalid('options.planCriteria', `Method ${terms.method} takes no plan criteria`);
    return;
  }
  if (!weights) throw invalid('options.weights', 'A comparison needs weights {price, credit, time, plan} summing to 100');
  const sum = weights.price + weights.credit + weights.time + weights.plan;
  if (sum !== 100) throw invalid('options.weights', `The weights must sum to 100 (they sum to ${sum})`);
  if (planCriteria) {
    if (weights.plan === 0) throw invalid('options.planCriteria', 'The plan carries no points, so it takes no criteria');
    const points = planCriteria.reduce((total, item) => total + item.maxPoints, 0);
    if (points !== weights.plan) throw invalid('options.planCriteria', `The criteria's points must add up to the plan's weight ${weights.plan} (they add up to ${points})`);
  }
}
