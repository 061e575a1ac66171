import request from 'supertest';
import { DAY } from '../../src/platform/clock.js';
import { checkEligibility } from '../../src/firms/eligibility.js';
import { aFirm, logIn, loggedInAs, aPublishedServiceWithCode, post as postAs } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('firm registry', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
    for (const code of ['ZJ-001', 'ZJ-003', 'ZJ-020']) await aPublishedServiceWithCode(platform, code);
  });
  afterAll(() => platform.close());

  it('lets a firm complete its profile and add a qualification, pending review', async () => {
    const { account, firmId } = await aFirm(platform);
    const firm = await logIn(platform, account);
    await firm.agent.put(`/api/v1/firms/${firmId}/profile`).set('X-CSRF-Token', firm.csrfToken)
      .send({ legalRepresentative: '钱法人', address: '杭州市上城区解放路 1 号', contactName: '孙', contactPhone: '0571-87654321', legalRepresentativeId: '11010519491231002X' })
      .expect(200);
    const added = await firm.agent.post(`/api/v1/firms/${firmId}/qualifications`).set('X-CSRF-Token', firm.csrfToken)
      .send({ serviceCode: 'ZJ-003', level: '乙级', certificateNo: 'HP-2025-0099', issuer: '生态环境部', validUntil: '2028-06-30' })
      .expect(201);
    expect(added.body).toMatchObject({ serviceCode: 'ZJ-003', state: 'pending' });
    const own = await firm.agent.get(`/api/v1/firms/${firmId}`).expect(200);
    expect(own.body).toMatchObject({ legalRepresentative: '钱法人', contact: { phone: '0571-87654321' }, legalRepresentativeId: '11010519491231002X' });
  });

  it('refuses a wrong ID check character and an expired certificate', async () => {
    const { account, firmId } = await aFirm(platform);
    const firm = await logIn(platform, account);
    const badId = await firm.agent.put(`/api/v1/firms/${firmId}/profile`).set('X-CSRF-Token', firm.csrfToken)
      .send({ legalRepresentative: '钱法人', address: '杭州市上城区解放路 1 号', contactName: '孙', contactPhone: '0571-87654321', legalRepresentativeId: '110105194912310021' })
      .expect(400);
    expect(badId.body.errors[0].path).toBe('body.legalRepresentativeId');
    await firm.agent.post(`/api/v1/firms/${firmId}/qualifications`).set('X-CSRF-Token', firm.csrfToken)
      .send({ serviceCode: 'ZJ-003', level: '乙级', certificateNo: 'HP-1', issuer: '生态环境部', validUntil: '2020-01-01' })
      .expect(400);
    const unknown = await firm.agent.post(`/api/v1/firms/${firmId}/qualifications`).set('X-CSRF-Token', firm.csrfToken)
      .send({ serviceCode: 'NO-999', level: '乙级', certificateNo: 'HP-2', issuer: '生态环境部', validUntil: '2029-01-01' })
      .expect(400);
    expect(unknown.body.code).toBe('unknown_service');
  });

  it("does not let one firm change another firm's profile", async () => {
    const { firmId } = await aFirm(platform);
    const other = await aFirm(platform);
    const session = await logIn(platform, other.account);
    await session.agent.put(`/api/v1/firms/${firmId}/profile`).set('X-CSRF-Token', session.csrfToken)
      .send({ legalRepresentative: '冒名', address: '某地某路 1 号', contactName: '某', contactPhone: '13800000000' })
      .expect(403);
    await session.agent.post(`/api/v1/firms/${firmId}/qualifications`).set('X-CSRF-Token', session.csrfToken)
      .send({ serviceCode: 'ZJ-001', level: '甲级', certificateNo: 'X-1', issuer: '某厅', validUntil: '2030-01-01' })
      .expect(403);
  });

  it('has staff admit, suspend and reinstate a firm with reasons, refusing wrong transitions', async () => {
    const { firmId } = await aFirm(platform);
    const staff = await loggedInAs(platform, 'staff');
    const post = (path: string, body: object) => postAs(staff, `/api/v1/firms/${firmId}${path}`, body);
    await post('/review', { decision: 'approve' }).expect(400); // no reason
    await post('/suspend', { reason: '违规' }).expect(409); // not admitted yet
    expect((await post('/review', { decision: 'approve', reason: '材料齐全' }).expect(200)).body.status).toBe('admitted');
    expect((await post('/suspend', { reason: '年度检查未通过' }).expect(200)).body.status).toBe('suspended');
    expect((await post('/reinstate', { reason: '整改完成' }).expect(200)).body.status).toBe('admitted');
    const record = await staff.agent.get(`/api/v1/firms/${firmId}`).expect(200);
    expect(record.body.decisions.map((d: { decision: string }) => d.decision)).toEqual(['reinstate', 'suspend', 'approve']);
  });

  it('lists only admitted firms publicly, filterable by verified service, without personal data', async () => {
    const admitted = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-010'], name: '宁波公开测绘有限公司' });
    await aFirm(platform, { qualifiedFor: ['ZJ-010'], name: '宁波待审测绘有限公司' });
    const list = await request(platform.app).get('/api/v1/firms?service=ZJ-010').expect(200);
    expect(list.body.items.map((firm: { name: string }) => firm.name)).toEqual(['宁波公开测绘有限公司']);
    const text = JSON.stringify(list.body) + (await request(platform.app).get(`/api/v1/firms/${admitted.firmId}`)).text + (await request(platform.app).get(`/firms/${admitted.firmId}`)).text + (await request(platform.app).get('/firms')).text;
    expect(text).not.toContain('13900000000');
    expect(text).not.toContain('吴联系');
    const searched = await request(platform.app).get(`/api/v1/firms?q=${encodeURIComponent('公开测绘')}`).expect(200);
    expect(searched.body.total).toBe(1);
    await request(platform.app).get('/api/v1/firms?pageSize=101').expect(400);
  });

  it('hides a pending firm from the public but shows it to staff and to itself', async () => {
    const { account, firmId } = await aFirm(platform);
    await request(platform.app).get(`/api/v1/firms/${firmId}`).expect(404);
    const own = await logIn(platform, account);
    await own.agent.get(`/api/v1/firms/${firmId}`).expect(200);
    const staff = await loggedInAs(platform, 'staff');
    const seen = await staff.agent.get(`/api/v1/firms/${firmId}`).expect(200);
    expect(seen.body.contact.phone).toBe('13900000000');
  });

  it('has staff verify or reject each qualification once, with a reason', async () => {
    const { account, firmId } = await aFirm(platform, { admitted: true });
    const firm = await logIn(platform, account);
    const added = await firm.agent.post(`/api/v1/firms/${firmId}/qualifications`).set('X-CSRF-Token', firm.csrfToken)
      .send({ serviceCode: 'ZJ-020', level: '甲级', certificateNo: 'AQ-1', issuer: '应急管理厅', validUntil: '2029-01-01' }).expect(201);
    const staff = await loggedInAs(platform, 'staff');
    const review = (body: object) => staff.agent.post(`/api/v1/firms/${firmId}/qualifications/${added.body.id}/review`).set('X-CSRF-Token', staff.csrfToken).send(body);
    expect((await review({ decision: 'reject', reason: '证书编号与发证机关记录不符' }).expect(200)).body.state).toBe('rejected');
    await review({ decision: 'approve', reason: '再次审核' }).expect(409);
    await staff.agent.post(`/api/v1/firms/${firmId}/qualifications/999999/review`).set('X-CSRF-Token', staff.csrfToken).send({ decision: 'approve', reason: '无此资质' }).expect(404);
  });
});

describe('eligibility', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
    for (const code of ['ZJ-001', 'ZJ-003', 'ZJ-020']) await aPublishedServiceWithCode(platform, code);
  });
  afterAll(() => platform.close());

  const ask = (firmId: number, serviceCode = 'ZJ-001') => checkEligibility(platform.database.db, platform.clock, { firmId, serviceCode });

  it('says yes for an admitted firm with a verified, valid qualification', async () => {
    const { firmId } = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'] });
    expect(await ask(firmId)).toEqual({ eligible: true, failures: [] });
  });

  it('names every failed rule', async () => {
    const { firmId } = await aFirm(platform);
    const answer = await ask(firmId);
    expect(answer.eligible).toBe(false);
    expect(answer.failures.map((failure) => failure.rule)).toEqual(['firm_not_admitted', 'qualification_missing']);
    expect((await ask(999999)).failures[0]!.rule).toBe('firm_not_found');
  });

  it('refuses an unverified qualification and a suspended firm', async () => {
    const { firmId, account, staff } = await aFirm(platform, { admitted: true });
    const session = await logIn(platform, account);
    await session.agent.post(`/api/v1/firms/${firmId}/qualifications`).set('X-CSRF-Token', session.csrfToken)
      .send({ serviceCode: 'ZJ-001', level: '甲级', certificateNo: 'N-1', issuer: '某厅', validUntil: '2030-01-01' }).expect(201);
    expect((await ask(firmId)).failures.map((f) => f.rule)).toEqual(['qualification_unverified']);
    const { decideFirm } = await import('../../src/firms/service.js');
    await decideFirm(platform, staff, firmId, 'suspend', '暂停');
    expect((await ask(firmId)).failures.map((f) => f.rule)).toEqual(['firm_suspended', 'qualification_unverified']);
  });

  it('sees a qualification expire by the clock at read time', async () => {
    const { firmId } = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'], validUntil: '2026-11-30' });
    expect((await ask(firmId)).eligible).toBe(true);
    platform.clock.set('2026-11-30T23:59:00+08:00');
    expect((await ask(firmId)).eligible).toBe(true);
    platform.clock.advance(DAY);
    expect((await ask(firmId)).failures).toEqual([{ rule: 'qualification_expired', message: expect.stringContaining('2026-11-30') }]);
    const staff = await loggedInAs(platform, 'staff');
    const seen = await staff.agent.get(`/api/v1/firms/${firmId}`).expect(200);
    expect(seen.body.qualifications[0].state).toBe('expired');
    platform.clock.set('2026-11-25T09:00:00+08:00');
  });

  it('answers over the API for staff and the firm itself only', async () => {
    const { firmId, account } = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'] });
    const own = await logIn(platform, account);
    expect((await own.agent.get(`/api/v1/firms/${firmId}/eligibility?service=ZJ-001`).expect(200)).body.eligible).toBe(true);
    const other = await logIn(platform, (await aFirm(platform)).account);
    await other.agent.get(`/api/v1/firms/${firmId}/eligibility?service=ZJ-001`).expect(403);
  });
});
