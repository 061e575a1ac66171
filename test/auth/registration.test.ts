import request from 'supertest';
import { findEvents } from '../../src/audit/repository.js';
import { aUscc, TEST_PASSWORD } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('registration', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const registration = (overrides: Record<string, unknown> = {}, organization: Record<string, unknown> = {}) => ({
    username: `user${Math.floor(Math.random() * 1e9)}`,
    password: TEST_PASSWORD,
    role: 'owner',
    ...overrides,
    organization: { name: '杭州市某某建设有限公司', uscc: aUscc(), contactName: '王五', contactPhone: '0571-88888888', ...organization },
  });

  const me = async (username: string) => {
    const agent = request.agent(platform.app);
    await agent.post('/api/v1/auth/login').send({ username, password: TEST_PASSWORD }).expect(200);
    return (await agent.get('/api/v1/auth/me').expect(200)).body;
  };

  it('registers an owner with an active organisation', async () => {
    const body = registration();
    const response = await request(platform.app).post('/api/v1/auth/register').send(body).expect(201);
    expect(response.body.user).toMatchObject({ username: body.username, role: 'owner' });
    expect((await me(body.username)).organization).toMatchObject({ kind: 'owner', status: 'active', uscc: body.organization.uscc });
  });

  it('registers a firm pending review', async () => {
    const body = registration({ role: 'agency' });
    await request(platform.app).post('/api/v1/auth/register').send(body).expect(201);
    expect((await me(body.username)).organization).toMatchObject({ kind: 'agency', status: 'pending' });
  });

  it('accepts a lower-case code and stores it upper-case', async () => {
    const uscc = aUscc();
    const body = registration({}, { uscc: uscc.toLowerCase() });
    await request(platform.app).post('/api/v1/auth/register').send(body).expect(201);
    expect((await me(body.username)).organization.uscc).toBe(uscc);
  });

  it('rejects a wrong check character with 400 naming the field', async () => {
    const good = aUscc();
    const last = good.endsWith('0') ? '1' : '0';
    const response = await request(platform.app)
      .post('/api/v1/auth/register')
      .send(registration({}, { uscc: good.slice(0, 17) + last }))
      .expect(400);
    expect(response.body.errors).toEqual([{ path: 'body.organization.uscc', issue: 'custom', message: expect.stringContaining('check character') }]);
  });

  it('rejects a duplicate code and a duplicate username with 409', async () => {
    const first = registration();
    await request(platform.app).post('/api/v1/auth/register').send(first).expect(201);
    const sameCode = await request(platform.app)
      .post('/api/v1/auth/register')
      .send(registration({}, { uscc: first.organization.uscc }))
      .expect(409);
    expect(sameCode.body).toMatchObject({ code: 'uscc_taken', errors: [{ path: 'organization.uscc' }] });
    const sameName = await request(platform.app)
      .post('/api/v1/auth/register')
      .send(registration({ username: first.username.toUpperCase() }))
      .expect(409);
    expect(sameName.body.code).toBe('username_taken');
  });

  it.each([
    ['a short password', { password: 'short1' }, 'body.password'],
    ['a common password', { password: 'password123' }, 'body.password'],
    ['a staff role', { role: 'staff' }, 'body.role'],
    ['a bad username', { username: 'bad name!' }, 'body.username'],
  ])('rejects %s', async (_name, overrides, path) => {
    const response = await request(platform.app).post('/api/v1/auth/register').send(registration(overrides)).expect(400);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
  });

  it('rejects a bad phone number and e-mail', async () => {
    const response = await request(platform.app)
      .post('/api/v1/auth/register')
      .send(registration({}, { contactPhone: '12', email: 'not-an-email' }))
      .expect(400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'body.organization.contactPhone',
      'body.organization.email',
    ]);
  });

  it('lets exactly one of two racing registrations of the same code win', async () => {
    const uscc = aUscc();
    const responses = await Promise.all(
      [0, 1, 2, 3].map(() => request(platform.app).post('/api/v1/auth/register').send(registration({}, { uscc }))),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
  });

  it('records the registration in the audit log', async () => {
    const body = registration();
    await request(platform.app).post('/api/v1/auth/register').send(body).expect(201);
    const { items } = await findEvents(platform.database.db, { action: 'auth.registered' }, { offset: 0, limit: 100 });
    expect(items.some((event) => (event.data as { username: string }).username === body.username)).toBe(true);
  });
});
