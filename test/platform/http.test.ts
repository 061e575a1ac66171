import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('HTTP conventions', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { BODY_LIMIT: '1kb' } });
  });
  afterAll(() => platform.close());

  const expectProblem = (response: request.Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  };

  it('answers /healthz and /readyz', async () => {
    await request(platform.app).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(platform.app).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', jobs: 'in-process' });
  });

  it('answers an unknown API route with a 404 problem', async () => {
    expectProblem(await request(platform.app).get('/api/v1/no-such-thing'), 404, 'not_found');
  });

  it('answers an unknown page with an HTML 404 page', async () => {
    const response = await request(platform.app).get('/no-such-page').set('Accept', 'text/html');
    expect(response.status).toBe(404);
    expect(response.text).toContain('<html lang="zh-CN">');
    expect(response.text).toContain('找不到您要访问的页面');
  });

  it('answers malformed JSON with 400', async () => {
    const response = await request(platform.app)
      .put('/api/v1/calendar/years/2027')
      .set('Content-Type', 'application/json')
      .send('{"reference": ');
    expectProblem(response, 400, 'malformed_json');
  });

  it('answers a non-JSON body with 415', async () => {
    const response = await request(platform.app)
      .put('/api/v1/calendar/years/2027')
      .set('Content-Type', 'text/plain')
      .send('reference=x');
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('answers an oversize body with 413', async () => {
    const response = await request(platform.app)
      .put('/api/v1/calendar/years/2027')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ reference: 'x'.repeat(4000) }));
    expectProblem(response, 413, 'body_too_large');
  });

  it('answers invalid query parameters with 400 and each failing path', async () => {
    const response = await request(platform.app).get('/api/v1/calendar/working-days?from=2026-02-30&add=-1');
    expectProblem(response, 400, 'validation_failed');
    expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.add', 'query.from']);
  });

  it('needs a login for staff routes (401 before any validation)', async () => {
    const response = await request(platform.app).put('/api/v1/calendar/years/2027').send({});
    expectProblem(response, 401, 'unauthorized');
  });

  it('publishes an OpenAPI 3.1 document generated from the request schemas', async () => {
    const response = await request(platform.app).get('/api/v1/openapi.json').expect(200);
    expect(response.body.openapi).toBe('3.1.0');
    const put = response.body.paths['/api/v1/calendar/years/{year}'].put;
    expect(put.requestBody.content['application/json'].schema.properties.reference).toBeDefined();
    expect(put.parameters.find((p: { name: string }) => p.name === 'year')).toMatchObject({ in: 'path' });
    expect(response.body.paths['/api/v1/audit/head'].get).toBeDefined();
  });

  it('serves the API docs page and Swagger UI from local packages', async () => {
    const page = await request(platform.app).get('/api/docs').expect(200);
    expect(page.text).toContain('/assets/vendor/swagger-ui/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
    await request(platform.app).get('/assets/vendor/swagger-ui/swagger-ui-bundle.js').expect(200);
    await request(platform.app).get('/assets/js/api-docs.js').expect(200);
  });

  it('sends security headers with a CSP that forbids inline script', async () => {
    const response = await request(platform.app).get('/').expect(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['x-request-id']).toBeDefined();
    expect(response.text).not.toMatch(/<script>(?!<\/script>)/);
  });
});
