import request from 'supertest';
import { DEFAULT_RULES } from '../../src/credit/score.js';
import { aFirm, logIn, loggedInAs, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const rulesWith = (overrides: Record<string, { points: number; windowDays?: number }>) =>
  DEFAULT_RULES.map((rule) => ({ kind: rule.kind, points: overrides[rule.kind]?.points ?? rule.points / 100, windowDays: overrides[rule.kind]?.windowDays ?? rule.windowDays }));

describe('credit ratings over the API', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform();
    platform.clock.set('2026-11-25T09:00:00+08:00');
    staff = await withToken(platform, await loggedInAs(platform, 'staff'));
  });
  afterAll(() => platform.close());

  const credit = async (firmId: number) => (await request(platform.app).get(`/api/v1/firms/${firmId}/credit`).expect(200)).body;
  const record = (firmId: number, body: object) => staff.agent.post(`/api/v1/firms/${firmId}/credit-events`).send(body);
  const putRules = (rules: object[], note = '调整评分规则') => staff.agent.put('/api/v1/credit/rules').send({ rules, note });

  it('publishes the rule table with points and windows', async () => {
    const response = await request(platform.app).get('/api/v1/credit/rules').expect(200);
    expect(response.body.current.version).toBeGreaterThanOrEqual(1);
    expect(response.body.current.rules).toContainEqual({ kind: 'violation_serious', points: -30, windowDays: 1095 });
  });

  it('starts a firm at 80 (AA), and a staff-recorded violation lowers it', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    expect(await credit(firmId)).toMatchObject({ score: 80, grade: 'AA', blacklisted: false, events: [] });
    const created = await record(firmId, { kind: 'violation_minor', note: '报名材料与事实不符' });
    expect(created.status).toBe(201);
    const after = await credit(firmId);
    expect(after).toMatchObject({ score: 70, grade: 'A' });
    expect(after.events[0]).toMatchObject({ id: created.body.id, kind: 'violation_minor', points: -10, counts: true, state: 'counts' });
    expect(after.history).toHaveLength(12);
    expect(after.history.at(-1)).toMatchObject({ month: '2026-11', score: 70, grade: 'A' });
  });

  it('refuses events from anyone but staff, and corrections of another firm’s event', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    const other = await aFirm(platform, { admitted: true });
    const firmSession = await logIn(platform, other.account);
    await firmSession.agent.post(`/api/v1/firms/${firmId}/credit-events`).set('X-CSRF-Token', firmSession.csrfToken).send({ kind: 'delivery_on_time', note: '自己加分' }).expect(403);
    const event = await record(other.firmId, { kind: 'violation_minor', note: '违规' });
    const wrong = await record(firmId, { kind: 'correction', note: '更正', correctsEventId: event.body.id });
    expect(wrong.status).toBe(400);
  });

  it('scores 89.99 as AA and 90 as AAA, and a new rule version applies from its moment on', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    expect((await putRules(rulesWith({ owner_rating_good: { points: 9.99 } }))).status).toBe(200);
    await record(firmId, { kind: 'owner_rating_good', note: '业主评价良好' }).expect(201);
    expect(await credit(firmId)).toMatchObject({ score: 89.99, grade: 'AA' });
    platform.clock.advance(1000);
    expect((await putRules(rulesWith({ owner_rating_good: { points: 10 } }))).status).toBe(200);
    expect(await credit(firmId)).toMatchObject({ score: 90, grade: 'AAA' });
    await putRules(rulesWith({}), '恢复默认规则').expect(200);
  });

  it('rejects points with more than two decimals and rule tables missing a kind', async () => {
    expect((await putRules(rulesWith({ owner_rating_good: { points: 1.005 } }))).status).toBe(400);
    expect((await putRules(rulesWith({}).slice(1))).status).toBe(400);
  });

  it('drops an event out of the score at the exact second its window ends', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    await putRules(rulesWith({ delivery_overdue: { points: -5, windowDays: 10 } })).expect(200);
    const occurred = platform.clock.now().getTime();
    await record(firmId, { kind: 'delivery_overdue', note: '逾期交付' }).expect(201);
    platform.clock.set(new Date(occurred + 10 * DAY_MS - 1000));
    expect(await credit(firmId)).toMatchObject({ score: 75 });
    platform.clock.set(new Date(occurred + 10 * DAY_MS));
    const after = await credit(firmId);
    expect(after).toMatchObject({ score: 80 });
    expect(after.events[0]).toMatchObject({ counts: false, state: 'expired' });
    await putRules(rulesWith({}), '恢复默认规则').expect(200);
  });

  it('recomputes every month of history under the rule version in force at its end', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    await record(firmId, { kind: 'award_abandoned', note: '中选后弃约' }).expect(201);
    platform.clock.advance(40 * DAY_MS);
    const before = (await credit(firmId)).history;
    await putRules(rulesWith({ award_abandoned: { points: -25 } }), '加重弃约处罚').expect(200);
    const after = await credit(firmId);
    // every month that ended before the change is unchanged; only "now" follows the new version
    expect(after.history.slice(0, -1)).toEqual(before.slice(0, -1));
    expect(before.at(-1).score).toBe(70);
    expect(after.history.at(-1)).toMatchObject({ score: 55, grade: 'C' });
    expect(after.score).toBe(55);
    await putRules(rulesWith({}), '恢复默认规则').expect(200);
  });

  it('lets a firm dispute its own event once; staff uphold it and a correction cancels the event', async () => {
    const firm = await aFirm(platform, { admitted: true });
    const other = await aFirm(platform, { admitted: true });
    const own = await withToken(platform, await logIn(platform, firm.account));
    const stranger = await withToken(platform, await logIn(platform, other.account));
    const event = await record(firm.firmId, { kind: 'violation_minor', note: '违规' });
    await stranger.agent.post(`/api/v1/credit-events/${event.body.id}/dispute`).send({ grounds: '不是我们' }).expect(403);
    const dispute = await own.agent.post(`/api/v1/credit-events/${event.body.id}/dispute`).send({ grounds: '该项目已按期完成，记录有误' });
    expect(dispute.status).toBe(201);
    await own.agent.post(`/api/v1/credit-events/${event.body.id}/dispute`).send({ grounds: '再次申请' }).expect(409);
    await stranger.agent.get(`/api/v1/firms/${firm.firmId}/credit-disputes`).expect(403);
    expect((await own.agent.get(`/api/v1/firms/${firm.firmId}/credit-disputes`).expect(200)).body).toHaveLength(1);
    await own.agent.post(`/api/v1/credit-disputes/${dispute.body.id}/decision`).send({ decision: 'uphold', reason: '核实' }).expect(403);
    const decided = await staff.agent.post(`/api/v1/credit-disputes/${dispute.body.id}/decision`).send({ decision: 'uphold', reason: '经核实记录有误' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ decision: 'upheld', decisionReason: '经核实记录有误' });
    await staff.agent.post(`/api/v1/credit-disputes/${dispute.body.id}/decision`).send({ decision: 'dismiss', reason: '再次决定' }).expect(409);
    const after = await credit(firm.firmId);
    expect(after.score).toBe(80);
    expect(after.events.map((e: { kind: string; state: string }) => [e.kind, e.state])).toEqual([
      ['correction', 'correction'],
      ['violation_minor', 'corrected'],
    ]);
  });

  it('filters the directory by minimum grade and names the grade in eligibility', async () => {
    const low = await aFirm(platform, { admitted: true, name: '低信用测试中介有限公司' });
    const fine = await aFirm(platform, { admitted: true, name: '正常信用测试中介有限公司' });
    await record(low.firmId, { kind: 'violation_serious', note: '严重违规' }).expect(201);
    const names = async (minGrade: string) =>
      (await request(platform.app).get('/api/v1/firms').query({ minGrade, q: '信用测试中介', pageSize: 100 }).expect(200)).body.items.map((firm: { name: string }) => firm.name);
    expect(await names('AA')).toEqual(['正常信用测试中介有限公司']);
    expect(await names('C')).toEqual(expect.arrayContaining(['低信用测试中介有限公司', '正常信用测试中介有限公司']));
    expect(await names('AAA')).toEqual([]);
    const listed = (await request(platform.app).get('/api/v1/firms').query({ q: '低信用测试中介' }).expect(200)).body.items[0];
    expect(listed.credit).toEqual({ score: 50, grade: 'C', blacklisted: false });
    const eligibility = await staff.agent.get(`/api/v1/firms/${low.firmId}/eligibility`).query({ service: 'NONE', minGrade: 'B' }).expect(200);
    expect(eligibility.body.failures.map((f: { rule: string }) => f.rule)).toContain('credit_grade_too_low');
    const ok = await staff.agent.get(`/api/v1/firms/${fine.firmId}/eligibility`).query({ service: 'NONE', minGrade: 'AA' }).expect(200);
    expect(ok.body.failures.map((f: { rule: string }) => f.rule)).not.toContain('credit_grade_too_low');
  });

  it('shows the score, grade, events and an SVG history chart on the firm page', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    await record(firmId, { kind: 'delivery_on_time', note: '按时交付 <b>ok</b>' }).expect(201);
    const html = (await request(platform.app).get(`/firms/${firmId}`).expect(200)).text;
    expect(html).toContain('<dd data-credit-score>81</dd>');
    expect(html).toContain('<dd data-credit-grade>AA</dd>');
    expect(html).toMatch(/<svg [^>]*class="credit-chart"[^>]*role="img"/);
    expect(html).toContain('<polyline points="');
    expect(html).toContain('按时交付 &lt;b&gt;ok&lt;/b&gt;');
  });
});
