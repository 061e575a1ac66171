import path from 'node:path';
import type { Config } from '../config.js';
import { openPgliteDatabase } from './pglite.js';
import { openPostgresDatabase } from './postgres.js';
import type { Database } from './types.js';

export type { Database, Db, Executor, Tx } from './types.js';

/** PostgreSQL server when DATABASE_URL is set, otherwise embedded PGlite under DATA_DIR. */
export function openDatabase(config: Config, onConnectionError?: (error: Error) => void): Promise<Database> {
  if (config.databaseUrl) {
    return openPostgresDatabase({ url: config.databaseUrl, poolSize: config.databasePoolSize, onConnectionError });
  }
  return openPgliteDatabase(path.resolve(config.dataDir, 'pglite'));
}
export { queryRows, uniqueViolation } from './types.js';
