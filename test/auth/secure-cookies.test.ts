import request from 'supertest';
import { anAccount, TEST_PASSWORD } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('cookies behind a TLS-terminating proxy (TRUST_PROXY=on)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { TRUST_PROXY: 'on' } });
  });
  afterAll(() => platform.close());

  it('marks the session cookie Secure when the proxy says the request came over HTTPS', async () => {
    const account = await anAccount(platform, 'owner');
    const response = await request(platform.app)
      .post('/api/v1/auth/login')
      .set('X-Forwarded-Proto', 'https')
      .send({ username: account.username, password: TEST_PASSWORD })
      .expect(200);
    const cookie = response.headers['set-cookie']![0]!;
    expect(cookie).toMatch(/^zjcs\.sid=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(response.headers['strict-transport-security']).toBeDefined();
  });
});
