import type { OpeningResult } from '../selection/opening.js';
import type { ComparisonWeights, PlanCriterion } from './terms.js';

/** One firm's line of the comparison table; scores in thousandths of a point. */
export interface ComparisonRow {
  firmId: number;
  name: string;
  uscc: string;
  amountFen: number;
  promisedDays: number;
  /** The firm's credit score at the opening, in hundredths of a point (0–10000), and its grade. */
  creditHundredths: number;
  creditGrade: string;
  priceScore: number;
  timeScore: number;
  creditScore: number;
  /** Set by the owner's evaluation. */
  planTenths?: number;
  planScore?: number;
  justification?: string;
  total?: number;
  rank?: number;
}

export interface Comparison {
  weights: ComparisonWeights;
  planCriteria?: PlanCriterion[];
  /** The instant the credit scores were taken (the opening); they never change afterwards. */
  creditAt: string;
  lowestFen: number;
  shortestDays: number;
  rows: ComparisonRow[];
  evaluation?: { evaluatedAt: string; evaluatedBy: number };
}

/** The opening result of a comparison project, with its scoring. */
export type ComparisonResult = OpeningResult & { comparison: Comparison; publishedAt?: string; publicityEndsAt?: string | null };
