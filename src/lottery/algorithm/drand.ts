import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { bytesToHex, isLowerHex } from './text.js';

export interface DrandBeacon {
  round: number;
  /** 48-byte compressed G1 signature, lowercase hex. */
  signature: string;
  /** sha256(signature bytes), lowercase hex. */
  randomness: string;
}

/** League of Entropy quicknet, pinned so a verifier never trusts a key served with the beacon. */
export const QUICKNET_CHAIN_INFO = Object.freeze({
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  periodSeconds: 3,
  genesisTime: 1692803367,
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  groupHash: 'f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e',
  schemeId: 'bls-unchained-g1-rfc9380',
  beaconId: 'quicknet',
});

export const QUICKNET_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

export type BeaconCheck = { ok: true } | { ok: false; error: string };

/** Unchained scheme: the signed message is sha256 of the round as an 8-byte big-endian integer. */
export function quicknetMessage(round: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(round / 2 ** 32));
  view.setUint32(4, round >>> 0);
  return sha256(bytes);
}

export function checkQuicknetBeacon(beacon: DrandBeacon): BeaconCheck {
  const { round, signature, randomness } = beacon;
  if (!Number.isSafeInteger(round) || round < 1) return { ok: false, error: `round must be a positive integer, got ${String(round)}` };
  if (typeof signature !== 'string' || !isLowerHex(signature, 96)) {
    return { ok: false, error: 'signature must be 96 lowercase hex characters (48-byte compressed G1 point)' };
  }
  if (typeof randomness !== 'string' || !isLowerHex(randomness, 64)) {
    return { ok: false, error: 'randomness must be 64 lowercase hex characters' };
  }
  const signatureBytes = hexToBytes(signature);
  if (bytesToHex(sha256(signatureBytes)) !== randomness) {
    return { ok: false, error: `randomness of round ${round} is not sha256(signature)` };
  }
  try {
    const message = bls12_381.shortSignatures.hash(quicknetMessage(round), QUICKNET_DST);
    const valid = bls12_381.shortSignatures.verify(signatureBytes, message, hexToBytes(QUICKNET_CHAIN_INFO.publicKey));
    return valid ? { ok: true } : { ok: false, error: `signature does not verify for round ${round} against the quicknet key` };
  } catch (error) {
    return { ok: false, error: `signature is not a valid G1 point: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export class DrandVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrandVerificationError';
  }
}

/** Throws DrandVerificationError naming what is wrong with the beacon. */
export function verifyQuicknetBeacon(beacon: DrandBeacon): void {
  const result = checkQuicknetBeacon(beacon);
  if (!result.ok) throw new DrandVerificationError(result.error);
}

/** Latest round published at `timeMs` (0 before genesis). Round 1 is at genesis. */
export function roundAt(timeMs: number): number {
  const elapsedSeconds = Math.floor(timeMs / 1000) - QUICKNET_CHAIN_INFO.genesisTime;
  if (elapsedSeconds < 0) return 0;
  return Math.floor(elapsedSeconds / QUICKNET_CHAIN_INFO.periodSeconds) + 1;
}

/** Publication time of `round` in epoch milliseconds: genesis + (round − 1) · period. */
export function timeOfRound(round: number): number {
  if (!Number.isSafeInteger(round) || round < 1) throw new RangeError(`round must be a positive integer, got ${String(round)}`);
  return (QUICKNET_CHAIN_INFO.genesisTime + (round - 1) * QUICKNET_CHAIN_INFO.periodSeconds) * 1000;
}

/** First round published strictly after `timeMs`: what to declare when committing at that time. */
export function firstRoundAfter(timeMs: number): number {
  return roundAt(timeMs) + 1;
}

export interface DrandClient {
  /** The beacon for `round`, or null while that round has not been published yet. */
  fetchRound(round: number): Promise<DrandBeacon | null>;
}

/** Serves beacons recorded earlier (tests, demos, offline re-runs). */
export class RecordedDrandClient implements DrandClient {
  private readonly beacons = new Map<number, DrandBeacon>();

  constructor(beacons: readonly DrandBeacon[]) {
    for (const beacon of beacons) this.beacons.set(beacon.round, { ...beacon });
  }

  async fetchRound(round: number): Promise<DrandBeacon | null> {
    const beacon = this.beacons.get(round);
    return beacon ? { ...beacon } : null;
  }
}

/** Fetches a round and refuses it unless it is that round and verifies against the pinned key. */
export async function fetchVerifiedBeacon(client: DrandClient, round: number): Promise<DrandBeacon | null> {
  const beacon = await client.fetchRound(round);
  if (beacon === null) return null;
  if (beacon.round !== round) throw new DrandVerificationError(`asked for round ${round}, got round ${beacon.round}`);
  verifyQuicknetBeacon(beacon);
  return beacon;
}
