import { importServiceItems } from '../../src/catalog/import.js';
import { createServiceItem, editServiceItem, getPublicService, publishServiceItem } from '../../src/catalog/service.js';
import { TestClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aServiceInput } from './builders.js';

describe('catalogue commands under concurrency (PostgreSQL server)', () => {
  let database: TestDatabase;
  const clock = new TestClock();
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.close());

  it('publishes one revision once when staff click publish at the same time', async () => {
    const deps = { database, clock };
    const { code, ...content } = aServiceInput();
    await createServiceItem(deps, 'user:1', { code, ...content });
    await publishServiceItem(deps, 'user:1', code);
    await editServiceItem(deps, 'user:1', code, { ...content, timeLimitDays: 3 });
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => publishServiceItem(deps, 'user:1', code)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refusals = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refusals.map((refusal) => (refusal.reason as { code: string }).code)).toEqual(Array(7).fill('nothing_to_publish'));
    const detail = await getPublicService(deps, code);
    expect(detail.history.map((version) => version.version)).toEqual([1, 2]);
  });

  it('lets only one of two imports with the same code in', async () => {
    const deps = { database, clock };
    const csv = (name: string) =>
      Buffer.from(`编码,名称,类别,设定依据,服务时限（工作日）,收费方式,收费依据,对应审批事项\nRC-001,${name},综合类,依据,5,市场调节价,市场,审批\n`);
    const outcomes = await Promise.allSettled([importServiceItems(deps, 'user:1', csv('甲')), importServiceItems(deps, 'user:2', csv('乙'))]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')!;
    // either it saw the other's row (a report) or lost the race on the unique code (409)
    expect(['ImportRejected', 'AppError']).toContain((rejected.reason as Error).constructor.name);
  });
});
