import { eq, sql } from 'drizzle-orm';
import { appMeta } from '../../src/platform/db/tables.js';
import { queryRows } from '../../src/platform/db/types.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database.js';

describe(`database (${testDatabaseKind()})`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('is migrated and reports its migrations as current', async () => {
    expect(database.kind).toBe(testDatabaseKind() === 'pglite' ? 'pglite' : 'postgres');
    expect(await database.migrationsCurrent()).toBe(true);
    await database.ping();
  });

  it('applies migrations again on an up-to-date database without change', async () => {
    await database.migrate();
    await database.migrate();
    expect(await database.migrationsCurrent()).toBe(true);
    const [row] = await queryRows<{ count: number }>(
      database.db,
      sql`select count(*)::int as count from information_schema.tables where table_name = 'audit_events'`,
    );
    expect(row?.count).toBe(1);
  });

  it('commits a transaction and rolls back a failed one completely', async () => {
    const at = new Date('2026-11-25T01:00:00Z');
    await database.transaction(async (tx) => {
      await tx.insert(appMeta).values({ key: 'kept', value: { n: 1 }, updatedAt: at });
    });
    await expect(
      database.transaction(async (tx) => {
        await tx.insert(appMeta).values({ key: 'lost', value: { n: 2 }, updatedAt: at });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await database.db.select().from(appMeta).where(eq(appMeta.key, 'kept'))).toHaveLength(1);
    expect(await database.db.select().from(appMeta).where(eq(appMeta.key, 'lost'))).toHaveLength(0);
  });

  it('never interleaves two transactions that read then write the same row', async () => {
    const at = new Date('2026-11-25T01:00:00Z');
    await database.db.insert(appMeta).values({ key: 'counter', value: 0, updatedAt: at });
    const increment = () =>
      database.transaction(async (tx) => {
        const [row] = await tx.select().from(appMeta).where(eq(appMeta.key, 'counter')).for('update');
        await new Promise((resolve) => setImmediate(resolve));
        await tx.update(appMeta).set({ value: Number(row!.value) + 1 }).where(eq(appMeta.key, 'counter'));
      });
    await Promise.all(Array.from({ length: 20 }, increment));
    const [row] = await database.db.select().from(appMeta).where(eq(appMeta.key, 'counter'));
    expect(row?.value).toBe(20);
  });
});
