import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations } from '../auth/tables.js';

/** A firm's qualification (资质) for one catalogue service, verified by staff one by one. */
export const firmQualifications = pgTable(
  'firm_qualifications',
  {
    id: serial('id').primaryKey(),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    serviceCode: text('service_code').notNull(),
    level: text('level').notNull(),
    certificateNo: text('certificate_no').notNull(),
    issuer: text('issuer').notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    status: text('status').notNull(),
    reviewReason: text('review_reason'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('firm_qualifications_firm_idx').on(table.firmId),
    index('firm_qualifications_service_idx').on(table.serviceCode),
    check('firm_qualifications_status_check', sql`${table.status} in ('pending', 'verified', 'rejected')`),
  ],
);

/** Every staff decision on a firm (admit, reject, suspend, reinstate), with its reason. */
export const firmDecisions = pgTable(
  'firm_decisions',
  {
    id: serial('id').primaryKey(),
    firmId: integer('firm_id')
      .notNull()
      .references(() => organizations.id),
    decision: text('decision').notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    reason: text('reason').notNull(),
    decidedBy: text('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('firm_decisions_firm_idx').on(table.firmId)],
);

/** One import of the courts' list of dishonest judgment debtors (失信被执行人); the latest is current. */
export const debtorListImports = pgTable('debtor_list_imports', {
  id: serial('id').primaryKey(),
  sourceName: text('source_name').notNull(),
  rowCount: integer('row_count').notNull(),
  importedBy: text('imported_by').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
});

export const debtorEntries = pgTable(
  'debtor_entries',
  {
    id: serial('id').primaryKey(),
    importId: integer('import_id')
      .notNull()
      .references(() => debtorListImports.id),
    name: text('name').notNull(),
    uscc: text('uscc'),
    idNumber: text('id_number'),
    caseNumber: text('case_number').notNull(),
    court: text('court').notNull(),
    listedOn: date('listed_on', { mode: 'string' }).notNull(),
  },
  (table) => [
    index('debtor_entries_uscc_idx').on(table.importId, table.uscc),
    index('debtor_entries_id_number_idx').on(table.importId, table.idNumber),
  ],
);
