import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, users } from '../auth/tables.js';
import { awards } from '../awards/tables.js';
import { storedFiles } from '../platform/files/tables.js';
import { projects } from '../projects/tables.js';

/**
 * The service contract (服务合同) signed on one accepted award, then its delivery (服务成果) and
 * the owner's acceptance (验收). One row per award; the service timer runs from `signedOn` to
 * `completedAt`.
 */
export const contracts = pgTable(
  'contracts',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    awardId: integer('award_id')
      .notNull()
      .references(() => awards.id),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    signedOn: date('signed_on', { mode: 'string' }).notNull(),
    /** Working days promised for delivery: the award's, else the service item's time limit. */
    promisedDays: integer('promised_days').notNull(),
    fileId: integer('file_id')
      .notNull()
      .references(() => storedFiles.id),
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    deliveryNote: text('delivery_note'),
    deliveryFileIds: jsonb('delivery_file_ids').$type<number[]>(),
    deliveredBy: integer('delivered_by').references(() => users.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: integer('completed_by').references(() => users.id),
    /** Judged at completion: delivery after 17:00 of the promised working day is overdue. */
    overdue: text('overdue'),
  },
  (table) => [
    uniqueIndex('contracts_award_unique').on(table.awardId),
    index('contracts_project_idx').on(table.projectId),
    index('contracts_firm_idx').on(table.firmId),
    check('contracts_amount_positive', sql`${table.amountFen} > 0`),
    check('contracts_promised_days_positive', sql`${table.promisedDays} > 0`),
    check('contracts_overdue_check', sql`${table.overdue} is null or ${table.overdue} in ('on_time', 'overdue')`),
    check('contracts_completed_after_delivery', sql`${table.completedAt} is null or ${table.deliveredAt} is not null`),
  ],
);

/**
 * The owner's rating of a completed contract (评价): five scores 1–5 and a comment. Scores never
 * change (a trigger refuses it); staff may hide an abusive comment, the firm may reply once.
 */
export const ratings = pgTable(
  'ratings',
  {
    id: serial('id').primaryKey(),
    contractId: integer('contract_id')
      .notNull()
      .references(() => contracts.id),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => organizations.id),
    quality: smallint('quality').notNull(),
    timeliness: smallint('timeliness').notNull(),
    attitude: smallint('attitude').notNull(),
    fees: smallint('fees').notNull(),
    conduct: smallint('conduct').notNull(),
    comment: text('comment').notNull(),
    ratedBy: integer('rated_by')
      .notNull()
      .references(() => users.id),
    ratedAt: timestamp('rated_at', { withTimezone: true }).notNull(),
    commentHiddenAt: timestamp('comment_hidden_at', { withTimezone: true }),
    commentHiddenReason: text('comment_hidden_reason'),
    commentHiddenBy: integer('comment_hidden_by').references(() => users.id),
    reply: text('reply'),
    repliedAt: timestamp('replied_at', { withTimezone: true }),
    repliedBy: integer('replied_by').references(() => users.id),
  },
  (table) => [
    uniqueIndex('ratings_contract_unique').on(table.contractId),
    index('ratings_firm_idx').on(table.firmId, table.ratedAt),
    check(
      'ratings_scores_check',
      sql`${table.quality} between 1 and 5 and ${table.timeliness} between 1 and 5 and ${table.attitude} between 1 and 5 and ${table.fees} between 1 and 5 and ${table.conduct} between 1 and 5`,
    ),
  ],
);
