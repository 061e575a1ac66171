import { appendAudit, appendAuditMany, verifyAuditChain } from '../../src/audit/service.js';
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

  it('never forks the chain when batch appends and single appends race', async () => {
    const clock = new TestClock();
    const before = (await verifyAuditChain(database.db)).checked;
    const commands = Array.from({ length: 40 }, (_, i) =>
      database.transaction(async (tx) => {
        const entry = { actor: `user:${i}`, action: 'submission.received', entityType: 'submission', entityId: i, data: { i } };
        const events = i % 2 === 0 ? await appendAuditMany(tx, clock, [entry, { ...entry, entityId: 1000 + i }, { ...entry, entityId: 2000 + i }]) : [await appendAudit(tx, clock, entry)];
        await new Promise((resolve) => setTimeout(resolve, 2));
        return events.map((event) => event.seq);
      }),
    );
    const seqs = (await Promise.all(commands)).flat();
    expect(seqs).toHaveLength(20 * 3 + 20);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 80 }, (_, i) => before + i + 1));
    const { checked, firstBreak } = await verifyAuditChain(database.db);
    expect(checked).toBe(before + 80);
    expect(firstBreak).toBeNull();
  });
});
