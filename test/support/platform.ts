import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import { registerDomains } from '../../src/domains.js';
import { TestClock } from '../../src/platform/clock.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { ed25519FromSeed, type Ed25519Key } from '../../src/platform/ed25519.js';
import type { PlatformDeps } from '../../src/platform/deps.js';
import { InProcessJobQueue } from '../../src/platform/jobs/index.js';
import { Sweeper } from '../../src/platform/jobs/sweeper.js';
import { createLogger } from '../../src/platform/logging.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import type { Database } from '../../src/platform/db/index.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './database.js';

export interface TestPlatform extends PlatformDeps {
  clock: TestClock;
  database: TestDatabase;
  jobs: InProcessJobQueue;
  app: Express;
  close(): Promise<void>;
}

/** A fresh audit signing key: every test platform signs with its own. */
export const aSigningKey = (): Ed25519Key => ed25519FromSeed(randomBytes(32));

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'off',
    PASSWORD_HASH_PROFILE: 'test',
    SESSION_SECRET: 'test-session-secret-with-at-least-32-characters',
    ...overrides,
  });
}

/** Wires the domains and the app over these deps; closing runs `beforeClose`, then stops the jobs and the database. */
export function assemblePlatform<J extends PlatformDeps['jobs']>(deps: PlatformDeps & { clock: TestClock; database: Database; jobs: J }, beforeClose?: () => Promise<unknown>): TestPlatform & { jobs: J } {
  registerDomains(deps);
  const app = createApp(deps);
  return {
    ...deps,
    database: deps.database as TestDatabase,
    app,
    close: async () => {
      await beforeClose?.();
      await deps.jobs.close();
      await deps.database.close();
    },
  } as TestPlatform & { jobs: J };
}

/** Everything a test needs: a fresh database (or the one given), a TestClock, in-process jobs, and the app. */
export async function createTestPlatform(
  options: { kind?: DatabaseKind; config?: Record<string, string>; database?: TestDatabase } = {},
): Promise<TestPlatform> {
  const config = testConfig(options.config);
  const logger = createLogger('silent');
  const clock = new TestClock();
  // a database of the caller's (a PGlite directory a script opens afterwards) is migrated and closed here too
  const database = options.database ?? (await createTestDatabase(options.kind));
  if (options.database) await database.migrate();
  const jobs = new InProcessJobQueue(clock, logger);
  return assemblePlatform({ config, clock, database, jobs, sweeper: new Sweeper(logger), logger, submissionKey: randomBytes(32), auditSigningKey: aSigningKey() });
}

/**
 * The state of a PGlite platform now, to start a counterfactual world from later: a platform on
 * a copy of this database, at this moment, with the same sealing and signing keys, that goes on without
 * whatever the first one does next. Jobs pending in memory are not copied (the sweeper
 * re-derives them).
 */
export async function saveTestPlatform(platform: TestPlatform): Promise<{ restore(): Promise<TestPlatform> }> {
  const source = platform.database as TestDatabase & { dumpDataDir?: () => Promise<Blob> };
  if (!source.dumpDataDir) throw new Error('only a PGlite platform can be saved');
  // a checkpoint first: a copy that needs crash recovery moves every sequence 32 values on
  await platform.database.db.execute(sql`checkpoint`);
  const image = await source.dumpDataDir();
  const at = platform.clock.now();
  return {
    restore: async () => {
      const logger = createLogger('silent');
      const clock = new TestClock(at);
      const database = await openPgliteDatabase(undefined, { loadDataDir: image });
      const jobs = new InProcessJobQueue(clock, logger);
      return assemblePlatform({ config: platform.config, clock, database, jobs, sweeper: new Sweeper(logger), logger, submissionKey: platform.submissionKey, auditSigningKey: platform.auditSigningKey });
    },
  };
}
