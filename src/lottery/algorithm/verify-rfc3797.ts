import { LotteryInputError } from './errors.js';
import type { Rfc3797Record } from './record.js';
import { RFC3797_MAX_POOL, rfc3797Key, rfc3797Select } from './rfc3797.js';
import { compareLists, fail } from './verification.js';
import { checkCandidates, checkNotAfter, checkWinners } from './verify-shared.js';

export function checkRfc3797Record(record: Rfc3797Record): void {
  const declared = { field: 'sourcesDeclaredAt', value: record.sourcesDeclaredAt };
  if (record.registrationClosedAt !== undefined) {
    checkNotAfter(declared, { field: 'registrationClosedAt', value: record.registrationClosedAt }, 'commitment');
  }
  checkNotAfter(declared, { field: 'drawnAt', value: record.drawnAt }, 'commitment');
  checkCandidates(record.candidates, record.candidatesHash);
  checkUnweightedPool(record);
  const key = checkKey(record);
  const order = rfc3797Select(record.candidates.map((candidate) => candidate.uscc), key).selected;
  compareLists('order', order, record.order);
  checkWinners(order, record.winnerCount, record.winners);
}

function checkUnweightedPool(record: Rfc3797Record): void {
  const position = record.candidates.findIndex((candidate) => candidate.weight !== 1);
  if (position !== -1) {
    fail({
      check: 'candidatesHash',
      position,
      field: `candidates.${position}.weight`,
      expected: 1,
      actual: record.candidates[position]!.weight,
      message: 'RFC 3797 draws are unweighted: every weight must be 1',
    });
  }
  if (record.candidates.length > RFC3797_MAX_POOL) {
    fail({
      check: 'candidatesHash',
      field: 'candidates',
      expected: RFC3797_MAX_POOL,
      actual: record.candidates.length,
      message: `RFC 3797 handles at most ${RFC3797_MAX_POOL} candidates`,
    });
  }
}

function checkKey(record: Rfc3797Record): string {
  let key: string;
  try {
    key = rfc3797Key(record.sources);
  } catch (error) {
    if (!(error instanceof LotteryInputError)) throw error;
    return fail({ check: 'seed', field: 'sources', expected: null, actual: null, message: error.message });
  }
  if (key !== record.key) {
    fail({ check: 'seed', field: 'key', expected: key, actual: record.key, message: 'key is not the canonical form of the recorded sources' });
  }
  return key;
}
