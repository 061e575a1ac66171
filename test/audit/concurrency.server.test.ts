import { appendAudit, verifyAuditChain } from '../../src/audit/service.js';
import { TestClock } from '../../src/platform/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('audit appends on the PostgreSQL server', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(() => database.close());

  it('never forks the chain under parallel transactions', async () => {
    const clock = new TestClock();
    const appends = Array.from({ length: 60 }, (_, i) =>
      database.transaction(async (tx) => {
        const event = await appendAudit(tx, clock, {
          actor: `user:${i}`,
          action: 'bid.placed',
          entityType: 'project',
          entityId: i % 3,
          data: { i },
        });
        // hold the transaction open a moment so others queue on the head lock
        await new Promise((resolve) => setTimeout(resolve, 2));
        return event.seq;
      }),
    );
    const seqs = await Promise.all(appends);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const { checked, firstBreak } = await verifyAuditChain(database.db);
    expect(checked).toBe(60);
    expect(firstBreak).toBeNull();
  });
});
