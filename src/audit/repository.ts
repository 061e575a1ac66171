import { and, asc, desc, eq, gt, ne, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../platform/db/index.js';
import { GENESIS_HASH, linkHash, type AuditEvent } from './chain.js';
import type { SignedCheckpoint } from './checkpoint-format.js';
import { SEALED_ENTITY } from './sealed-commitment.js';
import { auditCheckpoints, auditEvents, auditHead, sealedAuditEntries } from './tables.js';

export interface AuditHead {
  seq: number;
  hash: string;
}

/** linkHash in SQL: SHA-256 of `prev + "\n" + seq + "\n" + bodyHash`, hex. */
const linkSql = (prev: SQL, seq: SQL, body: SQL) => sql`encode(sha256(convert_to(${prev} || chr(10) || (${seq})::text || chr(10) || ${body}, 'UTF8')), 'hex')`;

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
  const link = (prev: SQL, seq: SQL) => linkSql(prev, seq, sql`${event.bodyHash}`);
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

type UnlinkedEvent = { at: Date; actor: string; action: string; entityType: string; entityId: string; data: unknown; bodyHash: string };

/**
 * Appends several events of one command in one statement: it locks the head row, links each
 * event to the one before with a recursive query (the same expression as appendLinked), inserts
 * them all and moves the head. Concurrent appends queue on the head row as for appendLinked.
 */
export async function appendLinkedMany(tx: Executor, events: UnlinkedEvent[]): Promise<AuditEvent[]> {
  if (events.length === 0) return [];
  // one array per column, so the statement has seven parameters however many events there are
  const column = <T>(pick: (event: UnlinkedEvent) => T) => sql.param(events.map(pick));
  const append = () =>
    queryRows<{ seq: string; start_hash: string }>(
      tx,
      sql`with recursive
            head as (select seq, hash from audit_head where id = 1 for update),
            input as (
              select * from unnest(${column((e) => e.at.toISOString())}::timestamptz[], ${column((e) => e.actor)}::text[], ${column((e) => e.action)}::text[],
                                   ${column((e) => e.entityType)}::text[], ${column((e) => e.entityId)}::text[], ${column((e) => JSON.stringify(e.data))}::jsonb[],
                                   ${column((e) => e.bodyHash)}::text[])
                with ordinality as t(at, actor, action, entity_type, entity_id, data, body_hash, n)
            ),
            chain as (
              select 0::bigint as n, seq, hash, null::text as prev_hash from head
              union all
              select c.n + 1, c.seq + 1, ${linkSql(sql`c.hash`, sql`c.seq + 1`, sql`i.body_hash`)}, c.hash
              from chain c join input i on i.n = c.n + 1
            ),
            inserted as (
              insert into audit_events (seq, at, actor, action, entity_type, entity_id, data, prev_hash, hash)
              select c.seq, i.at, i.actor, i.action, i.entity_type, i.entity_id, i.data, c.prev_hash, c.hash
              from chain c join input i on i.n = c.n
              returning seq, prev_hash, hash
            )
          update audit_head h set seq = last.seq, hash = last.hash, prev_hash = last.prev_hash
          from (select seq, hash, prev_hash from inserted order by seq desc limit 1) last
          where h.id = 1
          returning h.seq::text, (select hash from head) as start_hash`,
    );
  let [row] = await append();
  if (!row) {
    // the very first append of a database: there is no head row to lock yet
    await tx.execute(sql`insert into audit_head (id, seq, hash, prev_hash) values (1, 0, ${GENESIS_HASH}, null) on conflict (id) do nothing`);
    [row] = await append();
  }
  let seq = Number(row!.seq) - events.length;
  let prevHash = row!.start_hash;
  return events.map((event) => {
    seq += 1;
    const hash = linkHash(prevHash, seq, event.bodyHash);
    const linked = { seq, at: event.at, actor: event.actor, action: event.action, entityType: event.entityType, entityId: event.entityId, data: event.data, prevHash, hash };
    prevHash = hash;
    return linked;
  });
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
  /** Leave out sealed commitments (they tell only that something happened, and when). */
  withoutSealed?: boolean;
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
    filter.withoutSealed ? ne(auditEvents.entityType, SEALED_ENTITY) : undefined,
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

// ---- sealed entries (see sealed-commitment.ts) ----

export type SealedEntryRow = typeof sealedAuditEntries.$inferSelect;

export async function insertSealedEntries(tx: Executor, rows: SealedEntryRow[]): Promise<void> {
  if (rows.length > 0) await tx.insert(sealedAuditEntries).values(rows);
}

/** A project's sealed entries, oldest first, each with the chain event its commitment is in. */
export async function sealedEntriesOf(db: Executor, projectId: number, entity?: { entityType: string; entityId: string }): Promise<{ entry: SealedEntryRow; event: AuditEvent | null }[]> {
  return db
    .select({ entry: sealedAuditEntries, event: auditEvents })
    .from(sealedAuditEntries)
    .leftJoin(auditEvents, and(eq(auditEvents.entityType, SEALED_ENTITY), eq(auditEvents.entityId, sealedAuditEntries.commitment)))
    .where(
      and(
        eq(sealedAuditEntries.projectId, projectId),
        entity ? eq(sealedAuditEntries.entityType, entity.entityType) : undefined,
        entity ? eq(sealedAuditEntries.entityId, entity.entityId) : undefined,
      ),
    )
    .orderBy(asc(auditEvents.seq));
}

/** A checkpoint as stored: `signedAt` is the instant whose UTC ISO string was signed. */
export interface CheckpointRow extends Omit<SignedCheckpoint, 'signedAt'> {
  signedAt: Date;
}

const asCheckpoint = (row: typeof auditCheckpoints.$inferSelect): CheckpointRow => ({ ...row, reason: row.reason as CheckpointRow['reason'] });

/** Inserts unless that seq is already checkpointed; returns the row inserted, if any. */
export async function insertCheckpoint(db: Executor, checkpoint: CheckpointRow): Promise<CheckpointRow | undefined> {
  const [row] = await db.insert(auditCheckpoints).values(checkpoint).onConflictDoNothing({ target: auditCheckpoints.seq }).returning();
  return row && asCheckpoint(row);
}

export async function latestCheckpoint(db: Executor): Promise<CheckpointRow | undefined> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).limit(1);
  return row && asCheckpoint(row);
}

export async function findCheckpoint(db: Executor, seq: number): Promise<CheckpointRow | undefined> {
  const [row] = await db.select().from(auditCheckpoints).where(eq(auditCheckpoints.seq, seq));
  return row && asCheckpoint(row);
}

export async function findCheckpoints(db: Executor, page: { offset: number; limit: number }): Promise<{ items: CheckpointRow[]; total: number }> {
  const rows = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.seq)).offset(page.offset).limit(page.limit);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(auditCheckpoints);
  return { items: rows.map(asCheckpoint), total: count?.total ?? 0 };
}

/** The link hash of the event at `seq`, if there is one. */
export async function hashAt(db: Executor, seq: number): Promise<string | undefined> {
  const [row] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.seq, seq));
  return row?.hash;
}
