import { appendAudit } from '../../src/audit/service.js';
import { formatDemoLogins, loadDemoDataIfEmpty, type DemoLoader } from '../../src/platform/demo.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

describe('demo data registry', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  const recordingLoader = (calls: string[]): DemoLoader => ({
    name: 'accounts',
    load: async (deps) => {
      calls.push('accounts');
      await deps.database.transaction((tx) =>
        appendAudit(tx, deps.clock, { actor: 'system:demo', action: 'demo.loaded', entityType: 'demo', entityId: 1 }),
      );
      return [{ role: 'staff', username: 'demo-staff', password: 'demo-password-1' }];
    },
  });

  it('loads every registered loader once, on an empty database, and lists the logins', async () => {
    const calls: string[] = [];
    const first = await loadDemoDataIfEmpty(platform, [recordingLoader(calls)]);
    expect(first.loaded).toBe(true);
    expect(formatDemoLogins(first.logins)).toContain('demo-staff');
    const second = await loadDemoDataIfEmpty(platform, [recordingLoader(calls)]);
    expect(second.loaded).toBe(false);
    expect(calls).toEqual(['accounts']);
  });

  it('never touches a database that already has history', async () => {
    await platform.database.transaction((tx) =>
      appendAudit(tx, platform.clock, { actor: 'user:1', action: 'real.work', entityType: 'project', entityId: 1 }),
    );
    const calls: string[] = [];
    expect((await loadDemoDataIfEmpty(platform, [recordingLoader(calls)])).loaded).toBe(false);
    expect(calls).toEqual([]);
  });
});
