import { assertTotalWeight, candidatesHash, firstNonCanonicalIndex, validateCandidate, type LotteryCandidate } from './candidates.js';
import { LotteryInputError } from './errors.js';
import { compareLists, fail } from './verification.js';

/** Candidate list valid, in canonical order, and hashing to the recorded candidatesHash. */
export function checkCandidates(candidates: readonly LotteryCandidate[], recordedHash: string): void {
  candidates.forEach((candidate, position) => {
    try {
      validateCandidate(candidate);
    } catch (error) {
      fail({
        check: 'candidatesHash',
        position,
        field: `candidates.${position}`,
        expected: null,
        actual: candidate.uscc,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  });
  const position = firstNonCanonicalIndex(candidates);
  if (position !== -1) {
    fail({
      check: 'candidatesHash',
      position,
      field: `candidates.${position}`,
      expected: null,
      actual: candidates[position]!.uscc,
      message: `candidates must be listed once each in ascending byte order of uscc; ${candidates[position]!.uscc} is out of place`,
    });
  }
  try {
    assertTotalWeight(candidates);
  } catch (error) {
    if (!(error instanceof LotteryInputError)) throw error;
    fail({ check: 'candidatesHash', field: 'candidates', expected: null, actual: null, message: error.message });
  }
  const hash = candidatesHash(candidates);
  if (hash !== recordedHash) {
    fail({
      check: 'candidatesHash',
      field: 'candidatesHash',
      expected: hash,
      actual: recordedHash,
      message: 'candidatesHash does not match the listed candidates and weights',
    });
  }
}

export function checkWinners(order: readonly string[], winnerCount: number, winners: readonly string[]): void {
  compareLists('winners', order.slice(0, winnerCount), winners);
}

/** `earlier` must not be after `later`; both are validated ISO timestamps. */
export function checkNotAfter(
  earlier: { field: string; value: string },
  later: { field: string; value: string },
  check: 'commitment',
): void {
  if (Date.parse(earlier.value) <= Date.parse(later.value)) return;
  fail({
    check,
    field: earlier.field,
    expected: `not after ${later.value}`,
    actual: earlier.value,
    message: `${earlier.field} (${earlier.value}) is after ${later.field} (${later.value})`,
  });
}
