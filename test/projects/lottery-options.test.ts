import request from 'supertest';
import { verifyLotteryRecord } from '../../src/lottery/algorithm/index.js';
import { publishEntry } from '../../src/blacklist/service.js';
import { recordEvent } from '../../src/credit/service.js';
import { aStaffUser, csrfFrom, loggedInAs, logIn, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from './support.js';

const lotteryTerms = (serviceCode: string, overrides: Record<string, unknown> = {}) =>
  projectTerms(serviceCode, { method: 'lottery', submissionCloses: undefined, winners: 1, minRespondents: 2, ...overrides });

const REGISTRATION_CLOSE = '2026-11-27T17:00:00+08:00';

describe('lottery options: credit shortlist, credit-weighted odds, owner’s choice, witnesses, barred firms', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  /** Score 80 minus the given points, as credit events recorded before registration. */
  async function lowerCredit(firmId: number, kind: 'violation_minor' | 'violation_serious') {
    await recordEvent(platform.database.db, platform, 'test', { firmId, kind, source: 'test', note: '测试扣分' });
  }

  async function registerAll(projectId: number, firms: { agent: unknown }[]) {
    for (const firm of firms) await post(firm as never, `/api/v1/projects/${projectId}/registrations`).expect(201);
  }

  it('refuses options that do not fit the method or the numbers (400 naming the option)', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const create = (terms: Record<string, unknown>) => post(owner, '/api/v1/projects', terms);
    const inquiry = await create(projectTerms(service.code, { options: { creditShortlist: 5 } })).expect(400);
    expect(inquiry.body.errors[0].path).toBe('options.creditShortlist');
    const small = await create(lotteryTerms(service.code, { minRespondents: 3, options: { creditShortlist: 2 } })).expect(400);
    expect(small.body.errors[0].path).toBe('options.creditShortlist');
    const choice = await create(lotteryTerms(service.code, { winners: 2, options: { ownerChoiceShortlist: 2 } })).expect(400);
    expect(choice.body.errors[0].path).toBe('options.ownerChoiceShortlist');
    await create(lotteryTerms(service.code, { options: { creditShortlist: 3, creditWeighted: true, ownerChoiceShortlist: 3 } })).expect(201);
  });

  it('信用择优: drops the lowest-credit registrants down to the published size before the draw, keeping ties at the cut', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 5);
    await lowerCredit(firms[0]!.firmId, 'violation_serious'); // 50
    await lowerCredit(firms[1]!.firmId, 'violation_minor'); // 70
    await lowerCredit(firms[2]!.firmId, 'violation_minor'); // 70
    const project = await publishedProject(owner, lotteryTerms(service.code, { options: { creditShortlist: 2 } }));
    await registerAll(project.id, firms);

    platform.clock.set(REGISTRATION_CLOSE);
    const drawn = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(drawn.body.status).toBe('publicity');
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    // firms 3 and 4 keep 80 points; the cut (the 2nd score) is 80, so 70 and 50 are dropped
    const kept = new Set(drawn.body.result.ranking.map((entry: { firmId: number }) => entry.firmId));
    expect(kept).toEqual(new Set([firms[3]!.firmId, firms[4]!.firmId]));
    expect(record.body.candidates).toHaveLength(2);
    const registrants = await request(platform.app).get(`/api/v1/projects/${project.id}/registrations`).expect(200);
    const dropped = registrants.body.items.filter((r: { status: string }) => r.status === 'invalid');
    expect(dropped).toHaveLength(3);
  });

  it('信用择优 keeps every firm tied with the last kept score', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 4);
    await lowerCredit(firms[0]!.firmId, 'violation_serious'); // 50; the other three stay at 80
    const project = await publishedProject(owner, lotteryTerms(service.code, { options: { creditShortlist: 2 } }));
    await registerAll(project.id, firms);
    platform.clock.set(REGISTRATION_CLOSE);
    const drawn = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(drawn.body.result.ranking).toHaveLength(3);
    expect(drawn.body.result.ranking.map((entry: { firmId: number }) => entry.firmId)).not.toContain(firms[0]!.firmId);
  });

  it('credit-weighted odds: each candidate weighs its score in hundredths, and the record verifies', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    await lowerCredit(firms[0]!.firmId, 'violation_serious');
    const project = await publishedProject(owner, lotteryTerms(service.code, { options: { creditWeighted: true } }));
    await registerAll(project.id, firms);
    platform.clock.set(REGISTRATION_CLOSE);
    await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    const weights = record.body.candidates.map((c: { weight: number }) => c.weight).sort((a: number, b: number) => a - b);
    expect(weights).toEqual([5000, 8000, 8000]);
  });

  it('自主选择: the draw yields a shortlist; only the owner picks from it, with a reason; the others become alternates', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 4);
    const project = await publishedProject(owner, lotteryTerms(service.code, { options: { ownerChoiceShortlist: 3 } }));
    await registerAll(project.id, firms);
    platform.clock.set(REGISTRATION_CLOSE);
    const choosing = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(choosing.body.status).toBe('choosing');
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(record.body.winners).toHaveLength(3);
    const shortlist: number[] = choosing.body.result.shortlist.map((firm: { firmId: number }) => firm.firmId);
    expect(shortlist).toHaveLength(3);
    const outsider = firms.find((firm) => !shortlist.includes(firm.firmId))!;

    const ownerSession = await withToken(platform, owner);
    const otherOwner = await withToken(platform, await loggedInAs(platform, 'owner'));
    await post(otherOwner, `/api/v1/projects/${project.id}/owner-choice`, { firmIds: [shortlist[2]], reason: '业务经验更匹配' }).expect(403);
    const notOnList = await post(ownerSession, `/api/v1/projects/${project.id}/owner-choice`, { firmIds: [outsider.firmId], reason: '业务经验更匹配' }).expect(400);
    expect(notOnList.body.errors[0].path).toBe('body.firmIds');
    await post(ownerSession, `/api/v1/projects/${project.id}/owner-choice`, { firmIds: [shortlist[2]], reason: 'x' }).expect(400);

    const chosen = await post(ownerSession, `/api/v1/projects/${project.id}/owner-choice`, { firmIds: [shortlist[2]], reason: '业务经验更匹配' }).expect(200);
    expect(chosen.body.status).toBe('publicity');
    expect(chosen.body.result).toMatchObject({ winners: [shortlist[2]], alternates: [shortlist[0], shortlist[1]], ownerChoice: { reason: '业务经验更匹配' } });
    await post(ownerSession, `/api/v1/projects/${project.id}/owner-choice`, { firmIds: [shortlist[1]], reason: '业务经验更匹配' }).expect(409);
    const trail = await request(platform.app).get(`/api/v1/audit/trail/project/${project.id}`).expect(200);
    expect(JSON.stringify(trail.body)).toContain('project.owner_choice');
  });

  it('自主选择 on the project page: the owner sees the shortlist form, a missing reason re-renders it, a valid choice publishes', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, lotteryTerms(service.code, { options: { ownerChoiceShortlist: 2 } }));
    await registerAll(project.id, firms);
    platform.clock.set(REGISTRATION_CLOSE);
    const session = await logIn(platform, owner.account);
    const page = await session.agent.get(`/projects/${project.id}`).expect(200);
    expect(page.text).toContain('action="/projects/' + project.id + '/owner-choice"');
    const boxes = [...page.text.matchAll(/name="firmIds" value="(\d+)"/g)].map((match) => match[1]!);
    expect(boxes).toHaveLength(2);
    const publicPage = await request(platform.app).get(`/projects/${project.id}`).expect(200);
    expect(publicPage.text).not.toContain('/owner-choice');
    const refused = await session.agent.post(`/projects/${project.id}/owner-choice`).type('form').send({ _csrf: csrfFrom(page.text), firmIds: boxes[1], choiceReason: '' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('field-choiceReason');
    const chosen = await session.agent.post(`/projects/${project.id}/owner-choice`).type('form').send({ _csrf: csrfFrom(page.text), firmIds: boxes[1], choiceReason: '团队资质更齐全' }).expect(303);
    expect(chosen.headers.location).toContain('done=chosen');
    const after = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'publicity', result: { winners: [Number(boxes[1])] } });
  });

  it('records up to three witnesses on the draw, by the owner or staff, before the draw only', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 2);
    const project = await publishedProject(owner, lotteryTerms(service.code));
    await post(firms[0]!, `/api/v1/projects/${project.id}/witnesses`, { witnesses: ['张三'] }).expect(403);
    await post(owner, `/api/v1/projects/${project.id}/witnesses`, { witnesses: ['张三', '李四', '王五', '赵六'] }).expect(400);
    const named = await post(owner, `/api/v1/projects/${project.id}/witnesses`, { witnesses: ['张三（公证员）', '李四'] }).expect(200);
    expect(named.body.witnesses).toEqual(['张三（公证员）', '李四']);
    await registerAll(project.id, firms);
    platform.clock.set(REGISTRATION_CLOSE);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(record.body.witnesses).toEqual(['张三（公证员）', '李四']);
    await post(staff, `/api/v1/projects/${project.id}/witnesses`, { witnesses: ['王五'] }).expect(409);
  });

  it('a firm blacklisted while the draw waits for its external figure is passed over in the drawn order', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, lotteryTerms(service.code, { winners: 3, minRespondents: 3, options: { lotterySource: { kind: 'manual', description: '2026年12月1日福彩3D开奖号码' } } }));
    await registerAll(project.id, firms);
    platform.clock.set(REGISTRATION_CLOSE);
    const waiting = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(waiting.body.status).toBe('drawing');

    platform.clock.set('2026-12-01T21:00:00+08:00');
    await publishEntry(platform, await aStaffUser(platform), { firmId: firms[1]!.firmId, reason: '出具虚假报告', basis: '中介服务超市管理办法第三十条', evidence: '处罚决定书' });
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await post(staff, `/api/v1/lotteries/${project.lotteryId}/external`, { figure: '3 8 1', reference: 'https://www.cwl.gov.cn/' }).expect(200);
    const drawn = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(drawn.body.status).toBe('publicity');
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    expect(record.body.candidates).toHaveLength(3);
    const winners: number[] = drawn.body.result.winners;
    expect(winners).toHaveLength(2);
    expect(winners).not.toContain(firms[1]!.firmId);
    expect(drawn.body.result.passedOver).toEqual([expect.objectContaining({ firmId: firms[1]!.firmId, rules: ['blacklisted'] })]);
  });

  it('at the draw, an entry active from that very second passes its firm over, and one that ended at that second does not', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, lotteryTerms(service.code, { winners: 3, minRespondents: 3, options: { lotterySource: { kind: 'manual', description: '2026年12月1日福彩3D开奖号码' } } }));
    await registerAll(project.id, firms);
    platform.clock.set(REGISTRATION_CLOSE);
    await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);

    const drawAt = '2026-12-01T21:30:00+08:00';
    platform.clock.set('2026-11-30T09:00:00+08:00');
    const staffUser = await aStaffUser(platform);
    const entry = { reason: '出具虚假报告', basis: '中介服务超市管理办法第三十条', evidence: '处罚决定书' };
    await publishEntry(platform, staffUser, { ...entry, firmId: firms[0]!.firmId, startsAt: drawAt });
    await publishEntry(platform, staffUser, { ...entry, firmId: firms[2]!.firmId, endsAt: drawAt });

    platform.clock.set(drawAt);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await post(staff, `/api/v1/lotteries/${project.lotteryId}/external`, { figure: '5 0 2', reference: 'https://www.cwl.gov.cn/' }).expect(200);
    const drawn = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(drawn.body.result.passedOver.map((firm: { firmId: number }) => firm.firmId)).toEqual([firms[0]!.firmId]);
    expect(new Set(drawn.body.result.winners)).toEqual(new Set([firms[1]!.firmId, firms[2]!.firmId]));
  });
});
