import { aFirm, logIn, loggedInAs, aPublishedServiceWithCode, csrfFrom } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('firm pages', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
    for (const code of ['ZJ-005']) await aPublishedServiceWithCode(platform, code);
  });
  afterAll(() => platform.close());

  it('lets a firm complete its profile through the form, re-rendering errors next to fields', async () => {
    const { account } = await aFirm(platform);
    const { agent } = await logIn(platform, account);
    const page = await agent.get('/account/firm').expect(200);
    const bad = await agent.post('/account/firm/profile').type('form')
      .send({ _csrf: csrfFrom(page.text), legalRepresentative: '', address: '杭州', contactName: '孙', contactPhone: '123' }).expect(400);
    expect(bad.text).toContain('href="#field-legalRepresentative"');
    expect(bad.text).toContain('请填写有效的手机或固定电话号码');
    await agent.post('/account/firm/profile').type('form')
      .send({ _csrf: csrfFrom(page.text), legalRepresentative: '郑法人', address: '杭州市拱墅区湖墅南路 8 号', contactName: '孙', contactPhone: '13712345678', legalRepresentativeId: '' })
      .expect(303).expect('Location', '/account/firm?saved=1');
    const saved = await agent.get('/account/firm').expect(200);
    expect(saved.text).toContain('value="郑法人"');
  });

  it('lets a firm submit a qualification through the form', async () => {
    const { account } = await aFirm(platform);
    const { agent } = await logIn(platform, account);
    const page = await agent.get('/account/firm').expect(200);
    await agent.post('/account/firm/qualifications').type('form')
      .send({ _csrf: csrfFrom(page.text), serviceCode: 'ZJ-005', level: '甲级', certificateNo: 'CH-2026-1', issuer: '浙江省自然资源厅', validUntil: '2029-12-31' })
      .expect(303);
    expect((await agent.get('/account/firm').expect(200)).text).toContain('CH-2026-1');
  });

  it('lets staff admit a firm from its page, requiring a reason', async () => {
    const { firmId } = await aFirm(platform);
    const staff = await loggedInAs(platform, 'staff');
    const page = await staff.agent.get(`/firms/${firmId}`).expect(200);
    expect(page.text).toContain('13900000000'); // staff see contacts
    const csrf = csrfFrom(page.text);
    const noReason = await staff.agent.post(`/firms/${firmId}/review`).type('form').send({ _csrf: csrf, decision: 'approve', reason: '' }).expect(400);
    expect(noReason.text).toContain('请填写理由');
    await staff.agent.post(`/firms/${firmId}/review`).type('form').send({ _csrf: csrf, decision: 'approve', reason: '材料齐全' }).expect(303);
    const queue = await staff.agent.get('/staff/firms').expect(200);
    expect(queue.text).not.toContain(`/firms/${firmId}"`);
    expect((await staff.agent.get(`/firms/${firmId}`).expect(200)).text).toContain('材料齐全');
  });
});
