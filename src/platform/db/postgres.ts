import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from './migrations.js';
import { migrationsCurrent } from './pglite.js';
import type { Database, Db, Tx } from './types.js';

export interface PostgresOptions {
  url: string;
  poolSize?: number;
  /** Tests give each file its own schema; production uses public. */
  schema?: string;
  connectTimeoutMs?: number;
  /** Hears a connection ending under the pool (logged; never fatal). */
  onConnectionError?: (error: Error) => void;
}

// An arbitrary constant: replicas starting together take turns applying migrations.
const MIGRATION_LOCK_KEY = 72_410_001;

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const schema = options.schema;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // while the server is away a request fails fast with 503 instead of queueing for ever
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A server restart ends every connection: an idle client emits 'error' on the pool, a checked-out
  // one on itself, where nobody listens unless we do. The query in flight fails (a 503); the pool
  // drops the broken client and connects a new one for the next request.
  pool.on('error', (error) => options.onConnectionError?.(error));
  pool.on('connect', (client) => client.on('error', (error) => options.onConnectionError?.(error)));
  const db = drizzle({ client: pool }) as unknown as Db;
  const migrationsSchema = schema ?? 'drizzle';
  return {
    kind: 'postgres',
    db,
    transaction: <T>(fn: (tx: Tx) => Promise<T>) => db.transaction((tx) => fn(tx as Tx)),
    migrate: async () => {
      const client = await pool.connect();
      try {
        if (schema) await client.query(`create schema if not exists "${schema}"`);
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migrate(drizzle({ client }), {
            migrationsFolder: MIGRATIONS_FOLDER,
            migrationsSchema,
          });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    migrationsCurrent: () => migrationsCurrent(db, migrationsSchema),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => pool.end(),
  };
}
