export { LotteryInputError, type LotteryInputErrorCode } from './errors.js';
export { generateServerSeed, isServerSeed, seedCommitment, SERVER_SEED_BYTES } from './server-seed.js';
export {
  assertTotalWeight,
  candidatesHash,
  candidatesLines,
  canonicaliseCandidates,
  compareUscc,
  firstNonCanonicalIndex,
  MAX_TOTAL_WEIGHT,
  totalWeight,
  validateCandidate,
  type LotteryCandidate,
} from './candidates.js';
export {
  canonicaliseEntropy,
  entropyLines,
  entropyProblem,
  MAX_ENTROPY_CODE_POINTS,
  normaliseEntropy,
  type EntropyByUscc,
} from './entropy.js';
export { deriveSeedHex, LOTTERY_V1, seedMaterial, validateSeedInputs, type SeedInputs } from './seed.js';
export { createDrawRng, MAX_UNIFORM_RANGE, uniformInt, type Int32Source } from './uniform-int.js';
export { drawOrder, drawOrderFenwick, drawOrderLinear, FENWICK_THRESHOLD } from './draw-order.js';
export { drawUsccOrder, runLotteryV1, type LotteryV1Input, type LotteryV1Result } from './lottery-v1.js';
export {
  checkQuicknetBeacon,
  DrandVerificationError,
  fetchVerifiedBeacon,
  firstRoundAfter,
  QUICKNET_CHAIN_INFO,
  QUICKNET_DST,
  quicknetMessage,
  RecordedDrandClient,
  roundAt,
  timeOfRound,
  verifyQuicknetBeacon,
  type BeaconCheck,
  type DrandBeacon,
  type DrandClient,
} from './drand.js';
export {
  declareDrandRound,
  externalFromBeacon,
  externalFromManualFigure,
  isWeakSource,
  NO_EXTERNAL_SOURCE,
  type ExternalSourceDeclaration,
  type ExternalSourceValue,
} from './external-source.js';
export {
  bigEndianRemainder,
  RFC3797,
  RFC3797_MAX_POOL,
  rfc3797Digest,
  rfc3797Key,
  rfc3797Select,
  rfc3797SourceKey,
  rfc3797TextSource,
  runRfc3797Lottery,
  type Rfc3797LotteryInput,
  type Rfc3797LotteryResult,
  type Rfc3797Row,
  type Rfc3797Source,
} from './rfc3797.js';
export {
  createLotteryV1Record,
  createRfc3797Record,
  type LotteryRecord,
  type LotteryV1Record,
  type LotteryV1RecordInput,
  type Rfc3797Record,
  type Rfc3797RecordInput,
} from './record.js';
export { parseRecordShape, type RecordShapeResult } from './record-schema.js';
export { verifyLotteryRecord } from './verify-record.js';
export type { Mismatch, MismatchCheck, MismatchValue, VerificationResult } from './verification.js';
export { compareUtf8, sha256Hex } from './text.js';
