import request from 'supertest';
import { sql } from 'drizzle-orm';
import { verifyLotteryRecord } from '../../src/lottery/algorithm/index.js';
import { loggedInAs, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { asTableOwner, refusalOf } from '../support/database.js';
import { aSelectionScene, post, projectTerms, publishedProject } from './support.js';

describe('inquiry (询价): registration, sealed submissions and the opening', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('runs end to end: the lowest valid quote wins, and every price is public after opening', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 1_000_000 }).expect(409); // registration still open

    platform.clock.set('2026-11-27T17:00:00+08:00');
    const amounts = [12_000_000, 11_000_000, 13_500_000];
    const receipts = [];
    for (const [i, firm] of firms.entries()) {
      const receipt = await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: amounts[i], promisedDays: 20, plan: `方案${i}` }).expect(201);
      expect(receipt.body.receiptHash).toMatch(/^[0-9a-f]{64}$/);
      receipts.push(receipt.body);
    }
    const mine = await firms[1]!.agent.get(`/api/v1/projects/${project.id}/submissions/mine`).expect(200);
    expect(mine.body).toMatchObject({ receiptHash: receipts[1].receiptHash, content: { amountFen: 11_000_000, plan: '方案1' } });

    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(opened.body.status).toBe('publicity');
    expect(opened.body.result.ranking.map((r: { amountFen: number }) => r.amountFen)).toEqual([11_000_000, 12_000_000, 13_500_000]);
    expect(opened.body.result.winners).toEqual([firms[1]!.firmId]);
    expect(opened.body.result.ranking[0].plan).toBeUndefined(); // plans are not public
    const full = await owner.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(200);
    expect(full.body.ranking[0].plan).toBe('方案1');
  });

  it('keeps every submission sealed before the opening, for every role', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 9_000_000 }).expect(201);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const admin = await withToken(platform, await loggedInAs(platform, 'admin'));
    for (const viewer of [owner, staff, admin, firms[0]!, firms[1]!]) {
      await viewer.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(403);
    }
    await request(platform.app).get(`/api/v1/projects/${project.id}/submissions`).expect(401);
    const stored = (await platform.database.db.execute(sql`select sealed from submissions`)) as unknown as { rows: { sealed: string }[] };
    expect(stored.rows[0]!.sealed).not.toContain('9000000');
    const page = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(page.body).not.toHaveProperty('submissionCount');
    expect(JSON.stringify(page.body)).not.toContain('9000000');
  });

  it('accepts a submission one millisecond before the deadline and refuses it at the deadline', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-12-01T16:59:59.999+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
    platform.clock.set('2026-12-01T17:00:00+08:00');
    await post(firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(409);
    platform.clock.set('2026-12-01T17:00:01+08:00');
    await post(firms[2]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(409);
  });

  it('closes registration exactly at its deadline', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    platform.clock.set('2026-11-27T16:59:59.999+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T17:00:00+08:00');
    await post(firms[1]!, `/api/v1/projects/${project.id}/registrations`).expect(409);
  });

  it('fails (流标) at registration close with too few eligible registrants, and the owner clones it', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 2);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-27T17:00:00+08:00');
    const failed = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(failed.body).toMatchObject({ status: 'failed', outcomeReason: '有效报名不足 3 家' });
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${project.id}`).expect(200);
    expect(notices.body.items.map((n: { kind: string }) => n.kind)).toContain('project_failed');
    const clone = await post(owner, `/api/v1/projects/${project.id}/clone`).expect(201);
    expect(clone.body).toMatchObject({ status: 'draft', clonedFrom: project.id, title: '某某道路改建工程环境影响评价' });
  });

  it('keeps a replaced submission out and the last one counts; an idempotent retry gets the same receipt', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    const first = await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 14_000_000 }, { 'Idempotency-Key': 'quote-1' }).expect(201);
    const retry = await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 14_000_000 }, { 'Idempotency-Key': 'quote-1' }).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 9_500_000 }, { 'Idempotency-Key': 'quote-2' }).expect(201);
    await post(firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
    await post(firms[2]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_500_000 }).expect(201);
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(opened.body.result.ranking.map((r: { amountFen: number }) => r.amountFen)).toEqual([9_500_000, 10_000_000, 10_500_000]);
  });

  it('detects a submission altered in the database and excludes it, never using it', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 4);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    for (const [i, firm] of firms.entries()) await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 + i * 100_000 }).expect(201);
    // someone with database access swaps the winner's sealed value for another firm's
    const execute = (statement: string) => platform.database.db.execute(sql.raw(statement));
    expect(await refusalOf(execute(`update submissions set received_at = received_at - interval '1 second' where firm_id = ${firms[1]!.firmId}`))).toMatch(/never changes/);
    await asTableOwner(execute, ['submissions'], async () => {
      await execute(`update submissions set sealed = (select sealed from submissions where firm_id = ${firms[3]!.firmId} and status = 'current') where firm_id = ${firms[0]!.firmId} and status = 'current'`);
      await execute(`update submissions set received_at = received_at - interval '1 second' where firm_id = ${firms[1]!.firmId} and status = 'current'`);
    });
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await owner.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(200);
    // two valid quotes are fewer than the three required: the project fails, with the report public
    expect((await request(platform.app).get(`/api/v1/projects/${project.id}`)).body.status).toBe('failed');
    expect(opened.body.tampered.map((t: { firmId: number }) => t.firmId).sort()).toEqual([firms[0]!.firmId, firms[1]!.firmId].sort());
    expect(opened.body.ranking.map((r: { firmId: number }) => r.firmId)).toEqual([firms[2]!.firmId, firms[3]!.firmId]);
  });

  it('refuses a quote above the upper limit and flags an abnormally low one', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    const above = await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 15_000_001 }).expect(400);
    expect(above.body.code).toBe('above_budget');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 5_000_000 }).expect(201);
    await post(firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 12_000_000 }).expect(201);
    await post(firms[2]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 13_000_000 }).expect(201);
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(opened.body.result.ranking[0]).toMatchObject({ amountFen: 5_000_000, flags: ['abnormally_low'] });
    expect(opened.body.result.ranking[1].flags).toEqual([]);
  });

  it('breaks an exact tie with the tie-break lottery committed at publication', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    expect(project.tieBreakLotteryId).toBeTruthy();
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
    await post(firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
    await post(firms[2]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 12_000_000 }).expect(201);
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(opened.body.status).toBe('publicity');
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.tieBreakLotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    const firstUscc = record.body.order[0];
    expect(opened.body.result.ranking[0].uscc).toBe(firstUscc);
    expect(opened.body.result.ranking.slice(0, 2).map((r: { amountFen: number }) => r.amountFen)).toEqual([10_000_000, 10_000_000]);
  });

  it('invalidates open submissions when the owner amends the terms', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
    const amended = await post(owner, `/api/v1/projects/${project.id}/amendments`, { budgetFen: 14_000_000, reason: '调整最高限价' }).expect(200);
    // the owner is not told how many quotes were in: that is sealed like the quotes
    expect(amended.body).not.toHaveProperty('invalidatedSubmissions');
    await firms[0]!.agent.get(`/api/v1/projects/${project.id}/submissions/mine`).expect(404);
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${project.id}`).expect(200);
    expect(notices.body.items[0]).toMatchObject({ kind: 'project_amended', body: '调整最高限价（变更前已提交的报价均已作废，请按变更后的条件重新提交）' });
  });
});

describe('effects of the blacklist on sealed submissions', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('refuses a quote from a firm blacklisted after registration closed, naming the rule, from that second on', async () => {
    const { publishEntry } = await import('../../src/blacklist/service.js');
    const { aStaffUser } = await import('../support/builders.js');
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set('2026-11-28T09:00:00+08:00');
    await publishEntry(platform, await aStaffUser(platform), {
      firmId: firms[0]!.firmId,
      reason: '提供虚假材料',
      basis: '《政府投资项目中介服务管理办法》第二十条',
      evidence: '核查记录',
      startsAt: '2026-11-28T10:00:00+08:00',
    } as never);
    platform.clock.set('2026-11-28T09:59:59.999+08:00');
    await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(201);
    platform.clock.set('2026-11-28T10:00:00+08:00');
    const refused = await post(firms[0]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 9_000_000 }).expect(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toContain('blacklisted');
    await post(firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 9_500_000 }).expect(201);
    await post(firms[2]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 9_800_000 }).expect(201);
    // the quote it made before the entry took effect is out at the opening
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await owner.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(200);
    expect(opened.body.invalid).toEqual([expect.objectContaining({ firmId: firms[0]!.firmId, reason: expect.stringContaining('blacklisted') })]);
    expect(opened.body.ranking.map((r: { firmId: number }) => r.firmId)).toEqual([firms[1]!.firmId, firms[2]!.firmId]);
  });
});
