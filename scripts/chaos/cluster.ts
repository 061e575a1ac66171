/**
 * A PostgreSQL 15 cluster of our own, in a fresh temporary directory, to stop and start at will:
 * trust authentication, 127.0.0.1 on its own port, its unix socket inside the directory. Run as
 * the `postgres` user (the server refuses root). The shared server on 5432 is never touched.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

const postgresIds = () => ({ uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) });

export class ThrowawayCluster {
  up = false;
  private removed = false;

  private constructor(readonly dir: string, readonly port: number) {}

  private get dataDir() {
    return path.join(this.dir, 'data');
  }

  /** initdb in a new temporary directory; the cluster is not started. */
  static async create(port: number): Promise<ThrowawayCluster> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zjcs-chaos-pg-'));
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
    const cluster = new ThrowawayCluster(dir, port);
    await cluster.asPostgres('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale', 'C.UTF-8', '--no-sync']);
    return cluster;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private asPostgres(program: string, args: string[]) {
    return run('runuser', ['-u', 'postgres', '--', path.join(BIN, program), ...args], { cwd: this.dir });
  }

  private pgCtl(args: string[]) {
    return this.asPostgres('pg_ctl', ['-D', this.dataDir, '-w', '-t', '60', ...args]);
  }

  /** pg_ctl start, waiting until it accepts connections. */
  async start(): Promise<void> {
    const options = `-c listen_addresses=127.0.0.1 -p ${this.port} -k ${this.dir} -c max_connections=100`;
    await this.pgCtl(['-l', path.join(this.dir, 'server.log'), '-o', options, 'start']);
    this.up = true;
  }

  /** `fast` rolls back open transactions and disconnects; `immediate` aborts without a shutdown checkpoint (crash recovery at the next start). */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    this.up = false;
    await this.pgCtl(['-m', mode, 'stop']);
  }

  async createDatabase(name: string): Promise<void> {
    const admin = new pg.Client({ connectionString: this.url('postgres') });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
  }

  /** Stops the server if it may be running and removes the directory; safe to call twice, and synchronous for exit handlers. */
  destroy(): void {
    if (this.removed) return;
    this.removed = true;
    try {
      execFileSync('runuser', ['-u', 'postgres', '--', path.join(BIN, 'pg_ctl'), '-D', this.dataDir, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
    } catch {
      // it was not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
