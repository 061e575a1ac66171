import { and, asc, desc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../platform/db/index.js';
import { GENESIS_HASH, type AuditEvent } from './chain.js';
import { auditEvents, auditHead } from './tables.js';

export interface AuditHead {
  seq: number;
  hash: string;
}

/**
 * Appends one event in a single statement: the upsert locks the head row (concurrent appends
 * queue on it until this transaction ends), advances seq, links the hash, and the event row is
 * inserted from what it returns. Keeping the locked section to one round trip is what lets
 * appends keep up under load.
 */
export async function appendLinked(
  tx: Executor,
  event: { at: Date; actor: string; action: string; entityType: string; entityId: string; data: unknown; bodyHash: string },
): Promise<AuditEvent> {
  const link = (prev: SQL, seq: SQL) =>
    sql`encode(sha256(convert_to(${prev} || chr(10) || (${seq})::text || chr(10) || ${event.bodyHash}, 'UTF8')), 'hex')`;
  const [row] = await queryRows<{ seq: string; prev_hash: string; hash: string }>(
    tx,
    sql`with head as (
          insert into audit_head as h (id, seq, hash, prev_hash)
          values (1, 1, ${link(sql`${GENESIS_HASH}`, sql`1`)}, ${GENESIS_HASH})
          on conflict (id) do update
            set seq = h.seq + 1, prev_hash = h.hash, hash = ${link(sql`h.hash`, sql`h.seq + 1`)}
          returning seq, hash, prev_hash
        )
        insert into audit_events (seq, at, actor, action, entity_type, entity_id, data, prev_hash, hash)
        select seq, ${event.at.toISOString()}::timestamptz, ${event.actor}, ${event.action}, ${event.entityType}, ${event.entityId},
               ${JSON.stringify(event.data)}::jsonb, prev_hash, hash
        from head
        returning seq::text, prev_hash, hash`,
  );
  return {
    seq: Number(row!.seq),
    at: event.at,
    actor: event.actor,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    data: event.data,
    prevHash: row!.prev_hash,
    hash: row!.hash,
  };
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
