import { and, asc, desc, eq, gte, inArray, lte, max } from 'drizzle-orm';
import type { Executor } from '../platform/db/index.js';
import { DEFAULT_VERSION, type CreditRule, type RuleVersion, type ScoredEvent } from './score.js';
import { creditDisputes, creditEvents, creditRuleVersions } from './tables.js';

export type CreditEventRow = typeof creditEvents.$inferSelect;
export type CreditDisputeRow = typeof creditDisputes.$inferSelect;

/** Every rule version, the built-in default first. */
export async function ruleVersions(db: Executor): Promise<RuleVersion[]> {
  const rows = await db.select().from(creditRuleVersions).orderBy(asc(creditRuleVersions.version));
  return [DEFAULT_VERSION, ...rows.map((row) => ({ version: row.version, effectiveFrom: row.effectiveFrom, rules: row.rules as CreditRule[], note: row.note }))];
}

export async function insertRuleVersion(tx: Executor, values: { rules: CreditRule[]; note: string; effectiveFrom: Date; createdBy: string }): Promise<number> {
  const [latest] = await tx.select({ version: max(creditRuleVersions.version) }).from(creditRuleVersions);
  const version = Math.max(DEFAULT_VERSION.version, latest?.version ?? 0) + 1;
  await tx.insert(creditRuleVersions).values({ ...values, version });
  return version;
}

export async function eventsOf(db: Executor, firmId: number, upTo?: Date): Promise<CreditEventRow[]> {
  const where = upTo ? and(eq(creditEvents.firmId, firmId), lte(creditEvents.occurredAt, upTo)) : eq(creditEvents.firmId, firmId);
  return db.select().from(creditEvents).where(where).orderBy(asc(creditEvents.occurredAt), asc(creditEvents.id));
}

/**
 * What scoring needs of the events of many firms (or all), grouped by firm. `since` skips
 * events too old to count under any window (a correction always follows its event).
 */
export async function eventsByFirm(db: Executor, firmIds?: number[], since?: Date): Promise<Map<number, ScoredEvent[]>> {
  if (firmIds && firmIds.length === 0) return new Map();
  const rows = await db
    .select({ id: creditEvents.id, firmId: creditEvents.firmId, kind: creditEvents.kind, occurredAt: creditEvents.occurredAt, correctsEventId: creditEvents.correctsEventId })
    .from(creditEvents)
    .where(and(firmIds ? inArray(creditEvents.firmId, firmIds) : undefined, since ? gte(creditEvents.occurredAt, since) : undefined))
    .orderBy(asc(creditEvents.firmId), asc(creditEvents.occurredAt), asc(creditEvents.id));
  const grouped = new Map<number, ScoredEvent[]>();
  for (const row of rows) {
    const list = grouped.get(row.firmId);
    if (list) list.push(row);
    else grouped.set(row.firmId, [row]);
  }
  return grouped;
}

export async function findEvent(db: Executor, id: number): Promise<CreditEventRow | undefined> {
  const [row] = await db.select().from(creditEvents).where(eq(creditEvents.id, id));
  return row;
}

export async function insertEvent(tx: Executor, values: typeof creditEvents.$inferInsert): Promise<CreditEventRow> {
  const [row] = await tx.insert(creditEvents).values(values).returning();
  return row!;
}

export async function findDispute(db: Executor, id: number, options: { lock?: boolean } = {}): Promise<CreditDisputeRow | undefined> {
  const query = db.select().from(creditDisputes).where(eq(creditDisputes.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function disputeOfEvent(db: Executor, eventId: number): Promise<CreditDisputeRow | undefined> {
  const [row] = await db.select().from(creditDisputes).where(eq(creditDisputes.eventId, eventId));
  return row;
}

export async function disputesOf(db: Executor, firmId: number): Promise<CreditDisputeRow[]> {
  return db.select().from(creditDisputes).where(eq(creditDisputes.firmId, firmId)).orderBy(desc(creditDisputes.id));
}

export async function insertDispute(tx: Executor, values: typeof creditDisputes.$inferInsert): Promise<CreditDisputeRow> {
  const [row] = await tx.insert(creditDisputes).values(values).returning();
  return row!;
}

export async function updateDispute(tx: Executor, id: number, values: Partial<typeof creditDisputes.$inferInsert>): Promise<void> {
  await tx.update(creditDisputes).set(values).where(eq(creditDisputes.id, id));
}
