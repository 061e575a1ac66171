import request from 'supertest';
import { findEvents } from '../../src/audit/repository.js';
import { anAccount, loggedInAs, logIn, TEST_PASSWORD } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('personal API tokens', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('shows a token once, keeps only its hash, and accepts it without CSRF', async () => {
    const { agent, csrfToken } = await loggedInAs(platform, 'agency');
    const created = await agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', csrfToken).send({ name: '对接系统' }).expect(201);
    expect(created.body.token).toMatch(/^zjcs_[\w-]{43}$/);
    const listed = await agent.get('/api/v1/auth/tokens').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    const stored = await platform.database.db.execute(`select token_hash from api_tokens where id = ${created.body.id}`) as unknown as { rows: { token_hash: string }[] };
    expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]!.token_hash).not.toContain(created.body.token);

    const bearer = `Bearer ${created.body.token}`;
    await request(platform.app).get('/api/v1/auth/me').set('Authorization', bearer).expect(200);
    await request(platform.app).post('/api/v1/auth/tokens').set('Authorization', bearer).send({ name: 'from-token' }).expect(201);
  });

  it('records when a token was last used, to the minute', async () => {
    const { agent, csrfToken } = await loggedInAs(platform, 'agency');
    const created = await agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', csrfToken).send({ name: '统计' }).expect(201);
    const lastUsed = async () => (await agent.get('/api/v1/auth/tokens').expect(200)).body.items.find((t: { id: number }) => t.id === created.body.id).lastUsedAt;
    const use = () => request(platform.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${created.body.token}`).expect(200);
    expect(await lastUsed()).toBeNull();
    platform.clock.set('2026-11-25T09:00:00+08:00');
    await use();
    expect(await lastUsed()).toBe('2026-11-25T09:00:00.000+08:00');
    platform.clock.set('2026-11-25T09:00:59.999+08:00');
    await use();
    expect(await lastUsed()).toBe('2026-11-25T09:00:00.000+08:00');
    platform.clock.set('2026-11-25T09:01:00+08:00');
    await use();
    expect(await lastUsed()).toBe('2026-11-25T09:01:00.000+08:00');
  });

  it('refuses a revoked or unknown token with 401', async () => {
    const { agent, csrfToken } = await loggedInAs(platform, 'owner');
    const created = await agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', csrfToken).send({ name: 'old' }).expect(201);
    await agent.delete(`/api/v1/auth/tokens/${created.body.id}`).set('X-CSRF-Token', csrfToken).expect(204);
    const revoked = await request(platform.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${created.body.token}`).expect(401);
    expect(revoked.body.code).toBe('invalid_token');
    await request(platform.app).get('/api/v1/auth/me').set('Authorization', 'Bearer zjcs_nonsense').expect(401);
    const events = (await findEvents(platform.database.db, { action: 'auth.token_created' }, { offset: 0, limit: 50 })).items;
    expect(events.length).toBeGreaterThan(0);
  });

  it("cannot revoke another user's token", async () => {
    const alice = await loggedInAs(platform, 'agency');
    const bob = await loggedInAs(platform, 'agency');
    const token = await alice.agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', alice.csrfToken).send({ name: 'a' }).expect(201);
    await bob.agent.delete(`/api/v1/auth/tokens/${token.body.id}`).set('X-CSRF-Token', bob.csrfToken).expect(404);
    await request(platform.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token.body.token}`).expect(200);
  });
});

describe('staff and admin accounts', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { ADMIN_USERNAME: 'root-admin', ADMIN_PASSWORD: 'Bootstrap-admin-2026' } });
  });
  afterAll(() => platform.close());

  it('creates the configured administrator once', async () => {
    const { ensureAdmin } = await import('../../src/auth/service.js');
    expect(await ensureAdmin(platform)).toBe(true);
    expect(await ensureAdmin(platform)).toBe(false);
    await request(platform.app).post('/api/v1/auth/login').send({ username: 'root-admin', password: 'Bootstrap-admin-2026' }).expect(200);
  });

  it('lets an admin create staff; staff and others may not', async () => {
    const admin = await loggedInAs(platform, 'admin');
    const created = await admin.agent.post('/api/v1/users').set('X-CSRF-Token', admin.csrfToken)
      .send({ username: 'officer-wang', password: 'Officer-password-1', role: 'staff' }).expect(201);
    expect(created.body.user).toMatchObject({ username: 'officer-wang', role: 'staff' });
    const staff = await loggedInAs(platform, 'staff');
    await staff.agent.post('/api/v1/users').set('X-CSRF-Token', staff.csrfToken)
      .send({ username: 'sneaky', password: 'Officer-password-1', role: 'admin' }).expect(403);
  });

  it('audits a role change, and a disabled account can no longer log in', async () => {
    const admin = await loggedInAs(platform, 'admin');
    const officer = await anAccount(platform, 'staff');
    await admin.agent.patch(`/api/v1/users/${officer.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ role: 'admin' }).expect(200);
    const changes = (await findEvents(platform.database.db, { action: 'user.role_changed', entityId: String(officer.user.id) }, { offset: 0, limit: 5 })).items;
    expect(changes).toHaveLength(1);
    const session = await logIn(platform, officer);
    await admin.agent.patch(`/api/v1/users/${officer.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ disabled: true }).expect(200);
    await session.agent.get('/api/v1/auth/me').expect(401);
    await request(platform.app).post('/api/v1/auth/login').send({ username: officer.username, password: TEST_PASSWORD }).expect(401);
  });

  it('does not let an admin change an owner account or themselves', async () => {
    const admin = await loggedInAs(platform, 'admin');
    const owner = await anAccount(platform, 'owner');
    await admin.agent.patch(`/api/v1/users/${owner.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ role: 'staff' }).expect(409);
    await admin.agent.patch(`/api/v1/users/${admin.account.user.id}`).set('X-CSRF-Token', admin.csrfToken).send({ disabled: true }).expect(409);
  });
});
