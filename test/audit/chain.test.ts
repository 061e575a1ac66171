import { sql } from 'drizzle-orm';
import request from 'supertest';
import { appendAudit, appendAuditMany, readAuditHead, verifyAuditChain } from '../../src/audit/service.js';
import { GENESIS_HASH, hashAuditEvent } from '../../src/audit/chain.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { asTableOwner, refusalOf } from '../support/database.js';

describe('audit hash chain', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());
  beforeEach(async () => {
    await asTableOwner(exec, ['audit_events', 'audit_head'], () => exec('truncate audit_events, audit_head'));
  });

  async function appendSome(count: number) {
    for (let i = 1; i <= count; i += 1) {
      await platform.database.transaction((tx) =>
        appendAudit(tx, platform.clock, {
          actor: 'user:1',
          action: 'test.done',
          entityType: 'project',
          entityId: i,
          data: { i, note: '造价咨询', nested: { b: 2, a: 1 } },
        }),
      );
      platform.clock.advance(1000);
    }
  }

  const exec = (query: string) => platform.database.db.execute(sql.raw(query));
  /** Edits the log as its owner would, past the append-only triggers. */
  const tamper = (query: string) => asTableOwner(exec, ['audit_events'], () => exec(query));

  it('links each event to the previous one and publishes the head', async () => {
    await appendSome(3);
    const head = await request(platform.app).get('/api/v1/audit/head').expect(200);
    expect(head.body.seq).toBe(3);
    expect(head.body.hash).toMatch(/^[0-9a-f]{64}$/);
    const { checked, firstBreak } = await verifyAuditChain(platform.database.db);
    expect(checked).toBe(3);
    expect(firstBreak).toBeNull();
  });

  it('appends several events in one statement, from the very first, linked exactly as single appends', async () => {
    const entries = (from: number) => [0, 1, 2].map((i) => ({ actor: 'user:2', action: 'submission.received', entityType: 'submission', entityId: from + i, data: { i, 报价: '密封' } }));
    const first = await platform.database.transaction((tx) => appendAuditMany(tx, platform.clock, entries(1)));
    expect(first.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(first[0]!.prevHash).toBe(GENESIS_HASH);
    await appendSome(1);
    const more = await platform.database.transaction((tx) => appendAuditMany(tx, platform.clock, entries(10)));
    expect(more.map((event) => event.seq)).toEqual([5, 6, 7]);
    for (const event of [...first, ...more]) expect(hashAuditEvent(event)).toBe(event.hash);
    expect(await readAuditHead(platform.database.db)).toEqual({ seq: 7, hash: more[2]!.hash });
    const { checked, firstBreak } = await verifyAuditChain(platform.database.db);
    expect(checked).toBe(7);
    expect(firstBreak).toBeNull();
  });

  it('hashes the canonical encoding including prevHash', () => {
    const body = {
      seq: 1,
      at: new Date('2026-11-25T01:00:00Z'),
      actor: 'system',
      action: 'x',
      entityType: 'project',
      entityId: '1',
      data: { b: 1, a: 2 },
      prevHash: GENESIS_HASH,
    };
    const reordered = { ...body, data: { a: 2, b: 1 } };
    expect(hashAuditEvent(body)).toBe(hashAuditEvent(reordered));
    expect(hashAuditEvent({ ...body, prevHash: '1'.repeat(64) })).not.toBe(hashAuditEvent(body));
  });

  it('writes nothing when the command transaction fails', async () => {
    await appendSome(1);
    await expect(
      platform.database.transaction(async (tx) => {
        await appendAudit(tx, platform.clock, { actor: 'user:1', action: 'x', entityType: 'project', entityId: 9 });
        throw new Error('command failed');
      }),
    ).rejects.toThrow('command failed');
    const head = await request(platform.app).get('/api/v1/audit/head').expect(200);
    expect(head.body.seq).toBe(1);
  });

  it('detects an altered row at its seq', async () => {
    await appendSome(5);
    await tamper(`update audit_events set data = '{"i": 99}' where seq = 3`);
    const { firstBreak } = await verifyAuditChain(platform.database.db);
    expect(firstBreak).toMatchObject({ seq: 3, reason: 'hash_mismatch' });
  });

  it('detects a row altered together with its hash at the next link', async () => {
    await appendSome(5);
    await tamper(`update audit_events set actor = 'user:666', hash = '${'a'.repeat(64)}' where seq = 2`);
    const { firstBreak } = await verifyAuditChain(platform.database.db);
    expect(firstBreak?.seq).toBe(2);
  });

  it('detects a deleted row in the middle', async () => {
    await appendSome(5);
    await tamper('delete from audit_events where seq = 4');
    const { firstBreak } = await verifyAuditChain(platform.database.db);
    expect(firstBreak).toMatchObject({ seq: 4, reason: 'sequence_gap' });
  });

  it('detects a deleted tail against the published head', async () => {
    await appendSome(5);
    await tamper('delete from audit_events where seq = 5');
    const { firstBreak } = await verifyAuditChain(platform.database.db);
    expect(firstBreak).toMatchObject({ seq: 5, reason: 'head_mismatch' });
  });

  it('detects reordered events', async () => {
    await appendSome(4);
    await tamper('update audit_events set seq = -2 where seq = 2');
    await tamper('update audit_events set seq = 2 where seq = 3');
    await tamper('update audit_events set seq = 3 where seq = -2');
    const { firstBreak } = await verifyAuditChain(platform.database.db);
    expect(firstBreak?.seq).toBe(2);
  });

  it('refuses every edit of the log through the application role', async () => {
    await appendSome(3);
    expect(await refusalOf(exec(`update audit_events set data = '{"i": 99}' where seq = 2`))).toMatch(/append-only/);
    expect(await refusalOf(exec('delete from audit_events where seq = 3'))).toMatch(/append-only/);
    expect(await refusalOf(exec('truncate audit_events'))).toMatch(/append-only/);
    expect(await refusalOf(exec('update audit_head set seq = 2'))).toMatch(/only moves forward/);
    expect(await refusalOf(exec('delete from audit_head'))).toMatch(/only moves forward/);
    expect(await verifyAuditChain(platform.database.db)).toMatchObject({ checked: 3, firstBreak: null });
  });

  it('serves a public entity trail and keeps the full log for staff', async () => {
    await appendSome(2);
    const trail = await request(platform.app).get('/api/v1/audit/trail/project/2').expect(200);
    expect(trail.body.total).toBe(1);
    expect(trail.body.items[0]).toMatchObject({ seq: 2, entityId: '2', action: 'test.done' });
    expect(trail.body.items[0].at).toMatch(/\+08:00$/);
    await request(platform.app).get('/api/v1/audit/trail/user/2').expect(400);
    await request(platform.app).get('/api/v1/audit/events').expect(401);
  });
});
