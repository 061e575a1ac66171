import request from 'supertest';
import { sql } from 'drizzle-orm';
import { updateProfile, decideFirm } from '../../src/firms/service.js';
import { aFirm, aStaffUser, currentUserOf, logIn, loggedInAs, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from './support.js';

const REGISTRATION_CLOSE = '2026-11-27T17:00:00+08:00';

async function aFirmSession(platform: TestPlatform, options: Parameters<typeof aFirm>[1]) {
  const firm = await aFirm(platform, options);
  return { ...(await withToken(platform, await logIn(platform, firm.account))), firmId: firm.firmId, firm };
}

describe('registration (报名): eligibility rules, each named', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('names every failed rule of the firm registry in the 422', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const project = await publishedProject(owner, projectTerms(service.code));
    const unadmitted = await aFirmSession(platform, { admitted: false });
    const refused = await post(unadmitted, `/api/v1/projects/${project.id}/registrations`).expect(422);
    expect(refused.body.code).toBe('not_eligible');
    expect(refused.body.failures.map((f: { rule: string }) => f.rule).sort()).toEqual(['firm_not_admitted', 'qualification_missing']);
    const unqualified = await aFirmSession(platform, { admitted: true });
    const missing = await post(unqualified, `/api/v1/projects/${project.id}/registrations`).expect(422);
    expect(missing.body.failures).toEqual([expect.objectContaining({ rule: 'qualification_missing' })]);
  });

  it("refuses a firm the owner avoids, with the owner's reason", async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 2);
    const project = await publishedProject(owner, projectTerms(service.code, { avoidFirms: [{ firmId: firms[0]!.firmId, reason: '与业主存在未决诉讼' }] }));
    const refused = await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(422);
    expect(refused.body.failures).toEqual([{ rule: 'avoided_by_owner', message: expect.stringContaining('与业主存在未决诉讼') }]);
    await post(firms[1]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    // the avoid list is the owner's, not public
    const publicView = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(publicView.body.avoidFirms).toBeUndefined();
  });

  it("excludes a firm sharing the owner organisation's legal representative (name or ID number)", async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 0);
    const ownerOrgId = owner.account.user.organizationId!;
    await platform.database.db.execute(sql`update organizations set legal_representative = '钱同名', legal_representative_id = '330102198001011234' where id = ${ownerOrgId}`);
    const sameName = await aFirmSession(platform, { admitted: true, qualifiedFor: [service.code] });
    await updateProfile(platform, currentUserOf(sameName.account), sameName.firmId, { legalRepresentative: '钱同名', address: '杭州市', contactName: '吴联系', contactPhone: '13900000000' });
    const sameId = await aFirmSession(platform, { admitted: true, qualifiedFor: [service.code], legalRepresentativeId: '330102198001011234' });
    const unrelated = await aFirmSession(platform, { admitted: true, qualifiedFor: [service.code] });
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const related of [sameName, sameId]) {
      const refused = await post(related, `/api/v1/projects/${project.id}/registrations`).expect(422);
      expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toEqual(['related_to_owner']);
    }
    await post(unrelated, `/api/v1/projects/${project.id}/registrations`).expect(201);
    expect(firms).toHaveLength(0);
  });

  it('caps a firm at 5 unfinished projects per service item', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const projects = [];
    for (let i = 0; i < 6; i += 1) projects.push(await publishedProject(owner, projectTerms(service.code, { title: `第${i + 1}个测试项目` })));
    for (const project of projects.slice(0, 5)) await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    const refused = await post(firms[0]!, `/api/v1/projects/${projects[5]!.id}/registrations`).expect(422);
    expect(refused.body.failures).toEqual([expect.objectContaining({ rule: 'too_many_unfinished_projects', message: expect.stringContaining('cap 5') })]);
    // a cancelled project no longer counts
    await post(owner, `/api/v1/projects/${projects[0]!.id}/cancel`, { reason: '项目取消' }).expect(200);
    await post(firms[0]!, `/api/v1/projects/${projects[5]!.id}/registrations`).expect(201);
  });

  it('refuses a duplicate registration with 409; a firm withdraws before close and may register again', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, projectTerms(service.code));
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    const duplicate = await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(409);
    expect(duplicate.body.code).toBe('already_registered');
    await firms[0]!.agent.delete(`/api/v1/projects/${project.id}/registrations/mine`).expect(204);
    await firms[0]!.agent.get(`/api/v1/projects/${project.id}/registrations/mine`).expect(404);
    await firms[0]!.agent.delete(`/api/v1/projects/${project.id}/registrations/mine`).expect(404);
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    const mine = await firms[0]!.agent.get(`/api/v1/projects/${project.id}/registrations/mine`).expect(200);
    expect(mine.body.status).toBe('active');
  });

  it('refuses a withdrawal after registration closes with 409', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set(REGISTRATION_CLOSE);
    const refused = await firms[0]!.agent.delete(`/api/v1/projects/${project.id}/registrations/mine`).expect(409);
    expect(refused.body.code).toBe('registration_closed');
  });

  it('hides the registrants of a sealed method from everyone, staff included, until the opening', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const admin = await withToken(platform, await loggedInAs(platform, 'admin'));
    const path = `/api/v1/projects/${project.id}/registrations`;
    for (const at of ['2026-11-26T09:00:00+08:00', REGISTRATION_CLOSE, '2026-12-01T16:59:59+08:00']) {
      platform.clock.set(at);
      for (const viewer of [owner, firms[0]!, staff, admin]) expect((await viewer.agent.get(path).expect(403)).body.code).toBe('registrants_sealed');
      expect((await request(platform.app).get(path).expect(403)).body.code).toBe('registrants_sealed');
    }
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const publicList = await request(platform.app).get(path).expect(200);
    expect(publicList.body.items.map((r: { firmId: number }) => r.firmId)).toEqual(firms.map((firm) => firm.firmId));
  });

  it('hides the registrants of a lottery from all but staff until close, then shows them to everyone', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code, { method: 'lottery', submissionCloses: undefined }));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    await firms[2]!.agent.delete(`/api/v1/projects/${project.id}/registrations/mine`).expect(204);
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const path = `/api/v1/projects/${project.id}/registrations`;
    for (const viewer of [owner, firms[0]!]) await viewer.agent.get(path).expect(403);
    await request(platform.app).get(path).expect(403);
    const forStaff = await staff.agent.get(path).expect(200);
    expect(forStaff.body.items.map((r: { firmId: number; status: string }) => [r.firmId, r.status])).toEqual([
      [firms[0]!.firmId, 'active'],
      [firms[1]!.firmId, 'active'],
      [firms[2]!.firmId, 'withdrawn'],
    ]);
    platform.clock.set(REGISTRATION_CLOSE);
    const publicList = await request(platform.app).get(path).expect(200);
    expect(publicList.body.items.map((r: { firmId: number }) => r.firmId)).toEqual([firms[0]!.firmId, firms[1]!.firmId]);
    await owner.agent.get(path).expect(200);
  });

  it('marks a registrant that became ineligible before close invalid, and does not count it', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 4);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    await decideFirm(platform, await aStaffUser(platform), firms[3]!.firmId, 'suspend', '资质材料造假');
    platform.clock.set(REGISTRATION_CLOSE);
    const settled = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(settled.body.status).toBe('submitting');
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${project.id}`).expect(200);
    const closed = notices.body.items.find((n: { kind: string }) => n.kind === 'registration_closed').body;
    expect(closed).toContain('有效报名达到 3 家的要求');
    expect(closed).not.toMatch(/有效报名 \d+ 家/);
    const refused = await post(firms[3]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000 }).expect(403);
    expect(refused.body.code).toBe('forbidden');
    platform.clock.set('2026-12-01T17:00:00+08:00');
    const registrants = await request(platform.app).get(`/api/v1/projects/${project.id}/registrations`).expect(200);
    expect(registrants.body.items.find((r: { firmId: number }) => r.firmId === firms[3]!.firmId)).toMatchObject({ status: 'invalid', statusReason: 'firm_suspended' });
  });

  it('fails the project when a suspension leaves fewer than minRespondents', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    await decideFirm(platform, await aStaffUser(platform), firms[0]!.firmId, 'suspend', '暂停执业');
    platform.clock.set(REGISTRATION_CLOSE);
    const failed = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    // how many registered stays sealed: the failure says only that there were too few
    expect(failed.body).toMatchObject({ status: 'failed', outcomeReason: '有效报名不足 3 家' });
  });

  it('cancels with a reason: public notice, no more registrations, and only the owner may cancel', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 2);
    const project = await publishedProject(owner, projectTerms(service.code));
    await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(201);
    const otherOwner: LoggedIn = await withToken(platform, await loggedInAs(platform, 'owner'));
    await post(otherOwner, `/api/v1/projects/${project.id}/cancel`, { reason: '不是我的项目' }).expect(404);
    await post(firms[0]!, `/api/v1/projects/${project.id}/cancel`, { reason: '机构不能终止' }).expect(403);
    await post(owner, `/api/v1/projects/${project.id}/cancel`, {}).expect(400);
    const cancelled = await post(owner, `/api/v1/projects/${project.id}/cancel`, { reason: '项目资金未落实' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', outcomeReason: '项目资金未落实' });
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${project.id}`).expect(200);
    expect(notices.body.items[0]).toMatchObject({ kind: 'project_cancelled', body: '项目资金未落实' });
    await post(firms[1]!, `/api/v1/projects/${project.id}/registrations`).expect(409);
    await post(owner, `/api/v1/projects/${project.id}/cancel`, { reason: '再次终止' }).expect(409);
    const clone = await post(owner, `/api/v1/projects/${project.id}/clone`).expect(201);
    expect(clone.body).toMatchObject({ status: 'draft', clonedFrom: project.id });
  });
});

describe('direct (直接选取)', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  const directTerms = (serviceCode: string) => projectTerms(serviceCode, { method: 'direct', submissionCloses: undefined });

  it('publishes the owner’s choice of an eligible firm with the written reason', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, directTerms(service.code));
    expect(project.lotteryId).toBeNull();
    const reason = '该机构承担过本项目前期可研，为保持技术连续性直接选取';
    await post(firms[0]!, `/api/v1/projects/${project.id}/direct-selection`, { firmId: firms[0]!.firmId, reason }).expect(403);
    const selected = await post(owner, `/api/v1/projects/${project.id}/direct-selection`, { firmId: firms[0]!.firmId, reason }).expect(200);
    expect(selected.body.status).toBe('publicity');
    const publicView = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(publicView.body.result).toMatchObject({ kind: 'direct', reason, winners: [firms[0]!.firmId], ranking: [{ rank: 1, firmId: firms[0]!.firmId }] });
    expect(publicView.body.result.publicityEndsAt).toBeTruthy();
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${project.id}`).expect(200);
    expect(notices.body.items[0].kind).toBe('result_publicity');
    await post(owner, `/api/v1/projects/${project.id}/direct-selection`, { firmId: firms[0]!.firmId, reason }).expect(409);
  });

  it('refuses an ineligible firm with 422 naming the failed rules', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    const unadmitted = await aFirm(platform, { admitted: false, qualifiedFor: [service.code] });
    const project = await publishedProject(owner, directTerms(service.code));
    const refused = await post(owner, `/api/v1/projects/${project.id}/direct-selection`, { firmId: unadmitted.firmId, reason: '直接选取该机构' }).expect(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toEqual(['firm_not_admitted']);
    expect((await request(platform.app).get(`/api/v1/projects/${project.id}`)).body.status).toBe('registering');
  });

  it('takes no registrations (409), and stays open past its registration date', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const project = await publishedProject(owner, directTerms(service.code));
    const refused = await post(firms[0]!, `/api/v1/projects/${project.id}/registrations`).expect(409);
    expect(refused.body.code).toBe('no_registration');
    platform.clock.set('2026-11-30T09:00:00+08:00');
    expect((await request(platform.app).get(`/api/v1/projects/${project.id}`)).body.status).toBe('registering');
    await post(owner, `/api/v1/projects/${project.id}/direct-selection`, { firmId: firms[0]!.firmId, reason: '延后选取的理由' }).expect(200);
  });
});
