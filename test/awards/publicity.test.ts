import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/platform/db/index.js';
import { aFirm, loggedInAs, logIn, post, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aProjectInPublicity, OPENED_AT, PUBLICITY_ENDS_AT } from './support.js';

const SECOND = 1000;
const GROUNDS = '中选机构的资质证书已过期，不满足报名条件，请予核查。';

describe('publicity (中选公示) and objections (异议)', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform();
    staff = await withToken(platform, await loggedInAs(platform, 'staff'));
  });
  afterAll(() => platform.close());
  beforeEach(() => platform.clock.set('2026-11-25T09:00:00+08:00'));

  const overview = async (projectId: number, viewer?: LoggedIn) =>
    (await (viewer ? viewer.agent : request(platform.app)).get(`/api/v1/projects/${projectId}/award`).expect(200)).body;
  const statusOf = async (projectId: number) => (await request(platform.app).get(`/api/v1/projects/${projectId}`).expect(200)).body.status;
  const creditKinds = async (firmId: number) =>
    (await queryRows<{ kind: string }>(platform.database.db, sql`select kind from credit_events where firm_id = ${firmId} order by id`)).map((row) => row.kind);

  it('ends publicity at the exact second: one second before it is still publicity, then awarded with an offer', async () => {
    const { projectId, winner } = await aProjectInPublicity(platform);
    expect(new Date((await overview(projectId)).publicityEndsAt)).toEqual(new Date(PUBLICITY_ENDS_AT));
    platform.clock.set(new Date(new Date(PUBLICITY_ENDS_AT).getTime() - SECOND));
    expect(await statusOf(projectId)).toBe('publicity');
    platform.clock.set(PUBLICITY_ENDS_AT);
    expect(await statusOf(projectId)).toBe('awarded');
    const state = await overview(projectId);
    expect(state.offers).toEqual([expect.objectContaining({ firmId: winner.firmId, status: 'offered', offeredAt: new Date(PUBLICITY_ENDS_AT).toISOString() })]);
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${projectId}`).expect(200);
    expect(notices.body.items[0]).toMatchObject({ kind: 'awarded' });
  });

  it('ends publicity by the deadline job and lapses the offer by the job at respondBy, without any read', async () => {
    const { projectId } = await aProjectInPublicity(platform);
    const statusInDb = async () =>
      (await queryRows<{ status: string }>(platform.database.db, sql`select status from projects where id = ${projectId}`))[0]!.status;
    platform.clock.set(PUBLICITY_ENDS_AT);
    await platform.jobs.runDue();
    expect(await statusInDb()).toBe('awarded');
    platform.clock.set('2026-12-11T17:00:00+08:00');
    await platform.jobs.runDue();
    const rows = await queryRows<{ status: string }>(platform.database.db, sql`select status from awards where project_id = ${projectId} order by rank`);
    expect(rows.map((row) => row.status)).toEqual(['lapsed', 'offered']);
  });

  it('takes one objection per registrant during publicity only, and keeps the objector anonymous to the public', async () => {
    const { scene, projectId, alternates } = await aProjectInPublicity(platform, { firmCount: 4 });
    const outsider = await aFirm(platform, { admitted: true });
    const outsiderSession = await withToken(platform, await logIn(platform, outsider.account));
    await post(outsiderSession, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(403);
    await post(scene.owner, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(403);
    await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: '太短' }).expect(400);
    const filed = await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(201);
    expect(filed.body).toMatchObject({ status: 'pending', firmId: alternates[0]!.firmId, grounds: GROUNDS });
    const again = await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(409);
    expect(again.body.code).toBe('already_objected');

    const publicView = await overview(projectId);
    expect(publicView.objections).toEqual([expect.objectContaining({ id: filed.body.id, status: 'pending' })]);
    expect(publicView.objections[0].firmId).toBeUndefined();
    expect(JSON.stringify(publicView)).not.toContain(GROUNDS);
    const otherFirm = await overview(projectId, alternates[1]!);
    expect(otherFirm.objections[0].grounds).toBeUndefined();
    expect((await overview(projectId, alternates[0]!)).objections[0].grounds).toBe(GROUNDS);
    expect((await overview(projectId, staff)).objections[0].firmId).toBe(alternates[0]!.firmId);

    platform.clock.set(new Date(new Date(PUBLICITY_ENDS_AT).getTime() - SECOND));
    await post(alternates[1]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(201);
    platform.clock.set(PUBLICITY_ENDS_AT);
    const late = await post(alternates[2]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(409);
    expect(late.body.code).toBe('publicity_over');
    expect(OPENED_AT < PUBLICITY_ENDS_AT).toBe(true);
  });

  it('attaches evidence uploaded by the objecting firm, and refuses a file of another firm', async () => {
    const { projectId, alternates } = await aProjectInPublicity(platform);
    const upload = (firm: LoggedIn) =>
      firm.agent.post('/api/v1/files').field('purpose', 'objection').attach('file', Buffer.from('核查记录：证书编号 123，已过期。\n'), 'evidence.txt').expect(201);
    const mine = await upload(alternates[0]!);
    const theirs = await upload(alternates[1]!);
    const refused = await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS, fileIds: [theirs.body.id] }).expect(400);
    expect(refused.body.code).toBe('file_not_attachable');
    const filed = await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS, fileIds: [mine.body.id] }).expect(201);
    expect(filed.body.fileIds).toEqual([mine.body.id]);
    expect((await overview(projectId, staff)).objections[0].fileIds).toEqual([mine.body.id]);
    await staff.agent.get(`/api/v1/files/${mine.body.id}`).expect(200);
    await alternates[1]!.agent.get(`/api/v1/files/${mine.body.id}`).expect(403);
  });

  it('keeps the project in publicity past the end while an objection is undecided; a dismissal awards it', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    const filed = await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(201);
    platform.clock.set('2026-12-08T10:00:00+08:00');
    expect(await statusOf(projectId)).toBe('publicity');
    await platform.sweeper.runOnce();
    expect(await statusOf(projectId)).toBe('publicity');
    await post(winner, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'dismiss', reason: '经核查，资质证书在有效期内' }).expect(403);
    await post(staff, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'dismiss', reason: 'x' }).expect(400);
    await post(staff, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'dismiss', reason: '经核查，资质证书在有效期内', outcome: 'fail' }).expect(400);
    const queue = await staff.agent.get('/api/v1/objections?status=pending').expect(200);
    expect(queue.body.items.map((o: { id: number }) => o.id)).toContain(filed.body.id);
    await winner.agent.get('/api/v1/objections').expect(403);
    const decided = await post(staff, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'dismiss', reason: '经核查，资质证书在有效期内' }).expect(200);
    expect(decided.body).toMatchObject({ status: 'dismissed', decisionReason: '经核查，资质证书在有效期内' });
    await post(staff, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'dismiss', reason: '重复处理' }).expect(409);
    expect(await statusOf(projectId)).toBe('awarded');
    const state = await overview(projectId);
    expect(state.objections[0]).toMatchObject({ status: 'dismissed', decisionReason: '经核查，资质证书在有效期内' });
    // the winner's five working days run from the decision, not from the original end of publicity
    expect(state.offers[0]).toMatchObject({ firmId: winner.firmId, offeredAt: new Date('2026-12-08T10:00:00+08:00').toISOString(), respondBy: new Date('2026-12-15T17:00:00+08:00').toISOString() });
    expect(await creditKinds(winner.firmId)).toEqual([]);
  });

  it('upholds an objection with re-selection: the winner is dropped, the next ranked firm wins in a new publicity period', async () => {
    const { projectId, winner, alternates } = await aProjectInPublicity(platform);
    const filed = await post(alternates[0]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(201);
    platform.clock.set('2026-12-02T10:00:00+08:00');
    await post(staff, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'uphold', reason: '中选机构资质证书已过期' }).expect(400);
    await post(staff, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'uphold', reason: '中选机构资质证书已过期', outcome: 'reselect' }).expect(200);
    const project = await request(platform.app).get(`/api/v1/projects/${projectId}`).expect(200);
    expect(project.body.status).toBe('publicity');
    expect(project.body.result.winners).toEqual([alternates[0]!.firmId]);
    expect(project.body.result.alternates).toEqual([alternates[1]!.firmId]);
    const state = await overview(projectId);
    expect(state.voided).toEqual([expect.objectContaining({ firmIds: [winner.firmId], objectionId: filed.body.id })]);
    expect(new Date(state.publicityEndsAt)).toEqual(new Date('2026-12-07T17:00:00+08:00'));
    expect(await creditKinds(winner.firmId)).toEqual(['objection_upheld']);
    // the old end of publicity passes without effect; the new one awards the re-selected firm
    platform.clock.set(PUBLICITY_ENDS_AT);
    expect(await statusOf(projectId)).toBe('publicity');
    platform.clock.set('2026-12-07T17:00:00+08:00');
    expect(await statusOf(projectId)).toBe('awarded');
    expect((await overview(projectId)).offers.map((o: { firmId: number; rank: number }) => [o.firmId, o.rank])).toEqual([[alternates[0]!.firmId, 2]]);
  });

  it('upholds an objection with failure: the project fails with a notice and the owner may clone it', async () => {
    const { scene, projectId, winner, alternates } = await aProjectInPublicity(platform);
    const filed = await post(alternates[1]!, `/api/v1/projects/${projectId}/objections`, { grounds: GROUNDS }).expect(201);
    await post(staff, `/api/v1/objections/${filed.body.id}/decision`, { decision: 'uphold', reason: '询价程序违规，结果无效', outcome: 'fail' }).expect(200);
    const project = await request(platform.app).get(`/api/v1/projects/${projectId}`).expect(200);
    expect(project.body).toMatchObject({ status: 'failed', outcomeReason: expect.stringContaining('询价程序违规') });
    expect(await creditKinds(winner.firmId)).toEqual(['objection_upheld']);
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${projectId}`).expect(200);
    expect(notices.body.items.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['objection_upheld', 'project_failed']));
    await post(scene.owner, `/api/v1/projects/${projectId}/clone`).expect(201);
    platform.clock.set(PUBLICITY_ENDS_AT);
    expect(await statusOf(projectId)).toBe('failed');
  });
});
