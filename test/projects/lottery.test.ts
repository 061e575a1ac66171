import request from 'supertest';
import { verifyLotteryRecord } from '../../src/lottery/algorithm/index.js';
import { loggedInAs, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from './support.js';

const lotteryTerms = (serviceCode: string, overrides: Record<string, unknown> = {}) =>
  projectTerms(serviceCode, { method: 'lottery', submissionCloses: undefined, winners: 2, ...overrides });

const REGISTRATION_CLOSE = '2026-11-27T17:00:00+08:00';

describe('lottery (网上摇号): the draw at registration close', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('commits the seed at publication, before any registration', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const project = await publishedProject(owner, lotteryTerms(service.code));
    expect(project.lotteryId).toBeTruthy();
    expect(project.tieBreakLotteryId).toBeNull();
    const lottery = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(lottery.body).toMatchObject({ status: 'committed', subject: { entityType: 'project', entityId: String(project.id) } });
    expect(lottery.body.seedCommitment).toMatch(/^[0-9a-f]{64}$/);
    expect(lottery.body.serverSeed).toBeUndefined();
    expect(new Date(lottery.body.commitmentPublishedAt).getTime()).toBe(new Date('2026-11-25T09:00:00+08:00').getTime());
  });

  it('draws at close: the first `winners` of the order win, the rest are ranked alternates, and the record verifies', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 5);
    const project = await publishedProject(owner, lotteryTerms(service.code));
    const committed = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);

    platform.clock.set('2026-11-26T10:00:00+08:00');
    const entropies = ['甲方观察员的数字 42', 'abc', undefined, 'zzz', undefined];
    for (const [i, firm] of firms.entries()) {
      await post(firm, `/api/v1/projects/${project.id}/registrations`, entropies[i] ? { entropy: entropies[i] } : {}).expect(201);
    }

    platform.clock.set(REGISTRATION_CLOSE);
    const drawn = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(drawn.body.status).toBe('publicity');
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    expect(record.body.seedCommitment).toBe(committed.body.seedCommitment);
    expect(new Date(record.body.commitmentPublishedAt) < new Date('2026-11-26T10:00:00+08:00')).toBe(true);
    expect(record.body.weakSource).toBe(true);

    const registrants = await request(platform.app).get(`/api/v1/projects/${project.id}/registrations`).expect(200);
    const usccOf = new Map<number, string>(registrants.body.items.map((r: { firmId: number; uscc: string }) => [r.firmId, r.uscc]));
    const expectedEntropy = Object.fromEntries(
      firms.flatMap((firm, i) => (entropies[i] ? [[usccOf.get(firm.firmId)!, entropies[i]!.normalize('NFC')]] : [])),
    );
    expect(record.body.entropy).toEqual(expectedEntropy);
    expect(record.body.candidates.map((c: { uscc: string }) => c.uscc).sort()).toEqual([...usccOf.values()].sort());

    const order: string[] = record.body.order;
    const firmIdOf = new Map([...usccOf].map(([firmId, uscc]) => [uscc, firmId]));
    const result = drawn.body.result;
    expect(result.kind).toBe('lottery');
    expect(result.ranking.map((entry: { uscc: string }) => entry.uscc)).toEqual(order);
    expect(result.winners).toEqual(order.slice(0, 2).map((uscc) => firmIdOf.get(uscc)));
    expect(result.alternates).toEqual(order.slice(2).map((uscc) => firmIdOf.get(uscc)));
    expect(record.body.winners).toEqual(order.slice(0, 2));
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${project.id}`).expect(200);
    expect(notices.body.items.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['project_notice', 'registration_closed', 'result_publicity']));
  });

  it('refuses entropy longer than the algorithm allows', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, lotteryTerms(service.code));
    const refused = await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`, { entropy: 'x'.repeat(65) }).expect(400);
    expect(refused.body.code).toBe('invalid_entropy');
  });

  it('waits in `drawing` for a manual figure; once staff enter it, reading the project completes the draw', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const description = '2026年12月1日福彩3D开奖号码';
    const project = await publishedProject(owner, lotteryTerms(service.code, { winners: 1, options: { lotterySource: { kind: 'manual', description } } }));
    const committed = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(committed.body.external.declaration).toEqual({ kind: 'manual', description });
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);

    platform.clock.set(REGISTRATION_CLOSE);
    const waiting = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(waiting.body).toMatchObject({ status: 'drawing', result: null });
    platform.clock.set('2026-11-30T09:00:00+08:00');
    expect((await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200)).body.status).toBe('drawing');
    const pending = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(pending.body).toMatchObject({ status: 'awaiting_external', candidateCount: 3 });

    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    await post(firms[0]!, `/api/v1/lotteries/${project.lotteryId}/external`, { figure: '3 8 1', reference: 'https://www.cwl.gov.cn/' }).expect(403);
    await post(staff, `/api/v1/lotteries/${project.lotteryId}/external`, { figure: '3 8 1', reference: 'https://www.cwl.gov.cn/' }).expect(200);

    const done = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(done.body.status).toBe('publicity');
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    expect(record.body).toMatchObject({ weakSource: false, external: { declaration: { kind: 'manual', description }, value: '3 8 1' } });
    expect(done.body.result.ranking[0].uscc).toBe(record.body.order[0]);
  });

  it('fails (流标) without a draw when fewer than minRespondents registered', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 2);
    const project = await publishedProject(owner, lotteryTerms(service.code, { winners: 1 }));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set(REGISTRATION_CLOSE);
    const failed = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(failed.body.status).toBe('failed');
    const lottery = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(lottery.body.status).toBe('committed');
  });
});

describe('lottery_inquiry (摇号询价): drawn candidates alone submit', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('draws drawCount candidates; only they may submit; the lowest quote wins at the opening', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 5);
    const project = await publishedProject(owner, projectTerms(service.code, { method: 'lottery_inquiry', options: { drawCount: 3 } }));
    expect(project.lotteryId).toBeTruthy();
    expect(project.tieBreakLotteryId).toBeTruthy();
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);

    platform.clock.set(REGISTRATION_CLOSE);
    const submitting = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(submitting.body.status).toBe('submitting');
    const record = await request(platform.app).get(`/api/v1/lotteries/${project.lotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    expect(record.body.winners).toHaveLength(3);
    const drawn: number[] = submitting.body.result.drawn;
    expect(drawn).toHaveLength(3);
    const drawnFirms = firms.filter((firm) => drawn.includes(firm.firmId));
    const others = firms.filter((firm) => !drawn.includes(firm.firmId));
    expect(drawnFirms).toHaveLength(3);
    expect(submitting.body.result.order.slice(0, 3).map((o: { uscc: string }) => o.uscc)).toEqual(record.body.winners);

    for (const firm of others) {
      const refused = await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: 9_000_000 }).expect(403);
      expect(refused.body.detail).toMatch(/drawn/);
    }
    const amounts = [12_000_000, 10_500_000, 11_000_000];
    for (const [i, firm] of drawnFirms.entries()) {
      await post(firm, `/api/v1/projects/${project.id}/submissions`, { amountFen: amounts[i], promisedDays: 15 }).expect(201);
    }
    for (const viewer of [owner, drawnFirms[0]!]) await viewer.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(403);

    platform.clock.set('2026-12-01T17:00:00+08:00');
    const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(opened.body.status).toBe('publicity');
    expect(opened.body.result.ranking.map((r: { amountFen: number }) => r.amountFen)).toEqual([10_500_000, 11_000_000, 12_000_000]);
    expect(opened.body.result.winners).toEqual([drawnFirms[1]!.firmId]);
    expect(opened.body.result.ranking.map((r: { firmId: number }) => r.firmId).sort()).toEqual(drawn.slice().sort());
  });

  it('refuses a drawCount below the number of winners', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const refused = await post(owner, '/api/v1/projects', projectTerms(service.code, { method: 'lottery_inquiry', winners: 2, options: { drawCount: 1 } })).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'options.drawCount' })]);
  });
});
