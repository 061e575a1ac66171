import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { organizations } from '../auth/tables.js';
import type { Executor } from '../platform/db/index.js';
import { projects } from '../projects/tables.js';
import { contracts, ratings } from './tables.js';

export type ContractRow = typeof contracts.$inferSelect;
export type NewContract = typeof contracts.$inferInsert;
export type RatingRow = typeof ratings.$inferSelect;
export type NewRating = typeof ratings.$inferInsert;

export async function insertContract(tx: Executor, values: NewContract): Promise<ContractRow> {
  const [row] = await tx.insert(contracts).values(values).returning();
  return row!;
}

export async function updateContract(tx: Executor, id: number, values: Partial<NewContract>): Promise<ContractRow> {
  const [row] = await tx.update(contracts).set(values).where(eq(contracts.id, id)).returning();
  return row!;
}

export async function projectContracts(db: Executor, projectId: number): Promise<ContractRow[]> {
  return db.select().from(contracts).where(eq(contracts.projectId, projectId)).orderBy(asc(contracts.id));
}

/** The contracts that refer to a stored file, as contract scan or as deliverable. */
export async function contractsReferringTo(db: Executor, fileId: number): Promise<(ContractRow & { ownerId: number })[]> {
  const rows = await db
    .select({ contract: contracts, ownerId: projects.ownerId })
    .from(contracts)
    .innerJoin(projects, eq(projects.id, contracts.projectId))
    .where(sql`${contracts.fileId} = ${fileId} or ${contracts.deliveryFileIds} @> ${JSON.stringify([fileId])}::jsonb`);
  return rows.map((row) => ({ ...row.contract, ownerId: row.ownerId }));
}

export async function insertRating(tx: Executor, values: NewRating): Promise<RatingRow> {
  const [row] = await tx.insert(ratings).values(values).returning();
  return row!;
}

export async function findRating(db: Executor, id: number, options: { lock?: boolean } = {}): Promise<RatingRow | undefined> {
  const query = db.select().from(ratings).where(eq(ratings.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function updateRating(tx: Executor, id: number, values: Pick<Partial<NewRating>, 'reply' | 'repliedAt' | 'repliedBy' | 'commentHiddenAt' | 'commentHiddenReason' | 'commentHiddenBy'>): Promise<RatingRow> {
  const [row] = await tx.update(ratings).set(values).where(eq(ratings.id, id)).returning();
  return row!;
}

export async function projectRatings(db: Executor, projectId: number): Promise<RatingRow[]> {
  return db.select().from(ratings).where(eq(ratings.projectId, projectId)).orderBy(asc(ratings.id));
}

/** A firm's ratings, newest first, with the project title and the owner's name. */
export async function firmRatings(db: Executor, firmId: number) {
  return db
    .select({ rating: ratings, projectTitle: projects.title, ownerName: organizations.name })
    .from(ratings)
    .innerJoin(projects, eq(projects.id, ratings.projectId))
    .innerJoin(organizations, eq(organizations.id, ratings.ownerId))
    .where(and(eq(ratings.firmId, firmId)))
    .orderBy(desc(ratings.ratedAt), desc(ratings.id));
}
