import { SystemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/index.js';
import type { PlatformDeps } from './deps.js';
import { createJobQueue, type JobQueue } from './jobs/index.js';
import { Sweeper } from './jobs/sweeper.js';
import { createLogger, type Logger } from './logging.js';
import { installationSecret, loadAuditSigningKey, loadSubmissionKey, type AuditSigningKey, type SubmissionKey } from './secrets.js';

export interface PlatformOverrides {
  clock?: Clock;
  database?: Database;
  jobs?: JobQueue;
  logger?: Logger;
  submissionKey?: SubmissionKey;
  auditSigningKey?: AuditSigningKey;
}

/** Opens the database, applies migrations, and wires the job queue and sweeper. */
export async function createPlatform(initialConfig: Config, overrides: PlatformOverrides = {}): Promise<PlatformDeps> {
  let config = initialConfig;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? new SystemClock();
  const database = overrides.database ?? (await openDatabase(config, (error) => logger.warn({ err: error }, 'database connection lost; reconnecting')));
  await database.migrate();
  if (!config.sessionSecret) config = { ...config, sessionSecret: await installationSecret(database, 'session_secret', clock) };
  const jobs = overrides.jobs ?? createJobQueue({ redisUrl: config.redisUrl, clock, logger });
  const sweeper = new Sweeper(logger);
  const submissionKey = overrides.submissionKey ?? loadSubmissionKey(config);
  if (submissionKey.source === 'generated') {
    logger.warn({ file: submissionKey.file }, 'generated a new submission key; back it up outside the database');
  }
  const auditSigningKey = overrides.auditSigningKey ?? loadAuditSigningKey(config);
  if (auditSigningKey.source === 'generated') {
    logger.warn({ file: auditSigningKey.file }, 'generated a new audit signing key; back it up outside the database');
  }
  return { config, clock, database, jobs, sweeper, logger, submissionKey: submissionKey.key, auditSigningKey: auditSigningKey.key };
}

export async function closePlatform(deps: PlatformDeps): Promise<void> {
  await deps.sweeper.stop();
  await deps.jobs.close();
  await deps.database.close();
}

/**
 * A promise nobody awaited that rejects (a fault in a background path) is logged, not fatal: one
 * lost connection must not take down every request the process serves. An uncaught exception
 * still ends the process, since its state is then unknown.
 */
export function logUnhandledRejections(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
}
