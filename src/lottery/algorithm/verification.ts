export type MismatchCheck = 'commitment' | 'candidatesHash' | 'entropy' | 'seed' | 'order' | 'winners' | 'format';

export type MismatchValue = string | number | boolean | null;

/**
 * The first check that failed. `expected` is what re-running the algorithm from the record's
 * inputs gives; `actual` is what the record states.
 */
export interface Mismatch {
  check: MismatchCheck;
  /** 0-based index into `order`, `winners` or `candidates` where the first difference is (messages say rank = position + 1). */
  position?: number;
  /** Dotted path of the record field concerned, when one field is to blame. */
  field?: string;
  expected: MismatchValue;
  actual: MismatchValue;
  message: string;
}

export type VerificationResult = { ok: true } | { ok: false; mismatch: Mismatch };

/** Raised inside a check to stop at the first mismatch; never escapes verifyLotteryRecord. */
export class MismatchFound extends Error {
  constructor(readonly mismatch: Mismatch) {
    super(mismatch.message);
    this.name = 'MismatchFound';
  }
}

export function fail(mismatch: Mismatch): never {
  throw new MismatchFound(mismatch);
}

/** Index of the first position where the lists differ (including one being shorter), or -1. */
export function firstDifference(expected: readonly string[], actual: readonly string[]): number {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i += 1) {
    if (expected[i] !== actual[i]) return i;
  }
  return -1;
}

export function compareLists(check: 'order' | 'winners', expected: readonly string[], actual: readonly string[]): void {
  const position = firstDifference(expected, actual);
  if (position === -1) return;
  fail({
    check,
    position,
    field: `${check}.${position}`,
    expected: expected[position] ?? null,
    actual: actual[position] ?? null,
    message:
      position >= expected.length
        ? `${check} has ${actual.length} entries but re-running the draw gives ${expected.length}`
        : position >= actual.length
          ? `${check} stops after ${actual.length} entries but re-running the draw gives ${expected.length}`
          : `${check} differs at rank ${position + 1}: re-running the draw gives ${expected[position]}, the record says ${actual[position]}`,
  });
}
