import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from '../auth/tables.js';
import { firmObjectionColumns } from '../firms/objection-columns.js';
import { projects } from '../projects/tables.js';

/**
 * An award offer (中选通知) to one firm of the ranking. Declined, lapsed or skipped offers pass
 * to the next ranked alternate; a firm is offered a project at most once.
 * `lapsed` is also derived at read time from `respondBy`; the row is updated by the next settle.
 */
export const awards = pgTable(
  'awards',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    /** Position in the published ranking, 1 = first. */
    rank: integer('rank').notNull(),
    /** Null for lottery results, which have no price. */
    amountFen: bigint('amount_fen', { mode: 'number' }),
    promisedDays: integer('promised_days'),
    status: text('status').notNull(),
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    respondBy: timestamp('respond_by', { withTimezone: true }),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    reason: text('reason'),
  },
  (table) => [
    uniqueIndex('awards_project_firm_unique').on(table.projectId, table.firmId),
    index('awards_project_idx').on(table.projectId, table.status),
    index('awards_firm_idx').on(table.firmId),
    check('awards_status_check', sql`${table.status} in ('offered', 'accepted', 'declined', 'lapsed', 'skipped')`),
  ],
);

/**
 * An objection (异议) to a published result by a registrant, during publicity; one per firm and
 * project. Upholding it names the outcome: re-selection from the ranking, or failure.
 */
export const resultObjections = pgTable(
  'result_objections',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    ...firmObjectionColumns(),
    fileIds: jsonb('file_ids').notNull().default([]),
    outcome: text('outcome'),
  },
  (table) => [
    uniqueIndex('result_objections_project_firm_unique').on(table.projectId, table.firmId),
    index('result_objections_pending_idx').on(table.projectId).where(sql`${table.decision} is null`),
    check('result_objections_decision_check', sql`${table.decision} is null or ${table.decision} in ('upheld', 'dismissed')`),
    check(
      'result_objections_outcome_check',
      sql`(${table.outcome} is null and (${table.decision} is null or ${table.decision} = 'dismissed')) or (${table.decision} = 'upheld' and ${table.outcome} in ('reselect', 'fail'))`,
    ),
  ],
);
