import { verifyLotteryRecord, type LotteryRecord, type Mismatch, type MismatchValue } from '../algorithm/index.js';
import { VERIFY_MESSAGES, type VerifyLanguage } from './messages.js';

export type VerifyStatus = 'ok' | 'mismatch';

export interface VerifyReport {
  status: VerifyStatus;
  text: string;
}

export type RecordOutcome =
  | { kind: 'no-record' }
  | { kind: 'not-json' }
  | { kind: 'verified'; record: LotteryRecord }
  | { kind: 'mismatch'; mismatch: Mismatch };

/** Parses the embedded JSON and re-runs the whole draw with the shared algorithm code. */
export function verifyRecordText(jsonText: string | null | undefined): RecordOutcome {
  if (jsonText === null || jsonText === undefined || jsonText.trim() === '') return { kind: 'no-record' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonText);
  } catch {
    return { kind: 'not-json' };
  }
  const result = verifyLotteryRecord(parsed);
  return result.ok ? { kind: 'verified', record: parsed as LotteryRecord } : { kind: 'mismatch', mismatch: result.mismatch };
}

function shown(value: MismatchValue): string {
  return value === null ? '—' : String(value);
}

export function describeOutcome(outcome: RecordOutcome, language: VerifyLanguage): VerifyReport {
  const messages = VERIFY_MESSAGES[language];
  switch (outcome.kind) {
    case 'no-record':
      return { status: 'mismatch', text: messages.noRecord };
    case 'not-json':
      return { status: 'mismatch', text: messages.notJson };
    case 'verified': {
      const { record } = outcome;
      const lines = [messages.consistent(record.candidates.length, record.winners.length)];
      if (record.algorithm === 'lottery-v1' && record.weakSource) lines.push(messages.weakSource);
      return { status: 'ok', text: lines.join('\n') };
    }
    case 'mismatch': {
      const { mismatch } = outcome;
      const position = mismatch.position === undefined ? '' : messages.atRank(mismatch.position + 1);
      const lines = [`${messages.mismatchTitle}${messages.checks[mismatch.check]}${position}`];
      if (mismatch.expected !== null || mismatch.actual !== null) lines.push(messages.expectedActual(shown(mismatch.expected), shown(mismatch.actual)));
      lines.push(mismatch.message);
      return { status: 'mismatch', text: lines.join('\n') };
    }
  }
}
