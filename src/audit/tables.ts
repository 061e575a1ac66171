import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    data: jsonb('data').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [index('audit_events_entity_idx').on(table.entityType, table.entityId, table.seq)],
);

/** One row: the chain's head. Appends lock it, so concurrent commands never fork the chain. */
export const auditHead = pgTable(
  'audit_head',
  {
    id: smallint('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    /** The hash before the latest append: lets one statement link and insert an event. */
    prevHash: text('prev_hash'),
  },
  (table) => [check('audit_head_single_row', sql`${table.id} = 1`)],
);

/**
 * What a sealed event said, kept beside the chain until the opening. Before the opening the chain
 * holds only a salted commitment to it (`sealed.committed`, which names neither the project nor
 * the firm); the opening publishes these rows in the project's trail, where anyone can check
 * each against its commitment. Never served by any route before then.
 */
export const sealedAuditEntries = pgTable(
  'sealed_audit_entries',
  {
    /** The commitment: the entity id of its `sealed.committed` event in the chain. */
    commitment: text('commitment').primaryKey(),
    projectId: integer('project_id').notNull(),
    salt: text('salt').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    data: jsonb('data').notNull(),
  },
  (table) => [index('sealed_audit_entries_project_idx').on(table.projectId), index('sealed_audit_entries_entity_idx').on(table.entityType, table.entityId)],
);

/**
 * Signed tree heads: the key (kept outside the database) signed `seq` and `hash` of the head at
 * `signed_at`. Append-only (migration 0016); anyone holding a copy detects a rewritten chain.
 */
export const auditCheckpoints = pgTable(
  'audit_checkpoints',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    hash: text('hash').notNull(),
    signedAt: timestamp('signed_at', { withTimezone: true, precision: 3 }).notNull(),
    reason: text('reason').notNull(),
    keyId: text('key_id').notNull(),
    /** Ed25519 over the statement of src/audit/checkpoint-format.ts, base64. */
    signature: text('signature').notNull(),
  },
  (table) => [check('audit_checkpoints_reason_check', sql`${table.reason} in ('interval', 'opening')`)],
);
