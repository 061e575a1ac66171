import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { organizations } from '../auth/tables.js';
import type { Executor } from '../platform/db/index.js';
import { awards, resultObjections } from './tables.js';

export type AwardRow = typeof awards.$inferSelect;
export type NewAward = typeof awards.$inferInsert;
export type ObjectionRow = typeof resultObjections.$inferSelect;
export type AwardStatus = 'offered' | 'accepted' | 'declined' | 'lapsed' | 'skipped';

/** The accepted awards of a project: what a contract is signed on. */
export async function acceptedAwards(
  db: Executor,
  projectId: number,
): Promise<{ id: number; firmId: number; firmName: string; amountFen: number | null; promisedDays: number | null; respondedAt: Date }[]> {
  const rows = await db
    .select({ id: awards.id, firmId: awards.firmId, firmName: organizations.name, amountFen: awards.amountFen, promisedDays: awards.promisedDays, respondedAt: awards.respondedAt })
    .from(awards)
    .innerJoin(organizations, eq(organizations.id, awards.firmId))
    .where(and(eq(awards.projectId, projectId), eq(awards.status, 'accepted')))
    .orderBy(asc(awards.rank));
  return rows.map((row) => ({ ...row, respondedAt: row.respondedAt! }));
}

export async function projectAwards(db: Executor, projectId: number): Promise<AwardRow[]> {
  return db.select().from(awards).where(eq(awards.projectId, projectId)).orderBy(asc(awards.rank));
}

export async function findOffer(db: Executor, projectId: number, firmId: number, options: { lock?: boolean } = {}) {
  const query = db
    .select()
    .from(awards)
    .where(and(eq(awards.projectId, projectId), eq(awards.firmId, firmId), eq(awards.status, 'offered')));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function insertAward(tx: Executor, values: NewAward): Promise<AwardRow> {
  const [row] = await tx.insert(awards).values(values).returning();
  return row!;
}

export async function updateAward(tx: Executor, id: number, values: Partial<NewAward>): Promise<AwardRow> {
  const [row] = await tx.update(awards).set(values).where(eq(awards.id, id)).returning();
  return row!;
}

// ---- objections ----

export async function insertObjection(tx: Executor, values: typeof resultObjections.$inferInsert): Promise<ObjectionRow> {
  const [row] = await tx.insert(resultObjections).values(values).returning();
  return row!;
}

export async function findObjection(db: Executor, id: number, options: { lock?: boolean } = {}) {
  const query = db.select().from(resultObjections).where(eq(resultObjections.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function projectObjections(db: Executor, projectId: number): Promise<ObjectionRow[]> {
  return db.select().from(resultObjections).where(eq(resultObjections.projectId, projectId)).orderBy(asc(resultObjections.id));
}

export async function countUndecidedObjections(db: Executor, projectId: number): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(resultObjections)
    .where(and(eq(resultObjections.projectId, projectId), isNull(resultObjections.decision)));
  return row?.count ?? 0;
}

export async function listObjections(db: Executor, status: 'pending' | 'decided' | undefined): Promise<ObjectionRow[]> {
  const where = status === 'pending' ? isNull(resultObjections.decision) : status === 'decided' ? sql`${resultObjections.decision} is not null` : undefined;
  return db.select().from(resultObjections).where(where).orderBy(asc(resultObjections.id));
}

export async function decideObjection(
  tx: Executor,
  id: number,
  values: { decision: string; decisionReason: string; outcome: string | null; decidedBy: string; decidedAt: Date },
): Promise<ObjectionRow> {
  const [row] = await tx.update(resultObjections).set(values).where(eq(resultObjections.id, id)).returning();
  return row!;
}
