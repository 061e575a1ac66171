import { desc, eq, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../platform/db/index.js';
import { lotteries } from './tables.js';

export type LotteryRow = typeof lotteries.$inferSelect;
export type NewLottery = typeof lotteries.$inferInsert;
export type LotteryChanges = Partial<Omit<NewLottery, 'id' | 'algorithm' | 'createdBy'>>;

export async function nextLotteryNumber(tx: Executor): Promise<number> {
  const [row] = await queryRows<{ value: string }>(tx, sql`select nextval('lottery_number_seq')::text as value`);
  return Number(row!.value);
}

export async function insertLottery(tx: Executor, lottery: NewLottery): Promise<LotteryRow> {
  const [row] = await tx.insert(lotteries).values(lottery).returning();
  return row!;
}

export async function findLottery(db: Executor, id: string): Promise<LotteryRow | undefined> {
  const [row] = await db.select().from(lotteries).where(eq(lotteries.id, id));
  return row;
}

/** Inside a command: later commands on the same lottery wait until this one commits. */
export async function lockLottery(tx: Executor, id: string): Promise<LotteryRow | undefined> {
  const [row] = await tx.select().from(lotteries).where(eq(lotteries.id, id)).for('update');
  return row;
}

export async function updateLottery(tx: Executor, id: string, changes: LotteryChanges): Promise<LotteryRow> {
  const [row] = await tx.update(lotteries).set(changes).where(eq(lotteries.id, id)).returning();
  return row!;
}

/** Newest commitment first. */
export async function listLotteries(
  db: Executor,
  page: { offset: number; limit: number },
): Promise<{ items: LotteryRow[]; total: number }> {
  const items = await db
    .select()
    .from(lotteries)
    .orderBy(desc(lotteries.commitmentPublishedAt), desc(lotteries.id))
    .offset(page.offset)
    .limit(page.limit);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(lotteries);
  return { items, total: count?.total ?? 0 };
}
