import { canonicalJson } from '../platform/canonical-json.js';
import { ed25519PublicKey, ed25519Sign, ed25519Verify, type Ed25519Key } from '../platform/ed25519.js';
import { sha256hex } from '../platform/hash.js';

/**
 * The signed checkpoint format, shared by the server that signs and the verifier that checks
 * (scripts/verify-audit.ts); nothing here reads a database. A checkpoint states: "the audit
 * chain's event `seq` has link hash `hash`", signed with Ed25519 at `signedAt`.
 */

export const CHECKPOINT_FORMAT_VERSION = 1;
export const CHECKPOINT_ALGORITHM = 'Ed25519';
export const CHECKPOINT_REASONS = ['interval', 'opening'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

/** What is signed. `signedAt` is a UTC ISO 8601 string with milliseconds, e.g. 2026-11-25T01:10:00.000Z. */
export interface CheckpointStatement {
  seq: number;
  hash: string;
  signedAt: string;
}

export interface SignedCheckpoint extends CheckpointStatement {
  reason: CheckpointReason;
  keyId: string;
  /** Ed25519 signature of the statement bytes, base64. */
  signature: string;
}

/** The exact bytes signed: UTF-8 of canonical JSON of `{v: 1, seq, hash, signedAt}`. */
export const checkpointStatement = (checkpoint: CheckpointStatement): Buffer =>
  Buffer.from(canonicalJson({ v: CHECKPOINT_FORMAT_VERSION, seq: checkpoint.seq, hash: checkpoint.hash, signedAt: checkpoint.signedAt }), 'utf8');

/** The first 16 hex characters of SHA-256 of the raw 32-byte public key. */
export const keyIdOf = (publicKey: Buffer): string => sha256hex(publicKey).slice(0, 16);

/** A raw Ed25519 public key from 64 hex characters; throws on anything else. */
export function parsePublicKey(hex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 64 hex characters (32 bytes)');
  return Buffer.from(hex, 'hex');
}

export function signCheckpointStatement(key: Ed25519Key, statement: CheckpointStatement): string {
  return ed25519Sign(key.privateKey, checkpointStatement(statement)).toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]{86}==$/;

/**
 * Whether `signature` is the key's signature of exactly this seq, hash and signedAt. The
 * keyId and reason are not signed; a caller pinning a key compares keyId itself.
 */
export function verifyCheckpointSignature(publicKey: Buffer | string, checkpoint: Pick<SignedCheckpoint, 'seq' | 'hash' | 'signedAt' | 'signature'>): boolean {
  const raw = typeof publicKey === 'string' ? parsePublicKey(publicKey) : publicKey;
  if (!Number.isSafeInteger(checkpoint.seq) || typeof checkpoint.hash !== 'string' || typeof checkpoint.signedAt !== 'string') return false;
  if (typeof checkpoint.signature !== 'string' || !BASE64.test(checkpoint.signature)) return false;
  return ed25519Verify(ed25519PublicKey(raw), checkpointStatement(checkpoint), Buffer.from(checkpoint.signature, 'base64'));
}

/**
 * Why a chain does not extend a checkpoint, or null when it does: the chain must reach the
 * checkpoint's seq, and its event there must carry exactly the signed hash.
 */
export function checkpointContradiction(checkpoint: Pick<CheckpointStatement, 'seq' | 'hash'>, chain: { headSeq: number; hashAt: string | undefined }): string | null {
  if (checkpoint.seq > chain.headSeq) return `the chain ends at seq ${chain.headSeq}, before the signed seq ${checkpoint.seq}`;
  if (chain.hashAt === undefined) return `the chain has no event at seq ${checkpoint.seq}`;
  if (chain.hashAt !== checkpoint.hash) return `the event at seq ${checkpoint.seq} has hash ${chain.hashAt}, the checkpoint signed ${checkpoint.hash}`;
  return null;
}

export interface CheckpointsDocument {
  publicKey: Buffer;
  items: SignedCheckpoint[];
}

const isCheckpoint = (value: unknown): value is SignedCheckpoint => {
  const item = value as SignedCheckpoint;
  return (
    typeof item === 'object' && item !== null && Number.isSafeInteger(item.seq) && item.seq > 0 && typeof item.hash === 'string' &&
    typeof item.signedAt === 'string' && typeof item.keyId === 'string' && typeof item.signature === 'string'
  );
};

/**
 * A downloaded checkpoints document: the API's page (`{publicKey, items}`), a saved copy of it,
 * or a bare array of items (then the key must be given). Throws when it is not one.
 */
export function readCheckpointsDocument(document: unknown, givenKey?: Buffer): CheckpointsDocument {
  const items = Array.isArray(document) ? document : (document as { items?: unknown })?.items;
  if (!Array.isArray(items)) throw new Error('not a checkpoints document: no items');
  const bad = items.findIndex((item) => !isCheckpoint(item));
  if (bad >= 0) throw new Error(`not a checkpoints document: item ${bad} lacks seq, hash, signedAt, keyId or signature`);
  const published = Array.isArray(document) ? undefined : (document as { publicKey?: unknown }).publicKey;
  if (published !== undefined && typeof published !== 'string') throw new Error('not a checkpoints document: publicKey is not hex');
  const publicKey = published !== undefined ? parsePublicKey(published) : givenKey;
  if (!publicKey) throw new Error('a bare array of checkpoints needs --public-key');
  return { publicKey, items: [...items].sort((a, b) => a.seq - b.seq) };
}
