import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';

/** Drizzle over either driver; repositories take an Executor so they work inside a transaction. */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = PgTransaction<PgQueryResultHKT>;
export type Executor = Db | Tx;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** For reads outside a command. Commands use transaction(). */
  readonly db: Db;
  /** The one entry point for commands: fn's writes and its audit event commit together. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  migrationsCurrent(): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Raw SQL for the few queries Drizzle's builder cannot express; both drivers return rows. */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The constraint a unique violation (23505) hit, looking through Drizzle's error wrapper. */
export function uniqueViolation(error: unknown): string | undefined {
  for (let current = error as { code?: string; constraint?: string; cause?: unknown } | undefined; current; ) {
    if (current.code === '23505') return current.constraint ?? 'unknown';
    current = current.cause as typeof current;
  }
  return undefined;
}
