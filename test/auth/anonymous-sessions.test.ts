import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/platform/db/index.js';
import { anAccount, csrfFrom, TEST_PASSWORD } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('sessions of visitors who are not logged in', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const sessionRows = async () => Number((await queryRows<{ count: string }>(platform.database.db, sql`select count(*)::text as count from sessions`))[0]!.count);

  it('writes no session row for 50 anonymous page views, forms included', async () => {
    const before = await sessionRows();
    const pages = ['/', '/projects', '/services', '/firms', '/blacklist', '/login', '/register', '/announcements', '/statistics', '/lotteries'];
    for (let view = 0; view < 50; view += 1) {
      const response = await request(platform.app).get(pages[view % pages.length]!).set('Accept', 'text/html');
      expect(response.status).toBe(200);
      expect(String(response.headers['set-cookie'] ?? '')).not.toMatch(/zjcs\.sid=/);
    }
    expect(await sessionRows()).toBe(before);
  });

  it('still protects the login form with a CSRF token, and starts a session only at login', async () => {
    const account = await anAccount(platform, 'owner');
    const agent = request.agent(platform.app);
    const form = await agent.get('/login').set('Accept', 'text/html').expect(200);
    const token = csrfFrom(form.text);
    const before = await sessionRows();
    await agent.post('/login').type('form').set('Accept', 'text/html').send({ username: account.username, password: TEST_PASSWORD, _csrf: 'forged' }).expect(403);
    expect(await sessionRows()).toBe(before);
    const loggedIn = await agent.post('/login').type('form').set('Accept', 'text/html').send({ username: account.username, password: TEST_PASSWORD, _csrf: token });
    expect(loggedIn.status).toBe(303);
    expect(await sessionRows()).toBe(before + 1);
  });
});
