import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { latestMigrationStamp, MIGRATIONS_FOLDER } from './migrations.js';
import { SerialQueue } from './serial-queue.js';
import { queryRows, type Database, type Db, type Tx } from './types.js';

const MIGRATIONS_SCHEMA = 'drizzle';

/**
 * Embedded PostgreSQL. PGlite is one backend, so every transaction goes through one queue:
 * two commands never interleave, and reads wait while a transaction is open.
 */
export async function openPgliteDatabase(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<Database & { dumpDataDir(): Promise<Blob> }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, { extensions: { pg_trgm }, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  const db = drizzle({ client }) as unknown as Db;
  const queue = new SerialQueue();
  return {
    kind: 'pglite',
    db,
    transaction: <T>(fn: (tx: Tx) => Promise<T>) =>
      queue.run(() => db.transaction((tx) => fn(tx as Tx))),
    migrate: () =>
      queue.run(() =>
        migrate(db as never, {
          migrationsFolder: MIGRATIONS_FOLDER,
          migrationsSchema: MIGRATIONS_SCHEMA,
        }),
      ),
    migrationsCurrent: () => migrationsCurrent(db, MIGRATIONS_SCHEMA),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
    dumpDataDir: () => queue.run(async () => (await client.dumpDataDir('none')) as Blob),
  };
}

export async function migrationsCurrent(db: Db, schema: string): Promise<boolean> {
  const [table] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass(${`"${schema}".__drizzle_migrations`}) is not null as present`,
  );
  if (!table?.present) return false;
  const [applied] = await queryRows<{ latest: string }>(
    db,
    sql`select coalesce(max(created_at), 0)::text as latest from ${sql.identifier(schema)}.__drizzle_migrations`,
  );
  return Number(applied?.latest ?? 0) >= latestMigrationStamp();
}
