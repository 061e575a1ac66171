import { randomBytes } from 'node:crypto';
import { checkpointContradiction, checkpointStatement, keyIdOf, signCheckpointStatement, verifyCheckpointSignature } from '../../src/audit/checkpoint-format.js';
import { sha256hex } from '../../src/platform/hash.js';
import { ed25519FromSeed } from '../../src/platform/ed25519.js';

describe('signed checkpoint format', () => {
  const key = ed25519FromSeed(randomBytes(32));
  const statement = { seq: 42, hash: sha256hex('head'), signedAt: '2026-11-25T01:10:00.123Z' };
  const signed = { ...statement, signature: signCheckpointStatement(key, statement) };

  it('signs exactly the UTF-8 of canonical JSON {v: 1, seq, hash, signedAt}', () => {
    expect(checkpointStatement(statement).toString('utf8')).toBe(`{"hash":"${statement.hash}","seq":42,"signedAt":"2026-11-25T01:10:00.123Z","v":1}`);
    expect(Buffer.from(signed.signature, 'base64')).toHaveLength(64);
  });

  it('verifies with the public key, as raw bytes or hex', () => {
    expect(verifyCheckpointSignature(key.publicKey, signed)).toBe(true);
    expect(verifyCheckpointSignature(key.publicKey.toString('hex'), signed)).toBe(true);
  });

  it('fails for a changed seq, hash or signedAt, another key or a damaged signature', () => {
    expect(verifyCheckpointSignature(key.publicKey, { ...signed, seq: 43 })).toBe(false);
    expect(verifyCheckpointSignature(key.publicKey, { ...signed, hash: sha256hex('other head') })).toBe(false);
    expect(verifyCheckpointSignature(key.publicKey, { ...signed, signedAt: '2026-11-25T01:10:00.124Z' })).toBe(false);
    // the same instant written another way is another statement
    expect(verifyCheckpointSignature(key.publicKey, { ...signed, signedAt: '2026-11-25T09:10:00.123+08:00' })).toBe(false);
    expect(verifyCheckpointSignature(ed25519FromSeed(randomBytes(32)).publicKey, signed)).toBe(false);
    const damaged = Buffer.from(signed.signature, 'base64');
    damaged[0]! ^= 1;
    expect(verifyCheckpointSignature(key.publicKey, { ...signed, signature: damaged.toString('base64') })).toBe(false);
    expect(verifyCheckpointSignature(key.publicKey, { ...signed, signature: 'not base64' })).toBe(false);
    expect(() => verifyCheckpointSignature('abc', signed)).toThrow(/64 hex/);
  });

  it('names the key by the first 16 hex of SHA-256 of the raw public key', () => {
    expect(keyIdOf(key.publicKey)).toBe(sha256hex(key.publicKey).slice(0, 16));
  });

  it('says why a chain does not extend a checkpoint', () => {
    expect(checkpointContradiction(statement, { headSeq: 50, hashAt: statement.hash })).toBeNull();
    expect(checkpointContradiction(statement, { headSeq: 41, hashAt: undefined })).toMatch(/ends at seq 41/);
    expect(checkpointContradiction(statement, { headSeq: 50, hashAt: 'f'.repeat(64) })).toMatch(/the event at seq 42 has hash f{64}/);
  });
});
