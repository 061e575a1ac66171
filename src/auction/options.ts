import { AppError } from '../platform/errors.js';
import type { ProjectTerms } from '../projects/schemas.js';

export interface BiddingOptions {
  rounds: number;
  turnSeconds: number;
  minStepFen: number;
  allowSingleBid: boolean;
}

export const DEFAULT_ROUNDS = 3;
export const DEFAULT_TURN_SECONDS = 120;
const BIDDING_KEYS = ['rounds', 'turnSeconds', 'minStepFen', 'allowSingleBid'] as const;

/** 1 % of the budget, rounded up: inside the allowed 0.5 %–3 % for any budget of 34 fen or more. */
export const defaultMinStepFen = (budgetFen: number) => Math.ceil(budgetFen / 100);

/** 0.5 %–3 % of the budget, both ends included, in integer arithmetic. */
export const minStepAllowed = (minStepFen: number, budgetFen: number) => minStepFen * 1000 >= budgetFen * 5 && minStepFen * 100 <= budgetFen * 3;

function invalid(path: string, message: string): AppError {
  return new AppError(400, 'invalid_terms', message, [{ path, message }]);
}

/** Bidding options only on a bidding project; the step must fit the budget. */
export function checkBiddingTerms(terms: ProjectTerms): void {
  const options = terms.options as Partial<BiddingOptions>;
  if (terms.method !== 'bidding') {
    const stray = BIDDING_KEYS.find((key) => options[key] !== undefined);
    if (stray) throw invalid(`options.${stray}`, `${stray} applies to the bidding method only`);
    return;
  }
  const step = options.minStepFen ?? defaultMinStepFen(terms.budgetFen);
  if (!minStepAllowed(step, terms.budgetFen)) {
    throw invalid('options.minStepFen', `minStepFen must be 0.5 %–3 % of the budget (${Math.ceil(terms.budgetFen * 5 / 1000)}–${Math.floor(terms.budgetFen * 3 / 100)} fen)`);
  }
}

/** The project's bidding options with their defaults. */
export function biddingOptionsOf(project: { options: unknown; budgetFen: number }): BiddingOptions {
  const options = (project.options ?? {}) as Partial<BiddingOptions>;
  return {
    rounds: options.rounds ?? DEFAULT_ROUNDS,
    turnSeconds: options.turnSeconds ?? DEFAULT_TURN_SECONDS,
    minStepFen: options.minStepFen ?? defaultMinStepFen(project.budgetFen),
    allowSingleBid: options.allowSingleBid ?? false,
  };
}
