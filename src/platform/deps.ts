import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import type { Ed25519Key } from './ed25519.js';
import type { JobQueue } from './jobs/index.js';
import type { Sweeper } from './jobs/sweeper.js';
import type { Logger } from './logging.js';

/** What every service receives. Tests build their own with a TestClock and a fresh database. */
export interface PlatformDeps {
  config: Config;
  clock: Clock;
  database: Database;
  jobs: JobQueue;
  sweeper: Sweeper;
  logger: Logger;
  /** AES-256 key sealing submissions; never stored in the database. */
  submissionKey: Buffer;
  /** Ed25519 key signing audit checkpoints; never stored in the database. */
  auditSigningKey: Ed25519Key;
}
