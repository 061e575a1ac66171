import request from 'supertest';
import { passwordProblem } from '../../src/auth/passwords.js';
import { anAccount, aUscc, loggedInAs, logIn, TEST_PASSWORD } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('what a password change, a reset and disabling do to API tokens', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const aToken = async (session: Awaited<ReturnType<typeof logIn>>) =>
    `Bearer ${(await session.agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', session.csrfToken).send({ name: '对接系统' }).expect(201)).body.token}`;
  const me = (bearer: string) => request(platform.app).get('/api/v1/auth/me').set('Authorization', bearer);

  it('revokes every token of a user who changes the password', async () => {
    const firm = await loggedInAs(platform, 'agency');
    const bearer = await aToken(firm);
    await me(bearer).expect(200);
    await firm.agent.post('/api/v1/auth/password').set('X-CSRF-Token', firm.csrfToken)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Harbour-Kite-Velvet-58' }).expect(204);
    const refused = await me(bearer).expect(401);
    expect(refused.body.code).toBe('invalid_token');
    await firm.agent.get('/api/v1/auth/me').expect(200); // the session that changed it stays
  });

  it('revokes the tokens of a staff member an admin disables, and they stay revoked when re-enabled', async () => {
    const admin = await loggedInAs(platform, 'admin');
    const officer = await anAccount(platform, 'staff');
    const bearer = await aToken(await logIn(platform, officer));
    await admin.agent.patch(`/api/v1/users/${officer.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ disabled: true }).expect(200);
    await me(bearer).expect(401);
    await admin.agent.patch(`/api/v1/users/${officer.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ disabled: false }).expect(200);
    await me(bearer).expect(401);
  });

  it('lets an admin reset a staff password: sessions end, tokens are revoked, the new password works', async () => {
    const admin = await loggedInAs(platform, 'admin');
    const officer = await anAccount(platform, 'staff');
    const session = await logIn(platform, officer);
    const bearer = await aToken(session);
    await admin.agent.patch(`/api/v1/users/${officer.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ password: 'Granite-Meadow-Sparrow-31' }).expect(200);
    await me(bearer).expect(401);
    await session.agent.get('/api/v1/auth/me').expect(401);
    await request(platform.app).post('/api/v1/auth/login').send({ username: officer.username, password: 'Granite-Meadow-Sparrow-31' }).expect(200);
    const weak = await admin.agent.patch(`/api/v1/users/${officer.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ password: 'woaini1314' });
    expect(weak.status).toBe(400);
  });
});

describe('password strength', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it.each([
    ['ten spaces', ' '.repeat(10)],
    ['ten lower-case letters of one kind', 'qwmzkxnvbr'],
    ['ten identical CJK characters', '中'.repeat(10)],
    ['a common pinyin password', 'woaini1314'],
    ['a pinyin name with digits', 'zhangwei123456'],
    ['a keyboard row', 'qwertyuiop12'],
  ])('refuses %s with a Chinese explanation naming the field', async (_what, password) => {
    const response = await request(platform.app).post('/api/v1/auth/register').send({
      username: `weak${Math.floor(Math.random() * 1e9)}`,
      password,
      role: 'owner',
      organization: { name: '烟台市某某建设有限公司', uscc: aUscc(), contactName: '王五', contactPhone: '0535-6666666' },
    });
    expect(response.status).toBe(400);
    const error = response.body.errors.find((entry: { path: string }) => entry.path === 'body.password');
    expect(error.message).toMatch(/^密码/);
    expect(error.message).toContain('建议');
  });

  it('accepts strong passwords, including a long passphrase of one kind of character', () => {
    for (const password of [TEST_PASSWORD, 'Harbour-Kite-Velvet-58', 'correct horse battery staple', '烟台港口灯塔海鸥黄昏']) {
      expect(passwordProblem(password)).toBeNull();
    }
  });

  it('refuses a password built from the organisation name', () => {
    expect(passwordProblem('yantaijianshe', 'owner1', ['yantaijianshe'])).not.toBeNull();
  });
});
