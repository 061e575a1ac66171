import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import type { Database } from '../../src/platform/db/index.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** The Jest project decides: every file runs on PGlite, and again on the server in CI. */
export function testDatabaseKind(): DatabaseKind {
  return process.env.TEST_DB_KIND === 'postgres' ? 'postgres' : 'pglite';
}

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: server tests need a PostgreSQL server');
  return url;
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export interface TestDatabase extends Database {
  /** The connection URL of this file's own server database (server kind only). */
  url?: string;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or its own database on the
 * server (created here and dropped on close), so files run in parallel without sharing rows.
 */
export async function createTestDatabase(kind: DatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openPgliteDatabase();
    await database.migrate();
    return database;
  }
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  const name = `zjcs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = withDatabaseName(serverUrl(), name);
  const database = await openPostgresDatabase({ url, poolSize: 20 });
  await database.migrate();
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
