import { and, asc, count, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../platform/db/index.js';
import {
  bigramsOf,
  contentOf,
  normalizeForSearch,
  searchFields,
  type Category,
  type ServiceContent,
  type ServiceItem,
  type ServiceStatus,
  type ServiceVersion,
} from './model.js';
import { serviceItems, serviceItemVersions } from './tables.js';

/** Every column but the search ones: the bigram array is large and only the WHERE clause needs it. */
const { searchText: _searchText, searchBigrams: _searchBigrams, ...itemColumns } = getTableColumns(serviceItems);
type ItemRow = Omit<typeof serviceItems.$inferSelect, 'searchText' | 'searchBigrams'>;

export interface StoredItem extends ServiceItem {
  id: number;
  revision: ServiceContent | null;
}

function toItem(row: ItemRow): StoredItem {
  return {
    id: row.id,
    code: row.code,
    status: row.status as ServiceStatus,
    version: row.version,
    name: row.name,
    category: row.category as Category,
    basis: row.basis,
    timeLimitDays: row.timeLimitDays,
    fee: { mode: row.feeMode as ServiceItem['fee']['mode'], minFen: row.feeMinFen, maxFen: row.feeMaxFen, basis: row.feeBasis },
    qualificationRequirements: row.qualificationRequirements,
    relatedApproval: row.relatedApproval,
    revision: row.revision ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    publishedAt: row.publishedAt,
    retiredAt: row.retiredAt,
  };
}

/** The content columns and their search columns, from content. */
function contentColumns(code: string, content: ServiceContent) {
  const search = searchFields(code, content);
  return {
    name: content.name,
    category: content.category,
    basis: content.basis,
    timeLimitDays: content.timeLimitDays,
    feeMode: content.fee.mode,
    feeMinFen: content.fee.minFen,
    feeMaxFen: content.fee.maxFen,
    feeBasis: content.fee.basis,
    qualificationRequirements: content.qualificationRequirements,
    relatedApproval: content.relatedApproval,
    searchText: search.text,
    searchBigrams: search.bigrams,
  };
}

export async function insertItem(
  tx: Executor,
  values: { code: string; content: ServiceContent; status: ServiceStatus; version: number; at: Date },
): Promise<StoredItem> {
  const [row] = await tx
    .insert(serviceItems)
    .values({
      code: values.code,
      status: values.status,
      version: values.version,
      ...contentColumns(values.code, values.content),
      createdAt: values.at,
      updatedAt: values.at,
      publishedAt: values.status === 'published' ? values.at : null,
    })
    .returning(itemColumns);
  return toItem(row!);
}

/** Locks the item for a command (edits and publications of one item queue here). */
export async function lockItem(tx: Executor, code: string): Promise<StoredItem | undefined> {
  const [row] = await tx.select(itemColumns).from(serviceItems).where(eq(serviceItems.code, code)).for('update');
  return row ? toItem(row) : undefined;
}

export async function findItem(db: Executor, code: string): Promise<StoredItem | undefined> {
  const [row] = await db.select(itemColumns).from(serviceItems).where(eq(serviceItems.code, code));
  return row ? toItem(row) : undefined;
}

export async function existingCodes(db: Executor, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.select({ code: serviceItems.code }).from(serviceItems).where(inArray(serviceItems.code, codes));
  return new Set(rows.map((row) => row.code));
}

export async function updateItem(
  tx: Executor,
  id: number,
  change: {
    content?: { code: string; value: ServiceContent };
    status?: ServiceStatus;
    version?: number;
    revision?: ServiceContent | null;
    publishedAt?: Date;
    retiredAt?: Date;
    at: Date;
  },
): Promise<StoredItem> {
  const [row] = await tx
    .update(serviceItems)
    .set({
      ...(change.content ? contentColumns(change.content.code, change.content.value) : {}),
      ...(change.status ? { status: change.status } : {}),
      ...(change.version !== undefined ? { version: change.version } : {}),
      ...(change.revision !== undefined ? { revision: change.revision } : {}),
      ...(change.publishedAt ? { publishedAt: change.publishedAt } : {}),
      ...(change.retiredAt ? { retiredAt: change.retiredAt } : {}),
      updatedAt: change.at,
    })
    .where(eq(serviceItems.id, id))
    .returning(itemColumns);
  return toItem(row!);
}

export async function insertVersion(
  tx: Executor,
  version: { itemId: number; version: number; content: ServiceContent; changedFields: string[]; publishedAt: Date; publishedBy: string },
): Promise<void> {
  await tx.insert(serviceItemVersions).values(version);
}

export async function latestVersionContent(db: Executor, itemId: number): Promise<ServiceContent | undefined> {
  const [row] = await db
    .select({ content: serviceItemVersions.content })
    .from(serviceItemVersions)
    .where(eq(serviceItemVersions.itemId, itemId))
    .orderBy(sql`${serviceItemVersions.version} desc`)
    .limit(1);
  return row?.content;
}

export async function listVersions(db: Executor, itemId: number): Promise<ServiceVersion[]> {
  const rows = await db
    .select()
    .from(serviceItemVersions)
    .where(eq(serviceItemVersions.itemId, itemId))
    .orderBy(asc(serviceItemVersions.version));
  return rows.map((row) => ({
    version: row.version,
    content: contentOf(row.content),
    changedFields: row.changedFields,
    publishedAt: row.publishedAt,
  }));
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (character) => `\\${character}`);

/**
 * Substring search over the normalised search text. A query of two or more characters must have
 * all its bigrams in the item's bigram array (GIN index lookup); the LIKE then checks they are
 * consecutive and in order. A one-character query is a plain LIKE scan.
 */
function searchCondition(q: string): SQL | undefined {
  const needle = normalizeForSearch(q);
  if (!needle) return undefined;
  const like = sql`${serviceItems.searchText} like ${`%${escapeLike(needle)}%`}`;
  const grams = bigramsOf(needle);
  if (grams.length === 0) return like;
  const array = sql`array[${sql.join(grams.map((gram) => sql`${gram}`), sql`, `)}]::text[]`;
  return sql`${serviceItems.searchBigrams} @> ${array} and ${like}`;
}

export interface ItemFilter {
  q?: string | undefined;
  category?: Category | undefined;
  statuses: ServiceStatus[];
}

export async function searchItems(
  db: Executor,
  filter: ItemFilter,
  window: { offset: number; limit: number },
): Promise<{ items: StoredItem[]; total: number }> {
  const conditions = [
    inArray(serviceItems.status, filter.statuses),
    filter.q ? searchCondition(filter.q) : undefined,
    filter.category ? eq(serviceItems.category, filter.category) : undefined,
  ].filter((condition): condition is SQL => condition !== undefined);
  const where = and(...conditions);
  const exactCode = filter.q ? filter.q.trim().toUpperCase() : '';
  // One scan answers both the page and the total (the window count runs before LIMIT).
  const rows = await db
    .select({ ...itemColumns, total: sql<string>`count(*) over ()` })
    .from(serviceItems)
    .where(where)
    .orderBy(sql`${serviceItems.code} = ${exactCode} desc`, asc(serviceItems.code))
    .offset(window.offset)
    .limit(window.limit);
  if (rows.length > 0 || window.offset === 0) {
    return { items: rows.map(({ total: _total, ...row }) => toItem(row)), total: Number(rows[0]?.total ?? 0) };
  }
  // A page past the end has no row to carry the total.
  const [total] = await db.select({ value: count() }).from(serviceItems).where(where);
  return { items: [], total: Number(total?.value ?? 0) };
}

/** Every published item, ordered by code, for the exports. */
export async function allPublished(db: Executor): Promise<StoredItem[]> {
  const rows = await db.select(itemColumns).from(serviceItems).where(eq(serviceItems.status, 'published')).orderBy(asc(serviceItems.code));
  return rows.map(toItem);
}
