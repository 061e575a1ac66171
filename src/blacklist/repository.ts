import { and, desc, eq, gt, ilike, inArray, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { organizations } from '../auth/tables.js';
import type { Executor } from '../platform/db/index.js';
import { announcements, projects, registrations } from '../projects/tables.js';
import { blacklistAppeals, blacklistEntries } from './tables.js';

export type BlacklistEntryRow = typeof blacklistEntries.$inferSelect;
export type AppealRow = typeof blacklistAppeals.$inferSelect;
export type EntryWithFirm = BlacklistEntryRow & { firmName: string; firmUscc: string };

export type BlacklistStatus = 'scheduled' | 'active' | 'expired' | 'revoked';

/** The SQL twin of `statusAt` in service.ts: which entries have this status at `at`. */
export function statusCondition(status: BlacklistStatus, at: Date): SQL {
  const notRevoked = isNull(blacklistEntries.revokedAt);
  switch (status) {
    case 'revoked':
      return isNotNull(blacklistEntries.revokedAt);
    case 'scheduled':
      return and(notRevoked, gt(blacklistEntries.startsAt, at))!;
    case 'expired':
      return and(notRevoked, lte(blacklistEntries.endsAt, at))!;
    case 'active':
      return and(notRevoked, lte(blacklistEntries.startsAt, at), or(isNull(blacklistEntries.endsAt), gt(blacklistEntries.endsAt, at)))!;
  }
}

const withFirm = {
  entry: blacklistEntries,
  firmName: organizations.name,
  firmUscc: organizations.uscc,
};

const flatten = (row: { entry: BlacklistEntryRow; firmName: string; firmUscc: string }): EntryWithFirm => ({ ...row.entry, firmName: row.firmName, firmUscc: row.firmUscc });

export async function searchEntries(db: Executor, filter: { status?: BlacklistStatus; q?: string; at: Date }, page?: { offset: number; limit: number }) {
  const conditions: (SQL | undefined)[] = [];
  if (filter.status) conditions.push(statusCondition(filter.status, filter.at));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(organizations.name, pattern), ilike(organizations.uscc, pattern), ilike(blacklistEntries.reason, pattern)));
  }
  const where = and(...conditions);
  const base = db.select(withFirm).from(blacklistEntries).innerJoin(organizations, eq(organizations.id, blacklistEntries.firmId)).where(where).orderBy(desc(blacklistEntries.publishedAt), desc(blacklistEntries.id));
  const rows = page ? await base.offset(page.offset).limit(page.limit) : await base;
  const [count] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(blacklistEntries)
    .innerJoin(organizations, eq(organizations.id, blacklistEntries.firmId))
    .where(where);
  return { items: rows.map(flatten), total: count?.total ?? 0 };
}

export async function findEntry(db: Executor, id: number, options: { lock?: boolean } = {}): Promise<EntryWithFirm | undefined> {
  if (options.lock) await db.select({ id: blacklistEntries.id }).from(blacklistEntries).where(eq(blacklistEntries.id, id)).for('update');
  const [row] = await db.select(withFirm).from(blacklistEntries).innerJoin(organizations, eq(organizations.id, blacklistEntries.firmId)).where(eq(blacklistEntries.id, id));
  return row ? flatten(row) : undefined;
}

/** The firm's entries active at `at` (the eligibility rule and the credit view ask this). */
export async function activeEntriesOf(db: Executor, firmIds: number[], at: Date): Promise<BlacklistEntryRow[]> {
  if (firmIds.length === 0) return [];
  return db.select().from(blacklistEntries).where(and(inArray(blacklistEntries.firmId, firmIds), statusCondition('active', at)));
}

export async function activeFirmIds(db: Executor, at: Date): Promise<number[]> {
  const rows = await db.selectDistinct({ firmId: blacklistEntries.firmId }).from(blacklistEntries).where(statusCondition('active', at));
  return rows.map((row) => row.firmId);
}

export async function insertEntry(tx: Executor, values: typeof blacklistEntries.$inferInsert): Promise<BlacklistEntryRow> {
  const [row] = await tx.insert(blacklistEntries).values(values).returning();
  return row!;
}

export async function revokeEntry(tx: Executor, id: number, values: { revokedAt: Date; revokedBy: string; revokeReason: string }): Promise<void> {
  await tx.update(blacklistEntries).set(values).where(eq(blacklistEntries.id, id));
}

export async function appealsOf(db: Executor, entryId: number): Promise<AppealRow[]> {
  return db.select().from(blacklistAppeals).where(eq(blacklistAppeals.entryId, entryId)).orderBy(blacklistAppeals.id);
}

export async function findAppeal(db: Executor, entryId: number, appealId: number, options: { lock?: boolean } = {}): Promise<AppealRow | undefined> {
  const query = db.select().from(blacklistAppeals).where(and(eq(blacklistAppeals.id, appealId), eq(blacklistAppeals.entryId, entryId)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function insertAppeal(tx: Executor, values: typeof blacklistAppeals.$inferInsert): Promise<AppealRow> {
  const [row] = await tx.insert(blacklistAppeals).values(values).returning();
  return row!;
}

export async function decideAppeal(tx: Executor, id: number, values: { decision: string; decisionReason: string; decidedBy: string; decidedAt: Date }): Promise<void> {
  await tx.update(blacklistAppeals).set(values).where(eq(blacklistAppeals.id, id));
}

/** The public notice (通报) of a new entry, in the shared announcements table. */
export async function insertNotice(tx: Executor, values: { title: string; body: string; publishedAt: Date; entryId: number }): Promise<void> {
  const { entryId, ...notice } = values;
  await tx.insert(announcements).values({ ...notice, kind: 'blacklist_entry', projectId: null, entityType: 'blacklist_entry', entityId: String(entryId) });
}

/** Invalidates the firm's active registrations in projects still open for registration. */
export async function invalidateOpenRegistrations(tx: Executor, firmId: number, at: Date): Promise<{ id: number; projectId: number }[]> {
  // registration still open by the clock (a passed deadline is re-checked at the close, as at the deadline)
  const open = tx.select({ id: projects.id }).from(projects).where(and(eq(projects.status, 'registering'), gt(projects.registrationClosesAt, at)));
  return tx
    .update(registrations)
    .set({ status: 'invalid', statusReason: 'blacklisted', updatedAt: at })
    .where(and(eq(registrations.firmId, firmId), eq(registrations.status, 'active'), inArray(registrations.projectId, open)))
    .returning({ id: registrations.id, projectId: registrations.projectId });
}
