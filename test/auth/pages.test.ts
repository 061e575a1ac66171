import request from 'supertest';
import { aUscc, anAccount, TEST_PASSWORD, csrfFrom } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('account pages', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('re-renders the registration form with an error summary linking to each field', async () => {
    const agent = request.agent(platform.app);
    const form = await agent.get('/register').expect(200);
    const good = aUscc();
    const response = await agent
      .post('/register')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), role: 'owner', organizationName: '某公司', uscc: good.slice(0, 17) + (good.endsWith('0') ? '1' : '0'), contactName: '张三', contactPhone: '13800138000', username: 'page-user', password: 'short' })
      .expect(400);
    expect(response.text).toContain('class="error-summary"');
    expect(response.text).toContain('href="#field-organization-uscc"');
    expect(response.text).toContain('href="#field-password"');
    expect(response.text).toContain('id="field-organization-uscc"');
    expect(response.text).toContain('统一社会信用代码无效或已注册');
    expect(response.text).toContain('value="page-user"'); // what was typed is kept
    expect(response.text).not.toContain('value="short"'); // but never the password
  });

  it('registers through the form and lands on the account page, logged in', async () => {
    const agent = request.agent(platform.app);
    const form = await agent.get('/register?role=agency').expect(200);
    const uscc = aUscc();
    await agent
      .post('/register')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), role: 'agency', organizationName: '浙江某某测绘有限公司', uscc, contactName: '张三', contactPhone: '13800138000', username: 'page-firm', password: TEST_PASSWORD })
      .expect(303)
      .expect('Location', '/account?registered=1');
    const account = await agent.get('/account?registered=1').expect(200);
    expect(account.text).toContain('浙江某某测绘有限公司');
    expect(account.text).toContain('待审核');
    expect(account.text).toContain(uscc);
  });

  it('refuses a form post without the CSRF field once a session exists', async () => {
    const account = await anAccount(platform, 'owner');
    const agent = request.agent(platform.app);
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ username: account.username, password: TEST_PASSWORD }).expect(403);
    await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: account.username, password: TEST_PASSWORD }).expect(303);
  });

  it('shows one message for a wrong login and keeps the username', async () => {
    const agent = request.agent(platform.app);
    const form = await agent.get('/login').expect(200);
    const response = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: 'ghost', password: 'Wrong-password-1' }).expect(401);
    expect(response.text).toContain('用户名或密码错误');
    expect(response.text).toContain('value="ghost"');
  });

  it('creates an API token on the account page and shows it once', async () => {
    const account = await anAccount(platform, 'owner');
    const agent = request.agent(platform.app);
    const form = await agent.get('/login').expect(200);
    await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: account.username, password: TEST_PASSWORD }).expect(303);
    const page = await agent.get('/account').expect(200);
    const created = await agent.post('/account/tokens').type('form').send({ _csrf: csrfFrom(page.text), name: '财务系统' }).expect(200);
    expect(created.text).toMatch(/zjcs_[\w-]{43}/);
    const again = await agent.get('/account').expect(200);
    expect(again.text).toContain('财务系统');
    expect(again.text).not.toMatch(/zjcs_[\w-]{43}/);
  });

  it('redirects anonymous visitors of a protected page to nothing but a 401 page', async () => {
    const response = await request(platform.app).get('/account').set('Accept', 'text/html').expect(401);
    expect(response.text).toContain('<html lang="zh-CN">');
  });
});
