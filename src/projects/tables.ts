import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, users } from '../auth/tables.js';

/**
 * A selection project (选取项目). `status` holds what commands decided; states that follow from
 * the clock alone (registration over, submissions over) are derived at read time and settled
 * by the next command, job or sweeper pass.
 */
export const projects = pgTable(
  'projects',
  {
    id: serial('id').primaryKey(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => organizations.id),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    serviceCode: text('service_code').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    budgetFen: bigint('budget_fen', { mode: 'number' }).notNull(),
    method: text('method').notNull(),
    winners: integer('winners').notNull(),
    minRespondents: integer('min_respondents').notNull(),
    minCreditGrade: text('min_credit_grade'),
    quoteMode: text('quote_mode').notNull(),
    /** Discount mode: the fee-standard amount the discount rate (下浮率) applies to. */
    quoteBaseFen: bigint('quote_base_fen', { mode: 'number' }),
    options: jsonb('options').notNull(),
    avoidFirms: jsonb('avoid_firms').notNull(),
    registrationClosesAt: timestamp('registration_closes_at', { withTimezone: true }).notNull(),
    submissionClosesAt: timestamp('submission_closes_at', { withTimezone: true }),
    status: text('status').notNull(),
    termsVersion: integer('terms_version').notNull(),
    lotteryId: text('lottery_id'),
    tieBreakLotteryId: text('tie_break_lottery_id'),
    result: jsonb('result'),
    outcomeReason: text('outcome_reason'),
    clonedFrom: integer('cloned_from'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('projects_status_idx').on(table.status),
    index('projects_owner_idx').on(table.ownerId),
    check('projects_budget_positive', sql`${table.budgetFen} > 0`),
    check('projects_method_check', sql`${table.method} in ('direct', 'lottery', 'inquiry', 'lottery_inquiry', 'comparison', 'bidding')`),
  ],
);

/** A firm's registration (报名); who registered stays hidden from all but staff until close. */
export const registrations = pgTable(
  'registrations',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    entropy: text('entropy'),
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('registrations_active_unique').on(table.projectId, table.firmId).where(sql`${table.status} = 'active'`),
    index('registrations_firm_idx').on(table.firmId),
  ],
);

/** A sealed submission. Only ciphertext is stored; the receipt hash proves what was stored. */
export const submissions = pgTable(
  'submissions',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    sealed: text('sealed').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull(),
    termsVersion: integer('terms_version').notNull(),
    receiptHash: text('receipt_hash').notNull(),
    idempotencyKey: text('idempotency_key'),
    status: text('status').notNull(),
  },
  (table) => [
    index('submissions_project_idx').on(table.projectId, table.status),
    uniqueIndex('submissions_current_unique').on(table.projectId, table.firmId).where(sql`${table.status} = 'current'`),
    uniqueIndex('submissions_idempotency_unique').on(table.projectId, table.firmId, table.idempotencyKey),
  ],
);

/** Public notices (公告) of project transitions; feeds come later. */
export const announcements = pgTable(
  'announcements',
  {
    id: serial('id').primaryKey(),
    kind: text('kind').notNull(),
    projectId: integer('project_id').references(() => projects.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    /** What a notice without a project is about (a blacklist entry, a catalogue item), for its link. */
    entityType: text('entity_type'),
    entityId: text('entity_id'),
  },
  (table) => [index('announcements_published_idx').on(table.publishedAt), index('announcements_kind_idx').on(table.kind, table.publishedAt)],
);
