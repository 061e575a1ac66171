import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Clock } from './clock.js';
import { ConfigError, type Config } from './config.js';
import type { Database } from './db/index.js';
import { appMeta } from './db/tables.js';

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
 * The AES-256 key sealing submissions. It never lives in the database, so a database reader
 * cannot open a sealed submission. The embedded default keeps a generated key beside its data.
 */
export function loadSubmissionKey(config: Config): SubmissionKey {
  if (config.submissionKey) return { key: Buffer.from(config.submissionKey, 'hex'), source: 'environment' };
  if (config.databaseUrl) {
    throw new ConfigError([{ variable: 'SUBMISSION_KEY', message: 'is required with DATABASE_URL (64 hex characters; keep it out of the database)' }]);
  }
  const file = path.resolve(config.dataDir, 'submission.key');
  if (existsSync(file)) return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'), source: 'file', file };
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  return { key, source: 'generated', file };
}
