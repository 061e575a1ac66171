import type { LotteryCandidate } from './candidates.js';
import { LotteryInputError } from './errors.js';
import { codePointLength, hasLineBreak, isWellFormedText } from './text.js';

export const MAX_ENTROPY_CODE_POINTS = 64;

export type EntropyByUscc = Readonly<Record<string, string>>;

/** Returns the NFC form of a registrant's entropy, or throws if it cannot be used. */
export function normaliseEntropy(raw: string): string {
  if (typeof raw !== 'string' || !isWellFormedText(raw)) {
    throw new LotteryInputError('invalid_entropy', 'entropy must be well-formed Unicode text');
  }
  const normalised = raw.normalize('NFC');
  if (hasLineBreak(normalised)) {
    throw new LotteryInputError('invalid_entropy', 'entropy must not contain a line break');
  }
  if (codePointLength(normalised) > MAX_ENTROPY_CODE_POINTS) {
    throw new LotteryInputError('invalid_entropy', `entropy must be at most ${MAX_ENTROPY_CODE_POINTS} characters after NFC`);
  }
  return normalised;
}

/** Why a stored entropy value is not in canonical form, or null when it is. */
export function entropyProblem(value: string): string | null {
  if (value.length === 0) return 'empty entropy must be omitted, not stored';
  try {
    return normaliseEntropy(value) === value ? null : 'entropy is not in Unicode NFC';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Normalises every entropy value and drops empty ones (an empty field means the registrant gave
 * none). Entropy for a uscc that is not a candidate is an error, not silently ignored.
 */
export function canonicaliseEntropy(
  candidates: readonly LotteryCandidate[],
  entropy: EntropyByUscc,
): Record<string, string> {
  const known = new Set(candidates.map((candidate) => candidate.uscc));
  const result: Record<string, string> = {};
  for (const [uscc, raw] of Object.entries(entropy)) {
    if (!known.has(uscc)) {
      throw new LotteryInputError('unknown_entropy_uscc', `entropy given for ${uscc}, which is not a candidate`);
    }
    const normalised = normaliseEntropy(raw);
    if (normalised.length > 0) result[uscc] = normalised;
  }
  return result;
}

/** `uscc:entropy\n` for each candidate that gave entropy, in the order of `canonicalCandidates`. */
export function entropyLines(canonicalCandidates: readonly LotteryCandidate[], entropy: EntropyByUscc): string {
  let lines = '';
  for (const { uscc } of canonicalCandidates) {
    if (!Object.prototype.hasOwnProperty.call(entropy, uscc)) continue;
    const value = entropy[uscc];
    if (value !== undefined && value.length > 0) lines += `${uscc}:${value}\n`;
  }
  return lines;
}
