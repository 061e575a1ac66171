import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from '../auth/tables.js';
import { firmObjectionColumns } from '../firms/objection-columns.js';

/**
 * A blacklist entry (黑名单). Never deleted or rewritten except to record its revocation;
 * active / expired follow from the clock at read time, never from a stored flag.
 */
export const blacklistEntries = pgTable(
  'blacklist_entries',
  {
    id: serial('id').primaryKey(),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    reason: text('reason').notNull(),
    basis: text('basis').notNull(),
    evidence: text('evidence').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    decidedBy: text('decided_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
    revokeReason: text('revoke_reason'),
  },
  (table) => [
    index('blacklist_entries_firm_idx').on(table.firmId),
    check('blacklist_entries_period_check', sql`${table.endsAt} is null or ${table.endsAt} > ${table.startsAt}`),
  ],
);

/** A firm's appeal (申诉) against its entry; staff uphold (the entry is revoked) or dismiss it. */
export const blacklistAppeals = pgTable(
  'blacklist_appeals',
  {
    id: serial('id').primaryKey(),
    entryId: integer('entry_id')
      .notNull()
      .references(() => blacklistEntries.id),
    ...firmObjectionColumns(),
  },
  (table) => [
    index('blacklist_appeals_entry_idx').on(table.entryId),
    uniqueIndex('blacklist_appeals_open_unique').on(table.entryId).where(sql`${table.decision} is null`),
    check('blacklist_appeals_decision_check', sql`${table.decision} is null or ${table.decision} in ('upheld', 'dismissed')`),
  ],
);
