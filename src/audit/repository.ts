import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Executor } from '../platform/db/index.js';
import { GENESIS_HASH, type AuditEvent } from './chain.js';
import { auditEvents, auditHead } from './tables.js';

export interface AuditHead {
  seq: number;
  hash: string;
}

/** Locks the chain head for the rest of the transaction; concurrent appends queue here. */
export async function lockHead(tx: Executor): Promise<AuditHead> {
  await tx
    .insert(auditHead)
    .values({ id: 1, seq: 0, hash: GENESIS_HASH })
    .onConflictDoNothing();
  const [head] = await tx
    .select({ seq: auditHead.seq, hash: auditHead.hash })
    .from(auditHead)
    .where(eq(auditHead.id, 1))
    .for('update');
  return head!;
}

export async function insertEvent(tx: Executor, event: AuditEvent): Promise<void> {
  await tx.insert(auditEvents).values(event);
  await tx
    .update(auditHead)
    .set({ seq: event.seq, hash: event.hash })
    .where(eq(auditHead.id, 1));
}

export async function readHead(db: Executor): Promise<AuditHead> {
  const [head] = await db.select({ seq: auditHead.seq, hash: auditHead.hash }).from(auditHead);
  return head ?? { seq: 0, hash: GENESIS_HASH };
}

export async function readEventsAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(gt(auditEvents.seq, afterSeq))
    .orderBy(asc(auditEvents.seq))
    .limit(limit);
}

export interface EventFilter {
  entityType?: string;
  entityId?: string;
  action?: string;
}

export async function findEvents(
  db: Executor,
  filter: EventFilter,
  page: { offset: number; limit: number },
): Promise<{ items: AuditEvent[]; total: number }> {
  const where = and(
    filter.entityType ? eq(auditEvents.entityType, filter.entityType) : undefined,
    filter.entityId ? eq(auditEvents.entityId, filter.entityId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
  );
  const items = await db
    .select()
    .from(auditEvents)
    .where(where)
    .orderBy(desc(auditEvents.seq))
    .offset(page.offset)
    .limit(page.limit);
  const [count] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(auditEvents)
    .where(where);
  return { items, total: count?.total ?? 0 };
}
