import request from 'supertest';
import { loggedInAs, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { firms } from './support.js';

describe('lottery staff routes with a real login', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform();
    staff = await loggedInAs(platform, 'staff');
  });
  afterAll(() => platform.close());

  const as = (session: LoggedIn, method: 'post' | 'put', path: string, body: unknown = {}) =>
    session.agent[method](`/api/v1${path}`).set('X-CSRF-Token', session.csrfToken).send(body as object);

  it('runs a manual-source draw end to end: commit, candidates, witnesses, figure, draw', async () => {
    const committed = await as(staff, 'post', '/lotteries', {
      winners: 2,
      subject: { entityType: 'project', entityId: '42' },
      external: { kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码' },
    }).expect(201);
    const id = committed.body.lotteryId as string;
    expect(committed.body).toMatchObject({ status: 'committed', subject: { entityType: 'project', entityId: '42' } });
    expect(committed.body.serverSeed).toBeUndefined();

    const candidates = firms(10);
    await as(staff, 'put', `/lotteries/${id}/candidates`, { candidates, entropy: { [candidates[1]!.uscc]: '随机 42' } }).expect(200);
    await as(staff, 'post', `/lotteries/${id}/witnesses`, { witnesses: ['监督员 王敏'] }).expect(200);
    const early = await as(staff, 'post', `/lotteries/${id}/draw`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('external_value_missing');
    await as(staff, 'post', `/lotteries/${id}/external`, { figure: '5 0 7', reference: 'https://www.cwl.gov.cn/' }).expect(200);

    const drawn = await as(staff, 'post', `/lotteries/${id}/draw`).expect(200);
    expect(drawn.body).toMatchObject({ status: 'drawn', witnesses: ['监督员 王敏'], external: { value: '5 0 7' } });
    const verdict = await request(platform.app).post('/api/v1/lotteries/verify').send(drawn.body).expect(200);
    expect(verdict.body).toEqual({ consistent: true });

    const again = await as(staff, 'post', `/lotteries/${id}/draw`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('lottery_already_drawn');

    const trail = await request(platform.app).get(`/api/v1/audit/trail/lottery/${id}`).expect(200);
    expect(new Set(trail.body.items.map((event: { actor: string }) => event.actor))).toEqual(new Set([`user:${staff.account.user.id}`]));
  });

  it('validates staff input with 400 and each failing path', async () => {
    const response = await as(staff, 'post', '/lotteries', { winners: 0, external: { kind: 'drand', after: 'tomorrow' } });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['body.external.after', 'body.winners']);
  });

  it('declares the first drand round after a given time', async () => {
    const response = await as(staff, 'post', '/lotteries', { winners: 1, external: { kind: 'drand', after: '2026-12-01T17:00:00+08:00' } }).expect(201);
    expect(response.body.external).toMatchObject({ declaration: { kind: 'drand' }, roundPublishedAt: expect.stringMatching(/^2026-12-01T17:00:0[0-3]/) });
  });

  it('invalidates with a reason', async () => {
    const { body } = await as(staff, 'post', '/lotteries', { winners: 1, external: { kind: 'none' } }).expect(201);
    const response = await as(staff, 'post', `/lotteries/${body.lotteryId}/invalidate`, { reason: '项目已撤销' }).expect(200);
    expect(response.body).toMatchObject({ status: 'invalidated', invalidation: { reason: '项目已撤销' } });
  });

  it('refuses owners and agencies (403)', async () => {
    for (const role of ['owner', 'agency'] as const) {
      const session = await loggedInAs(platform, role);
      const response = await as(session, 'post', '/lotteries', { winners: 1, external: { kind: 'none' } });
      expect(response.status).toBe(403);
    }
  });
});
