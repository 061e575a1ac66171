import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { asc, gte, sql } from 'drizzle-orm';
import request from 'supertest';
import { bodyHash } from '../../src/audit/chain.js';
import { signCheckpoint } from '../../src/audit/checkpoints.js';
import { appendAudit, verifyAuditChain } from '../../src/audit/service.js';
import { auditEvents } from '../../src/audit/tables.js';
import { MINUTE } from '../../src/platform/clock.js';
import { queryRows } from '../../src/platform/db/index.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { ed25519FromSeed } from '../../src/platform/ed25519.js';
import { asTableOwner, createTestDatabase, refusalOf, testDatabaseKind, type TestDatabase } from '../support/database.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const run = promisify(execFile);

/**
 * The attack signed checkpoints exist for, on PGlite and on the server: the database owner
 * switches the append-only triggers off, edits an event and recomputes every later hash and the
 * head. The chain alone then verifies; a checkpoint saved before the rewrite contradicts it.
 */
describe('verify-audit --checkpoints: a consistently rewritten chain contradicts the saved checkpoints', () => {
  const kind = testDatabaseKind();
  let dir: string;
  let database: TestDatabase;
  let platform: TestPlatform | undefined;
  let scriptEnv: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'zjcs-checkpoints-'));
    // the script opens the database itself: a PGlite directory (once closed here), or the server database
    database = kind === 'pglite' ? await openPgliteDatabase(path.join(dir, 'pglite')) : await createTestDatabase('postgres');
    scriptEnv = kind === 'pglite' ? { DATA_DIR: dir, DATABASE_URL: '' } : { DATABASE_URL: database.url! };
    platform = await createTestPlatform({ database });
  });
  afterAll(async () => {
    await platform?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, content: unknown) => {
    const where = path.join(dir, name);
    writeFileSync(where, JSON.stringify(content));
    return where;
  };

  async function verifyAudit(args: string[]): Promise<{ code: number; out: string }> {
    try {
      const { stdout } = await run('npx', ['tsx', 'scripts/verify-audit.ts', ...args], { env: { ...process.env, ...scriptEnv, NODE_OPTIONS: '' } });
      return { code: 0, out: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, out: failed.stdout + failed.stderr };
    }
  }

  const exec = (statement: string) => platform!.database.db.execute(sql.raw(statement));

  /** What the owner does: edit event `seq`, then relink it and every later event and the head. */
  async function rewriteFrom(seq: number) {
    const db = platform!.database.db;
    await asTableOwner(exec, ['audit_events', 'audit_head'], async () => {
      const rows = await db.select().from(auditEvents).where(gte(auditEvents.seq, seq)).orderBy(asc(auditEvents.seq));
      let prev = rows[0]!.prevHash;
      for (const row of rows) {
        const event = row.seq === seq ? { ...row, actor: 'user:666', data: { forged: true } } : row;
        const body = bodyHash(event);
        const [linked] = await queryRows<{ hash: string }>(
          db,
          sql`update audit_events
                 set actor = ${event.actor}, data = ${JSON.stringify(event.data)}::jsonb, prev_hash = ${prev},
                     hash = encode(sha256(convert_to(${prev} || chr(10) || seq::text || chr(10) || ${body}, 'UTF8')), 'hex')
               where seq = ${row.seq}
               returning hash`,
        );
        await db.execute(sql`update audit_head set hash = ${linked!.hash}, prev_hash = ${prev} where id = 1`);
        prev = linked!.hash;
      }
    });
  }

  let saved: { publicKey: string; items: { seq: number; hash: string; signedAt: string }[] };
  let savedFile: string;

  it('says OK for the intact chain, from saved files and from the service by URL, page by page', async () => {
    platform!.clock.set('2026-11-25T09:00:00+08:00');
    const append = (i: number) => platform!.database.transaction((tx) => appendAudit(tx, platform!.clock, { actor: 'user:1', action: 'test.done', entityType: 'project', entityId: i, data: { i } }));
    for (let i = 1; i <= 4; i += 1) await append(i);
    await signCheckpoint(platform!, 'interval');
    platform!.clock.advance(10 * MINUTE);
    for (let i = 5; i <= 7; i += 1) await append(i);
    await signCheckpoint(platform!, 'interval');

    saved = (await request(platform!.app).get('/api/v1/audit/checkpoints').expect(200)).body;
    expect(saved.items.map((item) => item.seq)).toEqual([7, 4]);
    savedFile = file('checkpoints.json', saved);
    const links = file('links.json', (await request(platform!.app).get('/api/v1/audit/links').query({ limit: 5000 }).expect(200)).body);
    const ok = await verifyAudit(['--checkpoints', savedFile, '--links', links]);
    expect(ok).toMatchObject({ code: 0, out: expect.stringContaining('OK: chain of 7 events extends 2 checkpoints') });

    const server = platform!.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
      const byUrl = await verifyAudit(['--checkpoints', `${base}/audit/checkpoints?pageSize=1`, '--links', `${base}/audit/links?limit=3`, '--public-key', saved.publicKey]);
      expect(byUrl).toMatchObject({ code: 0, out: expect.stringContaining('OK: chain of 7 events extends 2 checkpoints') });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it('refuses a forged signature, another key, and input it cannot read', async () => {
    const links = path.join(dir, 'links.json');
    const forged = structuredClone(saved);
    forged.items[0]!.hash = 'f'.repeat(64);
    const bad = await verifyAudit(['--checkpoints', file('forged.json', forged), '--links', links]);
    expect(bad).toMatchObject({ code: 1, out: expect.stringContaining('BAD SIGNATURE on checkpoint seq 7') });

    const otherKey = ed25519FromSeed(Buffer.alloc(32, 7)).publicKey.toString('hex');
    const pinned = await verifyAudit(['--checkpoints', savedFile, '--links', links, '--public-key', otherKey]);
    expect(pinned).toMatchObject({ code: 1, out: expect.stringContaining('WRONG KEY') });
    const bare = file('bare.json', saved.items);
    expect(await verifyAudit(['--checkpoints', bare, '--links', links, '--public-key', saved.publicKey])).toMatchObject({ code: 0 });
    const bareOtherKey = await verifyAudit(['--checkpoints', bare, '--links', links, '--public-key', otherKey]);
    expect(bareOtherKey).toMatchObject({ code: 1, out: expect.stringContaining('BAD SIGNATURE on checkpoint seq 4') });

    expect((await verifyAudit(['--checkpoints', bare, '--links', links])).code).toBe(2); // a bare array needs the key
    expect((await verifyAudit(['--checkpoints', path.join(dir, 'missing.json')])).code).toBe(2);
    expect((await verifyAudit(['--checkpoints', file('not-json.json', { items: 'none' })])).code).toBe(2);
  }, 90_000);

  it('the rewrite passes the plain chain check but contradicts the checkpoint it rewrote under; the application role cannot even make the edit', async () => {
    expect(await refusalOf(exec(`update audit_events set actor = 'user:666' where seq = 5`))).toMatch(/append-only/);

    await rewriteFrom(5);
    expect(await verifyAuditChain(platform!.database.db)).toMatchObject({ checked: 7, firstBreak: null });
    const rewrittenLinks = file('links-rewritten.json', (await request(platform!.app).get('/api/v1/audit/links').query({ limit: 5000 }).expect(200)).body);
    const byLinks = await verifyAudit(['--checkpoints', savedFile, '--links', rewrittenLinks]);
    expect(byLinks.code).toBe(1);
    expect(byLinks.out).toContain(`CONTRADICTS checkpoint seq 7 (signed ${saved.items[0]!.signedAt}): the event at seq 7 has hash`);
    expect(byLinks.out).not.toContain('checkpoint seq 4'); // the history it signed is untouched

    if (kind === 'pglite') {
      // the script opens the directory itself, after this process let go of it
      await platform!.close();
      platform = undefined;
    }
    const plain = await verifyAudit([]);
    expect(plain).toMatchObject({ code: 0, out: expect.stringContaining('OK: 7 events, chain intact') });
    const withCheckpoints = await verifyAudit(['--checkpoints', savedFile]);
    expect(withCheckpoints.code).toBe(1);
    expect(withCheckpoints.out).toContain(`CONTRADICTS checkpoint seq 7 (signed ${saved.items[0]!.signedAt})`);
    expect(withCheckpoints.out).not.toContain('checkpoint seq 4');
  }, 90_000);
});
