import { integer, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations } from '../auth/tables.js';

/**
 * The columns of a firm's objection that staff decide: a credit dispute (异议) or a blacklist
 * appeal (申诉). A function, so each table gets its own column builders.
 */
export const firmObjectionColumns = () => ({
  firmId: integer('firm_id')
    .notNull()
    .references(() => organizations.id),
  grounds: text('grounds').notNull(),
  filedBy: text('filed_by').notNull(),
  filedAt: timestamp('filed_at', { withTimezone: true }).notNull(),
  decision: text('decision'),
  decisionReason: text('decision_reason'),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
});
