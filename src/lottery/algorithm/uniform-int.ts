import seedrandom from 'seedrandom';
import { LotteryInputError } from './errors.js';

/** The part of a seedrandom generator the draw uses. */
export interface Int32Source {
  int32(): number;
}

const TWO_POW_32 = 2 ** 32;
export const MAX_UNIFORM_RANGE = TWO_POW_32 - 1;

/** seedrandom's default ARC4 generator keyed by the seed string (never a number, no options). */
export function createDrawRng(seedHex: string): Int32Source {
  if (typeof seedHex !== 'string') throw new TypeError('seedHex must be a string');
  return seedrandom(seedHex);
}

/**
 * Uniform integer in [0, n) by rejection sampling (§7 step 5). Every quantity stays below 2^53,
 * so plain number arithmetic is exact for any n up to 2^32 − 1.
 */
export function uniformInt(rng: Int32Source, n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_UNIFORM_RANGE) {
    throw new LotteryInputError('invalid_range', `uniformInt needs an integer n in [1, 2^32 − 1], got ${String(n)}`);
  }
  const limit = TWO_POW_32 - (TWO_POW_32 % n);
  for (;;) {
    const x = rng.int32() >>> 0;
    if (x < limit) return x % n;
  }
}
