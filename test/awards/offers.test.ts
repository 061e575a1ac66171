import request from 'supertest';
import { sql } from 'drizzle-orm';
import { publishEntry } from '../../src/blacklist/service.js';
import { queryRows } from '../../src/platform/db/index.js';
import { aStaffUser, post } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aProjectInPublicity, FIRST_RESPOND_BY, PUBLICITY_ENDS_AT } from './support.js';

const SECOND = 1000;
/** 5 working days after FIRST_RESPOND_BY (Friday 11 Dec → Friday 18 Dec). */
const SECOND_RESPOND_BY = '2026-12-18T17:00:00+08:00';

describe('award offers: decline, lapse, alternates, blacklist', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());
  beforeEach(() => platform.clock.set('2026-11-25T09:00:00+08:00'));

  const overview = async (projectId: number) => (await request(platform.app).get(`/api/v1/projects/${projectId}/award`).expect(200)).body;
  const creditEvents = (firmId: number) =>
    queryRows<{ kind: string; occurred_at: Date | string; source: string }>(platform.database.db, sql`select kind, occurred_at, source from credit_events where firm_id = ${firmId} order by id`);

  it('passes a declined award to the next ranked alternate and records award_declined', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    platform.clock.set(PUBLICITY_ENDS_AT);
    platform.clock.advance(2 * 60 * 60 * SECOND);
    await post(winner, `/api/v1/projects/${projectId}/award/decline`, {}).expect(400);
    const declined = await post(winner, `/api/v1/projects/${projectId}/award/decline`, { reason: '项目负责人离职' }).expect(200);
    expect(declined.body).toMatchObject({ status: 'declined', reason: '项目负责人离职' });
    const state = await overview(projectId);
    expect(state.status).toBe('awarded');
    expect(state.offers.map((o: { firmId: number; status: string; rank: number }) => [o.firmId, o.status, o.rank])).toEqual([
      [winner.firmId, 'declined', 1],
      [alternates[0]!.firmId, 'offered', 2],
    ]);
    // the alternate's five working days count from the decline (Fri 4 Dec 19:00 → Fri 11 Dec 17:00)
    expect(new Date(state.offers[1].respondBy)).toEqual(new Date(FIRST_RESPOND_BY));
    expect((await creditEvents(winner.firmId)).map((e) => e.kind)).toEqual(['award_declined']);
    await post(winner, `/api/v1/projects/${projectId}/award/accept`).expect(409);
    await post(alternates[0]!, `/api/v1/projects/${projectId}/award/accept`).expect(200);
  });

  it('lapses an unanswered offer at the exact second of its deadline, records award_abandoned, and offers the alternate', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    platform.clock.set(PUBLICITY_ENDS_AT);
    expect((await overview(projectId)).offers[0]).toMatchObject({ firmId: winner.firmId, status: 'offered', respondBy: new Date(FIRST_RESPOND_BY).toISOString() });
    platform.clock.set(new Date(new Date(FIRST_RESPOND_BY).getTime() - SECOND));
    expect((await overview(projectId)).offers.map((o: { status: string }) => o.status)).toEqual(['offered']);
    platform.clock.set(FIRST_RESPOND_BY);
    await post(winner, `/api/v1/projects/${projectId}/award/accept`).expect(409);
    const state = await overview(projectId);
    expect(state.offers.map((o: { firmId: number; status: string }) => [o.firmId, o.status])).toEqual([
      [winner.firmId, 'lapsed'],
      [alternates[0]!.firmId, 'offered'],
    ]);
    expect(new Date(state.offers[1].offeredAt)).toEqual(new Date(FIRST_RESPOND_BY));
    expect(new Date(state.offers[1].respondBy)).toEqual(new Date(SECOND_RESPOND_BY));
    const events = await creditEvents(winner.firmId);
    expect(events.map((e) => e.kind)).toEqual(['award_abandoned']);
    expect(new Date(events[0]!.occurred_at)).toEqual(new Date(FIRST_RESPOND_BY));
  });

  it('lets the sweeper lapse the offer without any read', async () => {
    const { projectId, winner } = await aProjectInPublicity(platform);
    platform.clock.set(PUBLICITY_ENDS_AT);
    await platform.sweeper.runOnce();
    platform.clock.set(FIRST_RESPOND_BY);
    await platform.sweeper.runOnce();
    const rows = await queryRows<{ status: string }>(platform.database.db, sql`select status from awards where project_id = ${projectId} order by rank`);
    expect(rows.map((row) => row.status)).toEqual(['lapsed', 'offered']);
    expect((await creditEvents(winner.firmId)).map((e) => e.kind)).toEqual(['award_abandoned']);
  });

  it('fails the project (流标) when the chain of alternates runs out', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    platform.clock.set(PUBLICITY_ENDS_AT);
    await post(winner, `/api/v1/projects/${projectId}/award/decline`, { reason: '无法履约' }).expect(200);
    platform.clock.set(FIRST_RESPOND_BY); // the first alternate never answers
    await post(alternates[1]!, `/api/v1/projects/${projectId}/award/decline`, { reason: '档期冲突' }).expect(200);
    const project = await request(platform.app).get(`/api/v1/projects/${projectId}`).expect(200);
    expect(project.body).toMatchObject({ status: 'failed', outcomeReason: expect.stringContaining('候补') });
    const state = await overview(projectId);
    expect(state.offers.map((o: { status: string }) => o.status)).toEqual(['declined', 'lapsed', 'declined']);
    expect((await creditEvents(alternates[0]!.firmId)).map((e) => e.kind)).toEqual(['award_abandoned']);
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${projectId}`).expect(200);
    expect(notices.body.items[0].kind).toBe('project_failed');
  });

  it('refuses acceptance by a firm blacklisted while its offer is pending, and passes the offer on from the second the entry is active', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    platform.clock.set(PUBLICITY_ENDS_AT);
    await overview(projectId);
    platform.clock.set('2026-12-07T09:00:00+08:00');
    await publishEntry(platform, await aStaffUser(platform), {
      firmId: winner.firmId,
      reason: '提供虚假材料',
      basis: '《政府投资项目中介服务管理办法》第二十条',
      evidence: '核查记录',
      startsAt: '2026-12-07T10:00:00+08:00',
    } as never);
    platform.clock.set('2026-12-07T09:59:59+08:00');
    expect((await overview(projectId)).offers.map((o: { status: string }) => o.status)).toEqual(['offered']);
    platform.clock.set('2026-12-07T10:00:00+08:00');
    const refused = await post(winner, `/api/v1/projects/${projectId}/award/accept`).expect(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toContain('blacklisted');
    const state = await overview(projectId);
    expect(state.offers.map((o: { firmId: number; status: string; reason: string | null }) => [o.firmId, o.status])).toEqual([
      [winner.firmId, 'skipped'],
      [alternates[0]!.firmId, 'offered'],
    ]);
    expect(state.offers[0].reason).toContain('blacklisted');
    expect(new Date(state.offers[1].offeredAt)).toEqual(new Date('2026-12-07T10:00:00+08:00'));
    expect(new Date(state.offers[1].respondBy)).toEqual(new Date('2026-12-14T17:00:00+08:00'));
  });

  it('skips an alternate that is no longer eligible, naming the rule', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    await publishEntry(platform, await aStaffUser(platform), {
      firmId: alternates[0]!.firmId,
      reason: '串通报价',
      basis: '《政府投资项目中介服务管理办法》第二十条',
      evidence: '调查报告',
    } as never);
    platform.clock.set(PUBLICITY_ENDS_AT);
    await post(winner, `/api/v1/projects/${projectId}/award/decline`, { reason: '无法履约' }).expect(200);
    const state = await overview(projectId);
    expect(state.offers.map((o: { firmId: number; status: string; reason: string | null }) => [o.firmId, o.status, o.reason])).toEqual([
      [winner.firmId, 'declined', '无法履约'],
      [alternates[0]!.firmId, 'skipped', expect.stringContaining('blacklisted')],
      [alternates[1]!.firmId, 'offered', null],
    ]);
  });
});
