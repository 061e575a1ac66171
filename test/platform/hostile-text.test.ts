import request from 'supertest';
import { aUscc, loggedInAs } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('hostile text and out-of-range ids', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const expectBadText = (response: request.Response, path: string) => {
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  };

  it('refuses NUL and a lone surrogate in the login username and password with 400 naming the field', async () => {
    expectBadText(await request(platform.app).post('/api/v1/auth/login').send({ username: 'ad\u0000min', password: 'x' }), 'body.username');
    const raw = '{"username":"admin","password":"pass\\ud800word"}';
    expectBadText(await request(platform.app).post('/api/v1/auth/login').set('Content-Type', 'application/json').send(raw), 'body.password');
  });

  it('refuses NUL in an organisation name at registration', async () => {
    const response = await request(platform.app).post('/api/v1/auth/register').send({
      username: 'nul-owner',
      password: 'Quiet-Lantern-Orbit-42',
      role: 'owner',
      organization: { name: '烟台\u0000建设有限公司', uscc: aUscc(), contactName: '张三', contactPhone: '13800138000' },
    });
    expectBadText(response, 'body.organization.name');
  });

  it('refuses NUL in a token name and in a project title', async () => {
    const owner = await loggedInAs(platform, 'owner');
    const token = await owner.agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', owner.csrfToken).send({ name: 'ci\u0000' });
    expectBadText(token, 'body.name');
    const project = await owner.agent.post('/api/v1/projects').set('X-CSRF-Token', owner.csrfToken).send({ title: '环评\u0000项目', serviceCode: 'ZJ-001' });
    expectBadText(project, 'body.title');
  });

  it('refuses NUL in query strings of pages and of the API', async () => {
    expect((await request(platform.app).get('/projects?status=%00').set('Accept', 'text/html')).status).toBe(400);
    expect((await request(platform.app).get('/services?q=%00').set('Accept', 'text/html')).status).toBe(400);
    expectBadText(await request(platform.app).get('/api/v1/services?q=%00'), 'query.q');
    expectBadText(await request(platform.app).get('/api/v1/projects?status=%00'), 'query.status');
  });

  it('refuses NUL in a page form field with an error page, not a 500', async () => {
    const response = await request(platform.app).post('/login').type('form').set('Accept', 'text/html').send({ username: 'a\u0000', password: 'x' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('<html lang="zh-CN">');
  });

  it.each(['/api/v1/files/2147483648', '/api/v1/projects/2147483648', '/api/v1/firms/99999999999999999999', '/api/v1/blacklist/1e3'])(
    'answers %s with a 400, never a 500',
    async (path) => {
      const response = await request(platform.app).get(path);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  );
});
