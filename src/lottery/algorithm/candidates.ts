import { LotteryInputError } from './errors.js';
import { compareUtf8, hasLineBreak, isWellFormedText, sha256Hex } from './text.js';

export interface LotteryCandidate {
  uscc: string;
  weight: number;
  name?: string;
}

/** `uniformInt` draws below 2^32, so the sum of all weights must fit under it. */
export const MAX_TOTAL_WEIGHT = 2 ** 32 - 1;

export function compareUscc(a: string, b: string): number {
  return compareUtf8(a, b);
}

export function validateCandidate(candidate: LotteryCandidate): void {
  const { uscc, weight } = candidate;
  if (typeof uscc !== 'string' || uscc.length === 0) {
    throw new LotteryInputError('invalid_candidate', 'uscc must be a non-empty string');
  }
  if (uscc.includes(':') || hasLineBreak(uscc) || !isWellFormedText(uscc)) {
    throw new LotteryInputError('invalid_candidate', `uscc ${JSON.stringify(uscc)} must not contain ':' or a line break`);
  }
  if (!Number.isSafeInteger(weight) || weight < 1) {
    throw new LotteryInputError('invalid_candidate', `weight of ${uscc} must be a positive integer, got ${String(weight)}`);
  }
}

export function totalWeight(candidates: readonly LotteryCandidate[]): number {
  let total = 0;
  for (const candidate of candidates) total += candidate.weight;
  return total;
}

export function assertTotalWeight(candidates: readonly LotteryCandidate[]): void {
  const total = totalWeight(candidates);
  if (total > MAX_TOTAL_WEIGHT) {
    throw new LotteryInputError(
      'total_weight_too_large',
      `total weight ${total} exceeds 2^32 − 1 (${MAX_TOTAL_WEIGHT}); lower the weights`,
    );
  }
}

/** Validates and returns a copy sorted by uscc in UTF-8 byte order (the order every hash and draw uses). */
export function canonicaliseCandidates(candidates: readonly LotteryCandidate[]): LotteryCandidate[] {
  candidates.forEach(validateCandidate);
  const sorted = candidates.map((candidate) => ({ ...candidate })).sort((a, b) => compareUscc(a.uscc, b.uscc));
  for (let i = 1; i < sorted.length; i += 1) {
    if (sorted[i - 1]!.uscc === sorted[i]!.uscc) {
      throw new LotteryInputError('duplicate_uscc', `uscc ${sorted[i]!.uscc} appears more than once`);
    }
  }
  assertTotalWeight(sorted);
  return sorted;
}

/** Index of the first candidate out of strictly ascending byte order, or -1 when canonical. */
export function firstNonCanonicalIndex(candidates: readonly LotteryCandidate[]): number {
  for (let i = 1; i < candidates.length; i += 1) {
    if (compareUscc(candidates[i - 1]!.uscc, candidates[i]!.uscc) >= 0) return i;
  }
  return -1;
}

export function candidatesLines(canonicalCandidates: readonly LotteryCandidate[]): string {
  return canonicalCandidates.map(({ uscc, weight }) => `${uscc}:${weight}\n`).join('');
}

/** Hash over the candidates in the order given: pass the canonical (sorted) list. */
export function candidatesHash(canonicalCandidates: readonly LotteryCandidate[]): string {
  return sha256Hex(candidatesLines(canonicalCandidates));
}
