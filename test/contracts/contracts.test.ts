import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/platform/db/index.js';
import { loggedInAs, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { ALL, aContractedProject, aDeliveredProject, anAwardedProject, DUE_AT, post, SIGNED_ON, uploaded, WINNING_PRICE } from './support.js';

const status = async (platform: TestPlatform, projectId: number) => (await request(platform.app).get(`/api/v1/projects/${projectId}`).expect(200)).body.status as string;
const creditKinds = async (platform: TestPlatform, firmId: number) =>
  (await queryRows<{ kind: string }>(platform.database.db, sql`select kind from credit_events where firm_id = ${firmId} order by id`)).map((row) => row.kind);

describe('contract (合同): amount, date, file, roles and state', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('refuses one fen above the winning price with 400 naming amountFen, accepts exactly it, and the project is contracted', async () => {
    const { projectId, owner, winner } = await anAwardedProject(platform);
    const fileId = await uploaded(owner, 'contract');
    const above = await post(owner, `/api/v1/projects/${projectId}/contract`, { amountFen: WINNING_PRICE + 1, signedOn: SIGNED_ON, fileId }).expect(400);
    expect(above.body.code).toBe('amount_above_winning_price');
    expect(above.body.errors).toEqual([expect.objectContaining({ path: 'body.amountFen' })]);
    expect(await status(platform, projectId)).toBe('awarded');
    const signed = await post(owner, `/api/v1/projects/${projectId}/contract`, { amountFen: WINNING_PRICE, signedOn: SIGNED_ON, fileId }).expect(201);
    expect(signed.body).toMatchObject({ firmId: winner.firmId, amountFen: WINNING_PRICE, signedOn: SIGNED_ON, promisedDays: 20 });
    expect(await status(platform, projectId)).toBe('contracted');
    await post(owner, `/api/v1/projects/${projectId}/contract`, { amountFen: WINNING_PRICE, signedOn: SIGNED_ON, fileId }).expect(409);
    const notices = await queryRows<{ kind: string }>(platform.database.db, sql`select kind from announcements where project_id = ${projectId} and kind = 'contract_signed'`);
    expect(notices).toHaveLength(1);
  });

  it('refuses a future signing date and a file that is not the owner\'s contract upload (400)', async () => {
    const { projectId, owner, winner } = await anAwardedProject(platform);
    const fileId = await uploaded(owner, 'contract');
    const future = await post(owner, `/api/v1/projects/${projectId}/contract`, { amountFen: WINNING_PRICE, signedOn: '2026-12-05', fileId }).expect(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ path: 'body.signedOn' })]);
    const firmsFile = await uploaded(winner, 'contract');
    const foreign = await post(owner, `/api/v1/projects/${projectId}/contract`, { amountFen: WINNING_PRICE, signedOn: SIGNED_ON, fileId: firmsFile }).expect(400);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ path: 'body.fileId' })]);
    const wrongPurpose = await uploaded(owner, 'deliverable');
    await post(owner, `/api/v1/projects/${projectId}/contract`, { amountFen: WINNING_PRICE, signedOn: SIGNED_ON, fileId: wrongPurpose }).expect(400);
  });

  it('lets only the project owner record the contract (403), and only once awarded (409)', async () => {
    const { projectId, owner, winner, scene } = await anAwardedProject(platform);
    const fileId = await uploaded(owner, 'contract');
    const body = { amountFen: WINNING_PRICE, signedOn: SIGNED_ON, fileId };
    await post(winner, `/api/v1/projects/${projectId}/contract`, body).expect(403);
    const staff = await loggedInAs(platform, 'staff');
    await post(staff, `/api/v1/projects/${projectId}/contract`, body).expect(403);
    const otherOwner = await withToken(platform, await loggedInAs(platform, 'owner'));
    await post(otherOwner, `/api/v1/projects/${projectId}/contract`, { ...body, fileId: await uploaded(otherOwner, 'contract') }).expect(403);
    // a project still registering
    const { projectTerms, publishedProject } = await import('../projects/support.js');
    const early = await publishedProject(owner, projectTerms(scene.service.code, { registrationCloses: '2026-12-20T17:00:00+08:00', submissionCloses: '2026-12-25T17:00:00+08:00' }));
    const wrong = await post(owner, `/api/v1/projects/${early.id}/contract`, body).expect(409);
    expect(wrong.body.code).toBe('wrong_status');
  });

  it('serves the contract scan to the contracted firm but not to an alternate (403)', async () => {
    const { winner, alternates, contractFileId } = await aContractedProject(platform);
    await winner.agent.get(`/api/v1/files/${contractFileId}`).expect(200);
    await alternates[0]!.agent.get(`/api/v1/files/${contractFileId}`).expect(403);
  });
});

describe('delivery (服务成果) and completion (验收)', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('takes delivery only from the contracted firm, once, after the contract', async () => {
    const awarded = await anAwardedProject(platform);
    const early = await post(awarded.winner, `/api/v1/projects/${awarded.projectId}/delivery`, { note: '提前提交', fileIds: [await uploaded(awarded.winner, 'deliverable')] }).expect(409);
    expect(early.body.code).toBe('wrong_status');
    const fileId = await uploaded(awarded.owner, 'contract');
    await post(awarded.owner, `/api/v1/projects/${awarded.projectId}/contract`, { amountFen: WINNING_PRICE, signedOn: SIGNED_ON, fileId }).expect(201);
    const alternate = awarded.alternates[0]!;
    await post(alternate, `/api/v1/projects/${awarded.projectId}/delivery`, { note: '冒名提交', fileIds: [await uploaded(alternate, 'deliverable')] }).expect(403);
    await post(awarded.owner, `/api/v1/projects/${awarded.projectId}/delivery`, { note: '业主提交', fileIds: [fileId] }).expect(403);
    const deliverable = await uploaded(awarded.winner, 'deliverable');
    await post(awarded.owner, `/api/v1/projects/${awarded.projectId}/completion`, { ratings: ALL(5), comment: '尚未交付' }).expect(409);
    await post(awarded.winner, `/api/v1/projects/${awarded.projectId}/delivery`, { note: '报告表', fileIds: [deliverable] }).expect(200);
    expect(await status(platform, awarded.projectId)).toBe('delivered');
    await post(awarded.winner, `/api/v1/projects/${awarded.projectId}/delivery`, { note: '再次提交', fileIds: [deliverable] }).expect(409);
    // the owner may read the deliverable; the alternate may not
    await awarded.owner.agent.get(`/api/v1/files/${deliverable}`).expect(200);
    await alternate.agent.get(`/api/v1/files/${deliverable}`).expect(403);
  });

  it('lets only the owner accept and rate (403 for the firm, another owner and staff); scores are 1–5', async () => {
    const { projectId, winner, owner } = await aDeliveredProject(platform);
    const body = { ratings: ALL(4), comment: '报告质量较好' };
    await post(winner, `/api/v1/projects/${projectId}/completion`, body).expect(403);
    const otherOwner = await loggedInAs(platform, 'owner');
    await post(otherOwner, `/api/v1/projects/${projectId}/completion`, body).expect(403);
    await post(await loggedInAs(platform, 'staff'), `/api/v1/projects/${projectId}/completion`, body).expect(403);
    const outOfRange = await post(owner, `/api/v1/projects/${projectId}/completion`, { ratings: { ...ALL(4), fees: 6 }, comment: '报告质量较好' }).expect(400);
    expect(outOfRange.body.errors).toEqual([expect.objectContaining({ path: 'body.ratings.fees' })]);
    await post(owner, `/api/v1/projects/${projectId}/completion`, body).expect(201);
    await post(owner, `/api/v1/projects/${projectId}/completion`, body).expect(409);
  });

  it('runs the service timer in working days from the signed date, skipping the weekend, and stops it at acceptance', async () => {
    const { projectId, owner } = await aDeliveredProject(platform);
    platform.clock.set('2026-12-07T10:00:00+08:00'); // Monday after signing on Friday 12-04
    const monday = (await request(platform.app).get(`/api/v1/projects/${projectId}/contracts`).expect(200)).body.items[0];
    expect(monday.timer).toMatchObject({ signedOn: SIGNED_ON, elapsedWorkingDays: 1, running: true, dueOn: '2027-01-04', overdue: false });
    expect(monday.file).toBeUndefined(); // the public does not get the scan
    platform.clock.set('2026-12-08T10:00:00+08:00');
    await post(owner, `/api/v1/projects/${projectId}/completion`, { ratings: ALL(3), comment: '基本满意' }).expect(201);
    expect(await status(platform, projectId)).toBe('completed');
    platform.clock.set('2026-12-21T10:00:00+08:00');
    const stopped = (await owner.agent.get(`/api/v1/projects/${projectId}/contracts`).expect(200)).body.items[0];
    expect(stopped.timer).toMatchObject({ elapsedWorkingDays: 2, running: false, stoppedOn: '2026-12-08', overdue: false });
    expect(stopped.file).toMatchObject({ mediaType: 'application/pdf' });
    expect(stopped.rating).toMatchObject({ mean: 3, comment: '基本满意' });
  });
});

describe('on time or overdue (零超时) at the boundary, and credit events', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  async function deliverAt(instant: string) {
    const contracted = await aContractedProject(platform);
    platform.clock.set(instant);
    const fileId = await uploaded(contracted.winner, 'deliverable');
    await post(contracted.winner, `/api/v1/projects/${contracted.projectId}/delivery`, { note: '报告表', fileIds: [fileId] }).expect(200);
    return contracted;
  }

  it('delivery one second before 17:00 of the promised working day is on time; good rating (mean ≥ 4) counts', async () => {
    const { projectId, owner, winner } = await deliverAt(new Date(new Date(DUE_AT).getTime() - 1000).toISOString());
    const rated = await post(owner, `/api/v1/projects/${projectId}/completion`, { ratings: { ...ALL(4), quality: 5 }, comment: '按期高质量完成' }).expect(201);
    expect(rated.body.mean).toBe(4.2);
    expect(await creditKinds(platform, winner.firmId)).toEqual(['delivery_on_time', 'owner_rating_good']);
    const [contract] = (await request(platform.app).get(`/api/v1/projects/${projectId}/contracts`).expect(200)).body.items;
    expect(contract.timer.overdue).toBe(false);
    const notices = await queryRows<{ kind: string }>(platform.database.db, sql`select kind from announcements where project_id = ${projectId} and kind = 'project_completed'`);
    expect(notices).toHaveLength(1);
  });

  it('delivery at exactly 17:00 of the promised working day is overdue; poor rating (mean ≤ 2) counts', async () => {
    const { projectId, owner, winner } = await deliverAt(DUE_AT);
    await post(owner, `/api/v1/projects/${projectId}/completion`, { ratings: { ...ALL(2), quality: 2 }, comment: '逾期且质量一般' }).expect(201);
    expect(await creditKinds(platform, winner.firmId)).toEqual(['delivery_overdue', 'owner_rating_poor']);
    const [contract] = (await request(platform.app).get(`/api/v1/projects/${projectId}/contracts`).expect(200)).body.items;
    expect(contract.timer.overdue).toBe(true);
  });

  it('a middling rating (mean 3) records no rating event', async () => {
    const { projectId, owner, winner } = await aDeliveredProject(platform);
    await post(owner, `/api/v1/projects/${projectId}/completion`, { ratings: { ...ALL(3), quality: 4, fees: 2 }, comment: '一般' }).expect(201);
    expect(await creditKinds(platform, winner.firmId)).toEqual(['delivery_on_time']);
  });
});

describe('ratings: one public reply, staff hide comments, scores never change', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('takes one reply from the rated firm (second 409, others 403), lets staff hide the comment keeping scores and audit', async () => {
    const { projectId, owner, winner, alternates } = await aDeliveredProject(platform);
    const rating = (await post(owner, `/api/v1/projects/${projectId}/completion`, { ratings: { ...ALL(1), conduct: 2 }, comment: '态度恶劣，骗子公司' }).expect(201)).body;
    await post(alternates[0]!, `/api/v1/ratings/${rating.id}/reply`, { reply: '冒名回复' }).expect(403);
    await post(owner, `/api/v1/ratings/${rating.id}/reply`, { reply: '业主回复' }).expect(403);
    await post(winner, `/api/v1/ratings/${rating.id}/reply`, { reply: '我司已按合同要求提交成果。' }).expect(200);
    const second = await post(winner, `/api/v1/ratings/${rating.id}/reply`, { reply: '再次回复' }).expect(409);
    expect(second.body.code).toBe('already_replied');

    await post(owner, `/api/v1/ratings/${rating.id}/hide`, { reason: '含侮辱性言辞' }).expect(403);
    await post(winner, `/api/v1/ratings/${rating.id}/hide`, { reason: '含侮辱性言辞' }).expect(403);
    const staff = await loggedInAs(platform, 'staff');
    await post(staff, `/api/v1/ratings/${rating.id}/hide`, { reason: '含侮辱性言辞' }).expect(200);
    await post(staff, `/api/v1/ratings/${rating.id}/hide`, { reason: '再次隐藏' }).expect(409);

    const listed = (await request(platform.app).get(`/api/v1/firms/${winner.firmId}/ratings`).expect(200)).body;
    expect(listed.count).toBe(1);
    expect(listed.items[0]).toMatchObject({ scores: { ...ALL(1), conduct: 2 }, mean: 1.2, comment: null, commentHidden: true, commentHiddenReason: '含侮辱性言辞', reply: '我司已按合同要求提交成果。' });
    expect(JSON.stringify(listed)).not.toContain('骗子公司');
    const audit = await queryRows<{ data: { comment: string; reason: string } }>(platform.database.db, sql`select data from audit_events where action = 'rating.comment_hidden' and entity_id = ${String(rating.id)}`);
    expect(audit).toEqual([{ data: { comment: '态度恶劣，骗子公司', reason: '含侮辱性言辞' } }]);
    // not even the database lets a score change
    await expect(platform.database.db.execute(sql`update ratings set quality = 5 where id = ${rating.id}`)).rejects.toThrow();
    expect((await request(platform.app).get(`/api/v1/firms/${winner.firmId}/ratings`).expect(200)).body.items[0].scores.quality).toBe(1);
  });
});
