import request from 'supertest';
import { findEvents } from '../../src/audit/repository.js';
import { MINUTE, HOUR } from '../../src/platform/clock.js';
import { anAccount, logIn, TEST_PASSWORD, csrfFrom } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('login, sessions and CSRF', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' } });
  });
  afterAll(() => platform.close());

  const auditActions = async (action: string) =>
    (await findEvents(platform.database.db, { action }, { offset: 0, limit: 100 })).items;

  it('logs in with a session cookie and a CSRF token, and says who is logged in', async () => {
    const account = await anAccount(platform, 'owner');
    const agent = request.agent(platform.app);
    const response = await agent.post('/api/v1/auth/login').send({ username: account.username, password: TEST_PASSWORD }).expect(200);
    expect(response.body).toEqual({ user: { id: account.user.id, username: account.username, role: 'owner' }, csrfToken: expect.any(String) });
    const cookie = response.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/^zjcs\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const me = await agent.get('/api/v1/auth/me').expect(200);
    expect(me.body.user).toMatchObject({ username: account.username, role: 'owner' });
    expect((await auditActions('auth.login')).some((event) => event.entityId === String(account.user.id))).toBe(true);
  });

  it('answers unknown user and wrong password with the same 401', async () => {
    const account = await anAccount(platform, 'agency');
    const wrong = await request(platform.app).post('/api/v1/auth/login').send({ username: account.username, password: 'Wrong-password-1' }).expect(401);
    const unknown = await request(platform.app).post('/api/v1/auth/login').send({ username: 'nobody-here', password: 'Wrong-password-1' }).expect(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.code).toBe('invalid_credentials');
  });

  it('regenerates the session on login (no fixation)', async () => {
    const account = await anAccount(platform, 'owner');
    const agent = request.agent(platform.app);
    const loginPage = await agent.get('/login').expect(200);
    const before = loginPage.headers['set-cookie']![0]!.split(';')[0];
    const csrf = csrfFrom(loginPage.text);
    const login = await agent.post('/login').type('form').send({ _csrf: csrf, username: account.username, password: TEST_PASSWORD }).expect(303);
    const after = login.headers['set-cookie']![0]!.split(';')[0];
    expect(after).not.toBe(before);
  });

  it('refuses cookie-authenticated unsafe requests without the right CSRF token (403)', async () => {
    const { agent, csrfToken } = await logIn(platform, await anAccount(platform, 'owner'));
    const missing = await agent.post('/api/v1/auth/tokens').send({ name: 'ci' }).expect(403);
    expect(missing.body.code).toBe('csrf_failed');
    await agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', 'x'.repeat(43)).send({ name: 'ci' }).expect(403);
    await agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', csrfToken).send({ name: 'ci' }).expect(201);
  });

  it('ends the session after logout', async () => {
    const { agent, csrfToken, account } = await logIn(platform, await anAccount(platform, 'agency'));
    await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', csrfToken).expect(204);
    await agent.get('/api/v1/auth/me').expect(401);
    expect((await auditActions('auth.logout')).some((event) => event.entityId === String(account.user.id))).toBe(true);
  });

  it('expires an idle session by the clock', async () => {
    const { agent } = await logIn(platform, await anAccount(platform, 'owner'));
    platform.clock.advance(29 * MINUTE);
    await agent.get('/api/v1/auth/me').expect(200); // activity keeps it alive
    platform.clock.advance(29 * MINUTE);
    await agent.get('/api/v1/auth/me').expect(200);
    platform.clock.advance(31 * MINUTE);
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('ends a session at the absolute timeout even while active', async () => {
    const { agent } = await logIn(platform, await anAccount(platform, 'owner'));
    for (let i = 0; i < 24; i += 1) {
      platform.clock.advance(25 * MINUTE);
      await agent.get('/api/v1/auth/me').expect(200);
    }
    platform.clock.advance(2 * HOUR);
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('changes the password, ending other sessions, and refuses a wrong current one', async () => {
    const account = await anAccount(platform, 'owner');
    const first = await logIn(platform, account);
    const second = await logIn(platform, account);
    await first.agent.post('/api/v1/auth/password').set('X-CSRF-Token', first.csrfToken)
      .send({ currentPassword: 'Wrong-password-1', newPassword: 'A-new-password-2026' }).expect(400);
    await first.agent.post('/api/v1/auth/password').set('X-CSRF-Token', first.csrfToken)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'password1234' }).expect(400);
    await first.agent.post('/api/v1/auth/password').set('X-CSRF-Token', first.csrfToken)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'A-new-password-2026' }).expect(204);
    await first.agent.get('/api/v1/auth/me').expect(200);
    await second.agent.get('/api/v1/auth/me').expect(401);
    await request(platform.app).post('/api/v1/auth/login').send({ username: account.username, password: 'A-new-password-2026' }).expect(200);
  });

  it('rate-limits repeated failures per account with 429 and Retry-After, and audits the lockout', async () => {
    const account = await anAccount(platform, 'agency');
    const attempt = (password: string) =>
      request(platform.app).post('/api/v1/auth/login').send({ username: account.username, password });
    for (let i = 0; i < 3; i += 1) expect((await attempt('Wrong-password-1')).status).toBe(401);
    const locked = await attempt(TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await auditActions('auth.lockout')).some((event) => event.entityId === String(account.user.id))).toBe(true);
    platform.clock.advance(16 * MINUTE);
    expect((await attempt(TEST_PASSWORD)).status).toBe(200);
  });
});

describe('rate limit per address', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { LOGIN_MAX_FAILURES: '100', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100', LOGIN_MAX_FAILURES_PER_ADDRESS: '4' } });
  });
  afterAll(() => platform.close());

  const login = (username: string, password: string) => request(platform.app).post('/api/v1/auth/login').send({ username, password });

  it('refuses further failed attempts of an address that tries many accounts, but still takes a correct password', async () => {
    const someoneElse = await anAccount(platform, 'owner');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login(`guess${i}`, 'Wrong-password-1')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const wrongAgain = await login(someoneElse.username, 'Wrong-password-1');
    expect(wrongAgain.status).toBe(429);
    expect(Number(wrongAgain.headers['retry-after'])).toBeGreaterThan(0);
    // behind a proxy with TRUST_PROXY=off everyone shares this address: the right password still works
    expect((await login(someoneElse.username, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('rate limit per account across addresses', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000', TRUST_PROXY: 'on' } });
  });
  afterAll(() => platform.close());

  const loginFrom = (address: string, username: string, password: string) =>
    request(platform.app).post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });

  it('locks one (address, account) pair without locking the same account elsewhere', async () => {
    const account = await anAccount(platform, 'agency');
    for (let i = 0; i < 3; i += 1) expect((await loginFrom('203.0.113.7', account.username, 'Wrong-password-1')).status).toBe(401);
    expect((await loginFrom('203.0.113.7', account.username, TEST_PASSWORD)).status).toBe(429);
    expect((await loginFrom('198.51.100.20', account.username, TEST_PASSWORD)).status).toBe(200);
  });

  it('locks an account guessed at from many addresses', async () => {
    const account = await anAccount(platform, 'agency');
    for (let i = 0; i < 5; i += 1) expect((await loginFrom(`203.0.113.${20 + i}`, account.username, 'Wrong-password-1')).status).toBe(401);
    expect((await loginFrom('198.51.100.99', account.username, TEST_PASSWORD)).status).toBe(429);
    platform.clock.advance(16 * MINUTE);
    expect((await loginFrom('198.51.100.99', account.username, TEST_PASSWORD)).status).toBe(200);
  });
});
