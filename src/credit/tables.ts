import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from '../auth/tables.js';
import { firmObjectionColumns } from '../firms/objection-columns.js';

/**
 * A version of the public credit rule table. Version 1 is the built-in default (DEFAULT_RULES);
 * staff edits add versions 2, 3 … effective from the moment they are saved.
 */
export const creditRuleVersions = pgTable(
  'credit_rule_versions',
  {
    id: serial('id').primaryKey(),
    version: integer('version').notNull(),
    rules: jsonb('rules').notNull(),
    note: text('note').notNull(),
    effectiveFrom: timestamp('effective_from', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
  },
  (table) => [uniqueIndex('credit_rule_versions_version_unique').on(table.version)],
);

/**
 * An append-only credit event. Points are not stored: they come from the rule version in force
 * at the moment a score is asked for. A correction names the event it compensates.
 */
export const creditEvents = pgTable(
  'credit_events',
  {
    id: serial('id').primaryKey(),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    kind: text('kind').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    note: text('note').notNull(),
    correctsEventId: integer('corrects_event_id'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('credit_events_firm_idx').on(table.firmId, table.occurredAt),
    check('credit_events_correction_check', sql`(${table.kind} = 'correction') = (${table.correctsEventId} is not null)`),
  ],
);

/** A firm's dispute (异议) of one event: at most one per event; staff decide with a reason. */
export const creditDisputes = pgTable(
  'credit_disputes',
  {
    id: serial('id').primaryKey(),
    eventId: integer('event_id')
      .notNull()
      .references(() => creditEvents.id),
    ...firmObjectionColumns(),
  },
  (table) => [
    uniqueIndex('credit_disputes_event_unique').on(table.eventId),
    index('credit_disputes_firm_idx').on(table.firmId),
    check('credit_disputes_decision_check', sql`${table.decision} is null or ${table.decision} in ('upheld', 'dismissed')`),
  ],
);
