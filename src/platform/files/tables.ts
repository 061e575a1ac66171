import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations, users } from '../../auth/tables.js';

/** PostgreSQL bytea: node-postgres gives a Buffer, PGlite a Uint8Array; we always hand out a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value),
});

/**
 * An uploaded file (contract scan, deliverable, objection evidence). The bytes live in the row so
 * the store works the same on PGlite and the server and is covered by the database backup.
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: serial('id').primaryKey(),
    sha256: text('sha256').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    mediaType: text('media_type').notNull(),
    filename: text('filename').notNull(),
    uploadedBy: integer('uploaded_by')
      .notNull()
      .references(() => users.id),
    organizationId: integer('organization_id').references(() => organizations.id),
    purpose: text('purpose').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    content: bytea('content').notNull(),
  },
  (table) => [
    index('stored_files_organization_idx').on(table.organizationId),
    index('stored_files_uploader_idx').on(table.uploadedBy, table.createdAt),
    check('stored_files_size_check', sql`${table.sizeBytes} = octet_length(${table.content})`),
  ],
);
