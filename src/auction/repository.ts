import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../platform/db/index.js';
import { projects } from '../projects/tables.js';
import type { Action, AuctionFrame, Bidder } from './schedule.js';
import { auctionActions, auctionEvents, auctions } from './tables.js';

export type AuctionRow = typeof auctions.$inferSelect;
export type ActionRow = typeof auctionActions.$inferSelect;

export interface AuctionEvent {
  projectId: number;
  seq: number;
  type: string;
  data: Record<string, unknown>;
  at: string;
}

export const frameOf = (row: AuctionRow): AuctionFrame => ({
  startsAt: row.startsAt,
  rounds: row.rounds,
  turnSeconds: row.turnSeconds,
  minStepFen: row.minStepFen,
  bidders: row.bidders as Bidder[],
});

export const actionOf = (row: ActionRow): Action => ({
  firmId: row.firmId,
  round: row.round,
  turn: row.turn,
  kind: row.kind as Action['kind'],
  amountFen: row.amountFen,
  at: row.at,
});

export async function insertAuction(tx: Executor, values: typeof auctions.$inferInsert) {
  await tx.insert(auctions).values(values);
}

export async function findAuction(db: Executor, projectId: number): Promise<AuctionRow | undefined> {
  const [row] = await db.select().from(auctions).where(eq(auctions.projectId, projectId));
  return row;
}

export async function updateAuction(tx: Executor, projectId: number, values: Partial<typeof auctions.$inferInsert>) {
  await tx.update(auctions).set(values).where(eq(auctions.projectId, projectId));
}

export async function listActions(db: Executor, projectId: number): Promise<ActionRow[]> {
  return db.select().from(auctionActions).where(eq(auctionActions.projectId, projectId)).orderBy(asc(auctionActions.id));
}

export async function findActionByKey(db: Executor, projectId: number, firmId: number, key: string): Promise<ActionRow | undefined> {
  const [row] = await db
    .select()
    .from(auctionActions)
    .where(and(eq(auctionActions.projectId, projectId), eq(auctionActions.firmId, firmId), eq(auctionActions.idempotencyKey, key)));
  return row;
}

export async function insertAction(tx: Executor, values: typeof auctionActions.$inferInsert): Promise<ActionRow> {
  const [row] = await tx.insert(auctionActions).values(values).returning();
  return row!;
}

/** Appends events after the project's last one; the caller holds the project row lock. */
export async function appendEvents(tx: Executor, projectId: number, events: { type: string; data: Record<string, unknown>; at: Date }[]): Promise<AuctionEvent[]> {
  if (events.length === 0) return [];
  const [last] = await tx.select({ seq: sql<number>`coalesce(max(${auctionEvents.seq}), 0)::int` }).from(auctionEvents).where(eq(auctionEvents.projectId, projectId));
  const rows = events.map((event, index) => ({ projectId, seq: (last?.seq ?? 0) + index + 1, type: event.type, data: event.data, at: event.at }));
  await tx.insert(auctionEvents).values(rows);
  return rows.map((row) => ({ ...row, at: row.at.toISOString() }));
}

export async function eventsAfter(db: Executor, projectId: number, afterSeq: number): Promise<AuctionEvent[]> {
  const rows = await db
    .select()
    .from(auctionEvents)
    .where(and(eq(auctionEvents.projectId, projectId), gt(auctionEvents.seq, afterSeq)))
    .orderBy(asc(auctionEvents.seq));
  return rows.map((row) => ({ projectId: row.projectId, seq: row.seq, type: row.type, data: row.data as Record<string, unknown>, at: row.at.toISOString() }));
}

export async function lastEventSeq(db: Executor, projectId: number): Promise<number> {
  const [row] = await db.select({ seq: sql<number>`coalesce(max(${auctionEvents.seq}), 0)::int` }).from(auctionEvents).where(eq(auctionEvents.projectId, projectId));
  return row?.seq ?? 0;
}

export async function runningAuctionIds(db: Executor): Promise<number[]> {
  const rows = await db.select({ id: projects.id }).from(projects).where(and(eq(projects.status, 'auction'), eq(projects.method, 'bidding')));
  return rows.map((row) => row.id);
}
