import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import type { Executor } from '../db/index.js';
import { storedFiles } from './tables.js';

export type StoredFileRow = typeof storedFiles.$inferSelect;
export type StoredFileMeta = Omit<StoredFileRow, 'content'>;

const metaColumns = {
  id: storedFiles.id,
  sha256: storedFiles.sha256,
  sizeBytes: storedFiles.sizeBytes,
  mediaType: storedFiles.mediaType,
  filename: storedFiles.filename,
  uploadedBy: storedFiles.uploadedBy,
  organizationId: storedFiles.organizationId,
  purpose: storedFiles.purpose,
  createdAt: storedFiles.createdAt,
};

export async function insertFile(tx: Executor, values: Omit<StoredFileRow, 'id'>): Promise<StoredFileMeta> {
  const [row] = await tx.insert(storedFiles).values(values).returning(metaColumns);
  return row!;
}

/** When the user's latest uploads after `since` were made (at most `limit`), oldest first. */
export async function uploadTimesSince(db: Executor, userId: number, since: Date, limit: number): Promise<Date[]> {
  const rows = await db
    .select({ createdAt: storedFiles.createdAt })
    .from(storedFiles)
    .where(and(eq(storedFiles.uploadedBy, userId), gt(storedFiles.createdAt, since)))
    .orderBy(desc(storedFiles.createdAt))
    .limit(limit);
  return rows.map((row) => row.createdAt).reverse();
}

export async function findFile(db: Executor, id: number): Promise<StoredFileRow | undefined> {
  const [row] = await db.select().from(storedFiles).where(eq(storedFiles.id, id));
  return row;
}

export async function findFileMetas(db: Executor, ids: number[]): Promise<StoredFileMeta[]> {
  if (ids.length === 0) return [];
  return db.select(metaColumns).from(storedFiles).where(inArray(storedFiles.id, ids));
}
