import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Clock } from './clock.js';
import { ConfigError, type Config } from './config.js';
import type { Database } from './db/index.js';
import { appMeta } from './db/tables.js';
import { ed25519FromSeed, type Ed25519Key } from './ed25519.js';

/**
 * A random secret generated once per installation and kept in the database, so development
 * and the embedded default need no configuration and sessions survive restarts. Production
 * must set SESSION_SECRET (config enforces it).
 */
export async function installationSecret(database: Database, key: string, clock: Clock): Promise<string> {
  await database.db
    .insert(appMeta)
    .values({ key, value: randomBytes(32).toString('hex'), updatedAt: clock.now() })
    .onConflictDoNothing();
  const [row] = await database.db.select().from(appMeta).where(eq(appMeta.key, key));
  return String(row!.value);
}

export interface SubmissionKey {
  key: Buffer;
  /** Where it came from, for the start-up message. */
  source: 'environment' | 'generated' | 'file';
  file?: string;
}

/**
 * A 32-byte key that must never live in the database: from its variable; required with
 * DATABASE_URL; for the embedded default generated once into `DATA_DIR/<fileName>` (mode 0600)
 * and read from there afterwards.
 */
function keyOutsideDatabase(config: Config, key: { variable: string; value?: string; fileName: string }): SubmissionKey {
  if (key.value) return { key: Buffer.from(key.value, 'hex'), source: 'environment' };
  if (config.databaseUrl) {
    throw new ConfigError([{ variable: key.variable, message: 'is required with DATABASE_URL (64 hex characters; keep it out of the database)' }]);
  }
  const file = path.resolve(config.dataDir, key.fileName);
  if (existsSync(file)) return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'), source: 'file', file };
  mkdirSync(path.dirname(file), { recursive: true });
  const generated = randomBytes(32);
  writeFileSync(file, generated.toString('hex') + '\n', { mode: 0o600 });
  return { key: generated, source: 'generated', file };
}

/**
 * The AES-256 key sealing submissions. It never lives in the database, so a database reader
 * cannot open a sealed submission. The embedded default keeps a generated key beside its data.
 */
export function loadSubmissionKey(config: Config): SubmissionKey {
  return keyOutsideDatabase(config, { variable: 'SUBMISSION_KEY', value: config.submissionKey, fileName: 'submission.key' });
}

export interface AuditSigningKey extends Omit<SubmissionKey, 'key'> {
  key: Ed25519Key;
}

/**
 * The Ed25519 key signing audit checkpoints (its 32-byte seed, as 64 hex characters). Kept out
 * of the database like the submission key: someone who can rewrite the database must not be
 * able to sign the rewritten chain.
 */
export function loadAuditSigningKey(config: Config): AuditSigningKey {
  const { key, ...origin } = keyOutsideDatabase(config, { variable: 'AUDIT_SIGNING_KEY', value: config.auditSigningKey, fileName: 'audit-signing.key' });
  return { key: ed25519FromSeed(key), ...origin };
}
