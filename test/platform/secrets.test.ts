import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyIdOf, signCheckpointStatement, verifyCheckpointSignature } from '../../src/audit/checkpoint-format.js';
import { ConfigError, loadConfig } from '../../src/platform/config.js';
import { loadAuditSigningKey } from '../../src/platform/secrets.js';

describe('the audit signing key (AUDIT_SIGNING_KEY)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'zjcs-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is the Ed25519 key whose 32-byte seed the variable gives in hex', () => {
    const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'; // RFC 8032 test 1
    const { key, source } = loadAuditSigningKey(loadConfig({ AUDIT_SIGNING_KEY: seed, DATA_DIR: dataDir }));
    expect(source).toBe('environment');
    expect(key.publicKey.toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(keyIdOf(key.publicKey)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is required with DATABASE_URL, naming the variable', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', DATA_DIR: dataDir });
    expect(() => loadAuditSigningKey(config)).toThrow(ConfigError);
    expect(() => loadAuditSigningKey(config)).toThrow(/AUDIT_SIGNING_KEY: is required with DATABASE_URL/);
  });

  it('refuses a value that is not 64 hex characters', () => {
    expect(() => loadConfig({ AUDIT_SIGNING_KEY: 'abc' })).toThrow(/AUDIT_SIGNING_KEY/);
  });

  it('is generated once under DATA_DIR for the embedded default, readable only by its owner, and reused', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = loadAuditSigningKey(config);
    expect(first).toMatchObject({ source: 'generated', file: path.resolve(dataDir, 'audit-signing.key') });
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file!, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const again = loadAuditSigningKey(config);
    expect(again.source).toBe('file');
    expect(again.key.publicKey.equals(first.key.publicKey)).toBe(true);
    const statement = { seq: 1, hash: 'a'.repeat(64), signedAt: '2026-11-25T01:00:00.000Z' };
    expect(verifyCheckpointSignature(first.key.publicKey, { ...statement, signature: signCheckpointStatement(again.key, statement) })).toBe(true);
  });
});
