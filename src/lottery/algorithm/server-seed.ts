import { LotteryInputError } from './errors.js';
import { bytesToHex, isLowerHex, sha256Hex } from './text.js';

export const SERVER_SEED_BYTES = 32;

/** `randomBytes` must be a CSPRNG (node:crypto randomBytes, or crypto.getRandomValues). */
export function generateServerSeed(randomBytes: (length: number) => Uint8Array): string {
  const bytes = randomBytes(SERVER_SEED_BYTES);
  if (!(bytes instanceof Uint8Array) || bytes.length !== SERVER_SEED_BYTES) {
    throw new LotteryInputError('invalid_server_seed', `randomBytes must return ${SERVER_SEED_BYTES} bytes`);
  }
  return bytesToHex(bytes);
}

export function isServerSeed(value: string): boolean {
  return isLowerHex(value, SERVER_SEED_BYTES * 2);
}

/** SHA-256 of the 64 ASCII characters of the seed (not of the 32 bytes it encodes). */
export function seedCommitment(serverSeed: string): string {
  if (!isServerSeed(serverSeed)) {
    throw new LotteryInputError('invalid_server_seed', 'serverSeed must be 64 lowercase hex characters');
  }
  return sha256Hex(serverSeed);
}
