import type { LotteryCandidate } from './candidates.js';
import { LotteryInputError } from './errors.js';
import type { ExternalSourceValue } from './external-source.js';
import { isWeakSource } from './external-source.js';
import { runLotteryV1 } from './lottery-v1.js';
import { runRfc3797Lottery, type Rfc3797Source } from './rfc3797.js';
import { seedCommitment } from './server-seed.js';
import { verifyLotteryRecord } from './verify-record.js';

/** ISO 8601 timestamps with a zone, e.g. 2025-03-01T09:00:00.000Z. */
type Timestamp = string;

/** The public draw record of a `lottery-v1` draw: everything needed to re-run it. */
export interface LotteryV1Record {
  algorithm: 'lottery-v1';
  lotteryId: string;
  /** In canonical order (uscc ascending by UTF-8 bytes). */
  candidates: LotteryCandidate[];
  candidatesHash: string;
  seedCommitment: string;
  commitmentPublishedAt: Timestamp;
  registrationClosedAt?: Timestamp;
  /** Revealed at the draw; sha256hex(serverSeed) must equal seedCommitment. */
  serverSeed: string;
  /** NFC entropy by uscc, only for candidates that gave one. */
  entropy: Record<string, string>;
  external: ExternalSourceValue;
  /** True exactly when the declared external source is `none`. */
  weakSource: boolean;
  seedHex: string;
  /** Every candidate's uscc in drawn order: winners first, then ranked alternates. */
  order: string[];
  winnerCount: number;
  winners: string[];
  drawnAt: Timestamp;
}

/** The public draw record of an `rfc3797` draw. */
export interface Rfc3797Record {
  algorithm: 'rfc3797';
  lotteryId: string;
  /** In canonical order; the RFC's numbered pool is this list numbered from 1. All weights are 1. */
  candidates: LotteryCandidate[];
  candidatesHash: string;
  /** Which future public results will be used, in which order, as announced in advance. */
  sourcesDeclaration: string;
  sourcesDeclaredAt: Timestamp;
  registrationClosedAt?: Timestamp;
  sources: Rfc3797Source[];
  key: string;
  order: string[];
  winnerCount: number;
  winners: string[];
  drawnAt: Timestamp;
}

export type LotteryRecord = LotteryV1Record | Rfc3797Record;

export interface LotteryV1RecordInput {
  lotteryId: string;
  candidates: readonly LotteryCandidate[];
  serverSeed: string;
  /** As published at commitment time; the draw is refused if serverSeed does not match it. */
  seedCommitment: string;
  commitmentPublishedAt: Timestamp;
  registrationClosedAt?: Timestamp;
  entropy: Readonly<Record<string, string>>;
  external: ExternalSourceValue;
  winners: number;
  drawnAt: Timestamp;
}

/** Refuses to produce a record that would not verify, so an inconsistent draw is never published. */
function assertVerifies<T extends LotteryRecord>(record: T): T {
  const verification = verifyLotteryRecord(record);
  if (!verification.ok) {
    throw new LotteryInputError('record_does_not_verify', `the draw record would not verify: ${verification.mismatch.message}`);
  }
  return record;
}

export function createLotteryV1Record(input: LotteryV1RecordInput): LotteryV1Record {
  if (seedCommitment(input.serverSeed) !== input.seedCommitment) {
    throw new LotteryInputError('commitment_mismatch', 'serverSeed does not match the published seedCommitment');
  }
  const result = runLotteryV1({
    lotteryId: input.lotteryId,
    candidates: input.candidates,
    serverSeed: input.serverSeed,
    external: input.external.value,
    entropy: input.entropy,
    winners: input.winners,
  });
  return assertVerifies({
    algorithm: 'lottery-v1',
    lotteryId: input.lotteryId,
    candidates: result.candidates,
    candidatesHash: result.candidatesHash,
    seedCommitment: input.seedCommitment,
    commitmentPublishedAt: input.commitmentPublishedAt,
    ...(input.registrationClosedAt === undefined ? {} : { registrationClosedAt: input.registrationClosedAt }),
    serverSeed: input.serverSeed,
    entropy: result.entropy,
    external: input.external,
    weakSource: isWeakSource(input.external.declaration),
    seedHex: result.seedHex,
    order: result.order,
    winnerCount: input.winners,
    winners: result.winners,
    drawnAt: input.drawnAt,
  });
}

export interface Rfc3797RecordInput {
  lotteryId: string;
  candidates: readonly LotteryCandidate[];
  sourcesDeclaration: string;
  sourcesDeclaredAt: Timestamp;
  registrationClosedAt?: Timestamp;
  sources: readonly Rfc3797Source[];
  winners: number;
  drawnAt: Timestamp;
}

export function createRfc3797Record(input: Rfc3797RecordInput): Rfc3797Record {
  const result = runRfc3797Lottery(input);
  return assertVerifies({
    algorithm: 'rfc3797',
    lotteryId: input.lotteryId,
    candidates: result.candidates,
    candidatesHash: result.candidatesHash,
    sourcesDeclaration: input.sourcesDeclaration,
    sourcesDeclaredAt: input.sourcesDeclaredAt,
    ...(input.registrationClosedAt === undefined ? {} : { registrationClosedAt: input.registrationClosedAt }),
    sources: input.sources.map((source) => ('text' in source ? { text: source.text } : { numbers: [...source.numbers] })),
    key: result.key,
    order: result.order,
    winnerCount: input.winners,
    winners: result.winners,
    drawnAt: input.drawnAt,
  });
}
