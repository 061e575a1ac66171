import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

export const CEILINGS_DIR = path.resolve(process.cwd(), '../shared/ceilings');

export function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Creates a throwaway database on the server and returns its URL and a drop function. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl() });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

/** pgbench with one of ../shared/ceilings' scripts; returns transactions per second. */
export function pgbenchTps(url: string, script: string, clients: number, seconds: number): number {
  const target = new URL(url);
  const args = ['-h', target.hostname, '-p', target.port || '5432', '-U', decodeURIComponent(target.username) || 'postgres'];
  const database = target.pathname.slice(1);
  execFileSync('psql', [...args, '-q', '-d', database, '-f', path.join(CEILINGS_DIR, 'pg-schema.sql')], { stdio: 'ignore' });
  const output = execFileSync(
    'pgbench',
    [...args, '-n', '-M', 'extended', '-c', String(clients), '-j', '2', '-T', String(seconds), '-f', path.join(CEILINGS_DIR, script), database],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const match = /tps = ([\d.]+)/.exec(output);
  if (!match) throw new Error(`pgbench printed no tps:\n${output}`);
  return Number(match[1]);
}

export function printTable(rows: Record<string, string | number>[]): void {
  console.table(rows);
}
