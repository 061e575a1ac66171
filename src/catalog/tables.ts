import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ServiceContent } from './model.js';

/**
 * One intermediary service type of the catalogue (清单事项). Its columns are what the item says
 * now: the draft while it was never published, the published version afterwards. Edits to a
 * published item wait in `revision` until they are published as the next version, so the public
 * never sees a half-edited item.
 */
export const serviceItems = pgTable(
  'service_items',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    status: text('status').notNull(),
    /** The latest published version; 0 while never published. */
    version: integer('version').notNull(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    basis: text('basis').notNull(),
    timeLimitDays: integer('time_limit_days').notNull(),
    feeMode: text('fee_mode').notNull(),
    feeMinFen: bigint('fee_min_fen', { mode: 'number' }),
    feeMaxFen: bigint('fee_max_fen', { mode: 'number' }),
    feeBasis: text('fee_basis').notNull(),
    qualificationRequirements: text('qualification_requirements').notNull(),
    relatedApproval: text('related_approval').notNull(),
    /** Pending edits of a published item (the next version), or null. */
    revision: jsonb('revision').$type<ServiceContent>(),
    /** Normalised code, name, category, basis and approval (NFKC, lower case), one field a line. */
    searchText: text('search_text').notNull(),
    /** Every two consecutive characters of those fields: a two-character query is an index lookup. */
    searchBigrams: text('search_bigrams').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    retiredAt: timestamp('retired_at', { withTimezone: true, precision: 3 }),
  },
  (table) => [
    uniqueIndex('service_items_code_unique').on(table.code),
    index('service_items_status_code_idx').on(table.status, table.code),
    index('service_items_bigrams_idx').using('gin', table.searchBigrams),
    check('service_items_status_check', sql`${table.status} in ('draft', 'published', 'retired')`),
    check(
      'service_items_category_check',
      sql`${table.category} in ('投资建设类', '商事类', '社会事业类', '综合类')`,
    ),
    check('service_items_fee_mode_check', sql`${table.feeMode} in ('government', 'guided', 'market')`),
    check('service_items_time_limit_check', sql`${table.timeLimitDays} > 0`),
    check('service_items_version_check', sql`${table.version} >= 0 and (${table.status} <> 'published' or ${table.version} >= 1)`),
    check(
      'service_items_fee_range_check',
      sql`coalesce(${table.feeMinFen}, 0) >= 0 and (${table.feeMaxFen} is null or ${table.feeMaxFen} >= coalesce(${table.feeMinFen}, 0))`,
    ),
    check('service_items_fee_max_check', sql`${table.feeMode} = 'market' or ${table.feeMaxFen} is not null`),
  ],
);

/** Every published version of an item, frozen: what it said, what changed, when, by whom. */
export const serviceItemVersions = pgTable(
  'service_item_versions',
  {
    itemId: integer('item_id')
      .notNull()
      .references(() => serviceItems.id),
    version: integer('version').notNull(),
    content: jsonb('content').$type<ServiceContent>().notNull(),
    /** Field paths that differ from the previous version (for version 1: every field). */
    changedFields: jsonb('changed_fields').$type<string[]>().notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }).notNull(),
    publishedBy: text('published_by').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.itemId, table.version] }),
    check('service_item_versions_version_check', sql`${table.version} >= 1`),
  ],
);
