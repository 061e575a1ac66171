import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from '../../src/platform/db/migrations.js';
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

/** A hash of the migrations, so a cached image never outlives a change to them. */
function migrationsDigest(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS_FOLDER, { recursive: true }).map(String).sort()) {
    const file = path.join(MIGRATIONS_FOLDER, name);
    if (statSync(file).isFile()) hash.update(name).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The data directory of a freshly migrated PGlite, made once and kept on disk for every test
 * file, and read (with the migrations hashed) once per file: loading it takes a quarter of the
 * time of initialising and migrating a new one.
 */
let image: Promise<Blob> | undefined;
const migratedPgliteImage = () => (image ??= readOrMakePgliteImage());

async function readOrMakePgliteImage(): Promise<Blob> {
  const cached = path.join(tmpdir(), `zjcs-pglite-${migrationsDigest()}.tar`);
  if (existsSync(cached)) return new Blob([readFileSync(cached)]);
  const database = await openPgliteDatabase();
  await database.migrate();
  const image = await database.dumpDataDir();
  await database.close();
  const partial = `${cached}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, Buffer.from(await image.arrayBuffer()));
  renameSync(partial, cached);
  return image;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or its own database on the
 * server (created here and dropped on close), so files run in parallel without sharing rows.
 */
export async function createTestDatabase(kind: DatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openPgliteDatabase(undefined, { loadDataDir: await migratedPgliteImage() });
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

/**
 * What a database owner can do and the application's role cannot: switch off the append-only
 * triggers of these tables (migration 0015) around `run`, as an attacker with owner rights would.
 */
export async function asTableOwner(execute: (statement: string) => Promise<unknown>, tables: string[], run: () => Promise<unknown>): Promise<void> {
  for (const table of tables) await execute(`alter table ${table} disable trigger user`);
  try {
    await run();
  } finally {
    for (const table of tables) await execute(`alter table ${table} enable trigger user`);
  }
}

/** The database's own message when a statement is refused (Drizzle wraps it as the cause). */
export const refusalOf = (statement: Promise<unknown>): Promise<string> =>
  statement.then(
    () => 'accepted',
    (error: Error & { cause?: Error }) => String(error.cause?.message ?? error.message),
  );
