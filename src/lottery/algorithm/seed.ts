import { LotteryInputError } from './errors.js';
import { isServerSeed } from './server-seed.js';
import { hasLineBreak, isLowerHex, isWellFormedText, sha256Hex } from './text.js';

export const LOTTERY_V1 = 'lottery-v1';

export interface SeedInputs {
  lotteryId: string;
  candidatesHash: string;
  serverSeed: string;
  /** Value of the declared external source; '' for source `none`. */
  external: string;
  entropyLines: string;
}

/** Every field but entropyLines sits on its own line, so none may contain a line break. */
export function validateSeedInputs(inputs: SeedInputs): void {
  const { lotteryId, candidatesHash, serverSeed, external, entropyLines } = inputs;
  if (typeof lotteryId !== 'string' || lotteryId.length === 0 || hasLineBreak(lotteryId) || !isWellFormedText(lotteryId)) {
    throw new LotteryInputError('invalid_seed_input', 'lotteryId must be non-empty text without line breaks');
  }
  if (typeof candidatesHash !== 'string' || !isLowerHex(candidatesHash, 64)) {
    throw new LotteryInputError('invalid_seed_input', 'candidatesHash must be 64 lowercase hex characters');
  }
  if (typeof serverSeed !== 'string' || !isServerSeed(serverSeed)) {
    throw new LotteryInputError('invalid_server_seed', 'serverSeed must be 64 lowercase hex characters');
  }
  if (typeof external !== 'string' || hasLineBreak(external) || !isWellFormedText(external)) {
    throw new LotteryInputError('invalid_seed_input', 'external must be text without line breaks');
  }
  if (typeof entropyLines !== 'string' || !isWellFormedText(entropyLines)) {
    throw new LotteryInputError('invalid_seed_input', 'entropyLines must be well-formed text');
  }
}

/** The exact text whose UTF-8 bytes are hashed into seedHex (§7 step 4). */
export function seedMaterial(inputs: SeedInputs): string {
  validateSeedInputs(inputs);
  const { lotteryId, candidatesHash, serverSeed, external, entropyLines } = inputs;
  return `${LOTTERY_V1}\n${lotteryId}\n${candidatesHash}\n${serverSeed}\n${external}\n${entropyLines}`;
}

export function deriveSeedHex(inputs: SeedInputs): string {
  return sha256Hex(seedMaterial(inputs));
}
