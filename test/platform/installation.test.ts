import { findUserByUsername } from '../../src/auth/repository.js';
import { prepareInstallation } from '../../src/installation.js';
import type { DemoLoader } from '../../src/platform/demo.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('the first start of an empty embedded database', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ config: { DEMO_DATA: 'on', ADMIN_USERNAME: 'site-admin', ADMIN_PASSWORD: 'Lighthouse-Ferry-Quartz-64' } });
  });
  afterAll(() => platform.close());

  const loaded: string[] = [];
  const loader: DemoLoader = { name: 'accounts', load: async () => void loaded.push('accounts') };

  it('loads the demo data although an administrator is configured, and creates the administrator', async () => {
    const first = await prepareInstallation(platform, [loader]);
    expect(first.demo.loaded).toBe(true);
    expect(first.adminCreated).toBe(true);
    expect((await findUserByUsername(platform.database.db, 'site-admin'))?.role).toBe('admin');
  });

  it('does neither again on the next start', async () => {
    const second = await prepareInstallation(platform, [loader]);
    expect(second).toEqual({ adminCreated: false, demo: { loaded: false, logins: [] } });
    expect(loaded).toEqual(['accounts']);
  });
});
