import { sql } from 'drizzle-orm';
import request from 'supertest';
import { verifyCheckpointSignature } from '../../src/audit/checkpoint-format.js';
import { ChainContradictsCheckpoint, CHECKPOINT_INTERVAL_MS, signCheckpoint } from '../../src/audit/checkpoints.js';
import { appendAudit, readAuditHead } from '../../src/audit/service.js';
import { MINUTE, SECOND } from '../../src/platform/clock.js';
import { queryRows } from '../../src/platform/db/index.js';
import { aPlatformWithJobs } from '../notifications/support.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';
import { asTableOwner, refusalOf } from '../support/database.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

type Row = { seq: string; hash: string; signed_at: Date; reason: string; key_id: string; signature: string };

const checkpointsOf = async (platform: TestPlatform) =>
  (await queryRows<Row>(platform.database.db, sql`select seq::text, hash, signed_at, reason, key_id, signature from audit_checkpoints order by seq`)).map((row) => ({
    seq: Number(row.seq),
    hash: row.hash,
    signedAt: new Date(row.signed_at).toISOString(),
    reason: row.reason,
    signature: row.signature,
  }));

async function appendSome(platform: TestPlatform, count: number) {
  for (let i = 0; i < count; i += 1) {
    await platform.database.transaction((tx) => appendAudit(tx, platform.clock, { actor: 'user:1', action: 'test.done', entityType: 'project', entityId: i + 1 }));
  }
}

describe('signing checkpoints', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('signs the head at the clock time without moving the chain, once per seq', async () => {
    expect(await signCheckpoint(platform, 'interval')).toBeUndefined(); // nothing to sign at seq 0
    await appendSome(platform, 3);
    const head = await readAuditHead(platform.database.db);
    const signed = await signCheckpoint(platform, 'interval');
    expect(signed).toMatchObject({ seq: 3, hash: head.hash, reason: 'interval', signedAt: platform.clock.now() });
    expect(await readAuditHead(platform.database.db)).toEqual(head); // signing appends no event
    expect(await signCheckpoint(platform, 'interval')).toBeUndefined();
    expect(await signCheckpoint(platform, 'opening')).toBeUndefined(); // that exact seq is signed already
    await appendSome(platform, 1);
    expect(await signCheckpoint(platform, 'opening')).toMatchObject({ seq: 4, reason: 'opening' });
    const rows = await checkpointsOf(platform);
    expect(rows.map((row) => row.seq)).toEqual([3, 4]);
    for (const row of rows) expect(verifyCheckpointSignature(platform.auditSigningKey.publicKey, row)).toBe(true);
  });

  it('refuses to sign a chain that contradicts its latest checkpoint', async () => {
    await appendSome(platform, 3);
    await signCheckpoint(platform, 'interval');
    const exec = (statement: string) => platform.database.db.execute(sql.raw(statement));
    await asTableOwner(exec, ['audit_events'], () => exec(`update audit_events set hash = '${'e'.repeat(64)}' where seq = 3`));
    await appendSome(platform, 1);
    await expect(signCheckpoint(platform, 'interval')).rejects.toThrow(ChainContradictsCheckpoint);
    expect((await checkpointsOf(platform)).map((row) => row.seq)).toEqual([3]);
  });

  it('keeps checkpoints append-only for the application role', async () => {
    await appendSome(platform, 1);
    await signCheckpoint(platform, 'interval');
    const exec = (statement: string) => platform.database.db.execute(sql.raw(statement));
    expect(await refusalOf(exec(`update audit_checkpoints set hash = '${'0'.repeat(64)}'`))).toMatch(/append-only/);
    expect(await refusalOf(exec('delete from audit_checkpoints'))).toMatch(/append-only/);
    expect(await refusalOf(exec('truncate audit_checkpoints'))).toMatch(/append-only/);
    expect(await checkpointsOf(platform)).toHaveLength(1);
  });

  it('signs one opening checkpoint when a sealed inquiry is opened, covering the opening', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T17:00:00+08:00');
    for (const [i, firm] of firms.entries()) await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: 11_000_000 + i * 1_000_000 }).expect(201);
    expect(await checkpointsOf(platform)).toEqual([]);

    platform.clock.set('2026-12-01T17:00:00+08:00');
    expect((await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200)).body.status).toBe('publicity');
    await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    const checkpoints = await checkpointsOf(platform);
    expect(checkpoints).toEqual([expect.objectContaining({ reason: 'opening', signedAt: '2026-12-01T09:00:00.000Z' })]);
    const [opened] = await queryRows<{ seq: string }>(platform.database.db, sql`select seq::text from audit_events where action = 'project.submissions_opened'`);
    expect(checkpoints[0]!.seq).toBeGreaterThanOrEqual(Number(opened!.seq));
    expect(checkpoints[0]!.seq).toBe((await readAuditHead(platform.database.db)).seq);
  });
});

describe('interval checkpoints (sweeper and job; Bull on the server run)', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await aPlatformWithJobs();
  });
  afterEach(() => platform.close());

  const tick = async () => {
    await platform.sweeper.runOnce();
    await platform.jobs.runDue();
  };

  it('checkpoints a moved chain at least every 10 minutes of the clock, and an unmoved one never', async () => {
    await tick();
    expect(await checkpointsOf(platform)).toEqual([]); // an empty chain has nothing to sign

    await appendSome(platform, 3);
    await tick();
    const first = await checkpointsOf(platform);
    expect(first).toEqual([expect.objectContaining({ seq: 3, reason: 'interval', signedAt: platform.clock.now().toISOString() })]);

    await appendSome(platform, 2);
    platform.clock.advance(CHECKPOINT_INTERVAL_MS - SECOND);
    await tick();
    expect(await checkpointsOf(platform)).toHaveLength(1);

    platform.clock.advance(SECOND);
    await platform.jobs.runDue(); // the job alone, due exactly 10 minutes after the first
    expect((await checkpointsOf(platform)).map((row) => [row.seq, row.signedAt])).toEqual([
      [3, first[0]!.signedAt],
      [5, platform.clock.now().toISOString()],
    ]);

    platform.clock.advance(25 * MINUTE);
    await tick();
    await tick();
    expect(await checkpointsOf(platform)).toHaveLength(2); // the chain did not move

    await appendSome(platform, 1);
    await tick(); // idle for longer than the interval: the first sweep after the move signs
    const all = await checkpointsOf(platform);
    expect(all.map((row) => row.seq)).toEqual([3, 5, 6]);
    for (const row of all) expect(verifyCheckpointSignature(platform.auditSigningKey.publicKey, row)).toBe(true);
    expect((await readAuditHead(platform.database.db)).seq).toBe(6);
  });
});
