/**
 * 网上比选 arithmetic. Every score is an integer number of thousandths of a point (milli-points):
 * each partial score is one exact rational rounded half-up once, and a total is the plain sum of
 * its parts, so what the table prints always adds up and no floating point is involved.
 */
import type { ComparisonWeights } from './terms.js';

/** Thousandths of a point per point. */
export const MILLI = 1000;

/** round(numerator / denominator) with halves going up, for non-negative integers, exactly. */
export function divideHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((2n * numerator + denominator) / (2n * denominator));
}

/** weight × lowest ÷ price: the lowest valid price gets the full weight. */
export const priceScore = (weight: number, lowestFen: number, amountFen: number): number =>
  // a 100 % discount quotes zero: it is then the lowest price and takes the full weight
  amountFen === 0 ? weight * MILLI : divideHalfUp(BigInt(weight) * BigInt(MILLI) * BigInt(lowestFen), BigInt(amountFen));

/** weight × shortest ÷ days: the shortest promised time gets the full weight. */
export const timeScore = (weight: number, shortestDays: number, promisedDays: number): number =>
  divideHalfUp(BigInt(weight) * BigInt(MILLI) * BigInt(shortestDays), BigInt(promisedDays));

/** weight × credit score ÷ 100, the credit score given in hundredths of a point (0–10000). */
export const creditScore = (weight: number, creditHundredths: number): number =>
  divideHalfUp(BigInt(weight) * BigInt(MILLI) * BigInt(creditHundredths), 10_000n);

/** The owner's plan points are given to one decimal place: tenths → thousandths, exactly. */
export const planScore = (planTenths: number): number => planTenths * 100;

/** A plan score as typed (e.g. 27.5) to tenths, or undefined if it has more than one decimal. */
export function toTenths(points: number): number | undefined {
  const tenths = Math.round(points * 10);
  return Math.abs(points * 10 - tenths) < 1e-6 ? tenths : undefined;
}

/** 38462 → "38.462". */
export function formatMilli(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const value = Math.abs(milli);
  return `${sign}${Math.floor(value / MILLI)}.${String(value % MILLI).padStart(3, '0')}`;
}

/** 8550 hundredths → "85.50". */
export const formatHundredths = (hundredths: number): string => `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;

export interface AutomaticInput {
  firmId: number;
  amountFen: number;
  promisedDays: number;
  creditHundredths: number;
}

export interface AutomaticScores {
  priceScore: number;
  timeScore: number;
  creditScore: number;
}

/** Price, time and credit scores of every valid proposal, all in milli-points. */
export function automaticScores(weights: ComparisonWeights, proposals: AutomaticInput[]): Map<number, AutomaticScores> {
  const lowestFen = Math.min(...proposals.map((p) => p.amountFen));
  const shortestDays = Math.min(...proposals.map((p) => p.promisedDays));
  return new Map(
    proposals.map((p) => [
      p.firmId,
      {
        priceScore: priceScore(weights.price, lowestFen, p.amountFen),
        timeScore: timeScore(weights.time, shortestDays, p.promisedDays),
        creditScore: creditScore(weights.credit, p.creditHundredths),
      },
    ]),
  );
}
