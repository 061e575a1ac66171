import { parseRecordShape } from './record-schema.js';
import { MismatchFound, type VerificationResult } from './verification.js';
import { checkLotteryV1Record } from './verify-lottery-v1.js';
import { checkRfc3797Record } from './verify-rfc3797.js';

/**
 * Re-runs a public draw record and names the first inconsistency, in the order format,
 * commitment, candidatesHash, entropy, seed, order, winners. Never throws: anything it cannot
 * make sense of is a `format` mismatch.
 */
export function verifyLotteryRecord(input: unknown): VerificationResult {
  try {
    const shape = parseRecordShape(input);
    if (!shape.ok) {
      const field = shape.field === '' ? {} : { field: shape.field };
      return { ok: false, mismatch: { check: 'format', ...field, expected: null, actual: null, message: shape.message } };
    }
    if (shape.record.algorithm === 'lottery-v1') checkLotteryV1Record(shape.record);
    else checkRfc3797Record(shape.record);
    return { ok: true };
  } catch (error) {
    if (error instanceof MismatchFound) return { ok: false, mismatch: error.mismatch };
    return {
      ok: false,
      mismatch: {
        check: 'format',
        expected: null,
        actual: null,
        message: `the record could not be checked: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}
