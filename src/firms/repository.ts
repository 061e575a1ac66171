import { and, asc, desc, eq, ilike, inArray, max, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { organizations } from '../auth/tables.js';
import { statusCondition } from '../blacklist/repository.js';
import { blacklistEntries } from '../blacklist/tables.js';
import type { Executor } from '../platform/db/index.js';
import { debtorEntries, debtorListImports, firmDecisions, firmQualifications } from './tables.js';

export type FirmRow = typeof organizations.$inferSelect;
export type QualificationRow = typeof firmQualifications.$inferSelect;
export type DecisionRow = typeof firmDecisions.$inferSelect;
export type DebtorEntryRow = typeof debtorEntries.$inferSelect;

const isFirm = eq(organizations.kind, 'agency');

export async function findFirm(db: Executor, id: number, options: { lock?: boolean } = {}): Promise<FirmRow | undefined> {
  const query = db.select().from(organizations).where(and(eq(organizations.id, id), isFirm));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

/** What eligibility rules read of a firm. */
export type EligibilityFirm = Pick<FirmRow, 'id' | 'status' | 'uscc' | 'legalRepresentative' | 'legalRepresentativeId'>;

/** A firm with what the registry's own rules judge it by, as at one instant, for one service. */
export interface EligibilityFacts extends EligibilityFirm {
  qualifications: { status: string; validUntil: string }[];
  /** Matches in the latest list of dishonest judgment debtors (by USCC or the legal representative's ID number). */
  debtorEntries: { court: string; caseNumber: string }[];
  /** Blacklist entries active at the instant. */
  blacklistEntries: { id: number; endsAt: string | null; reason: string }[];
}

const activeEntryCondition = (at: Date) => statusCondition('active', at);
const jsonList = (query: SQL) => sql`coalesce((${query}), '[]'::json)`;

/** The facts of several firms in one query (one row per firm, lists as JSON). */
export async function eligibilityFacts(db: Executor, ids: number[], serviceCode: string, at: Date): Promise<EligibilityFacts[]> {
  if (ids.length === 0) return [];
  const q = firmQualifications;
  const d = debtorEntries;
  const b = blacklistEntries;
  return db
    .select({
      id: organizations.id,
      status: organizations.status,
      uscc: organizations.uscc,
      legalRepresentative: organizations.legalRepresentative,
      legalRepresentativeId: organizations.legalRepresentativeId,
      qualifications: sql<EligibilityFacts['qualifications']>`${jsonList(sql`select json_agg(json_build_object('status', ${q.status}, 'validUntil', ${q.validUntil})) from ${q} where ${q.firmId} = ${organizations.id} and ${q.serviceCode} = ${serviceCode}`)}`,
      debtorEntries: sql<EligibilityFacts['debtorEntries']>`${jsonList(
        sql`select json_agg(json_build_object('court', ${d.court}, 'caseNumber', ${d.caseNumber})) from ${d}
            where ${d.importId} = (select max(${debtorListImports.id}) from ${debtorListImports})
              and (${d.uscc} = ${organizations.uscc} or ${d.idNumber} = ${organizations.legalRepresentativeId})`,
      )}`,
      blacklistEntries: sql<EligibilityFacts['blacklistEntries']>`${jsonList(
        sql`select json_agg(json_build_object('id', ${b.id}, 'endsAt', ${b.endsAt}, 'reason', ${b.reason}) order by ${b.id}) from ${b} where ${b.firmId} = ${organizations.id} and ${activeEntryCondition(at)}`,
      )}`,
    })
    .from(organizations)
    .where(and(inArray(organizations.id, ids), isFirm));
}

export async function updateFirm(tx: Executor, id: number, values: Partial<typeof organizations.$inferInsert>): Promise<void> {
  await tx.update(organizations).set(values).where(eq(organizations.id, id));
}

export interface FirmFilter {
  q?: string;
  service?: string;
  statuses: string[];
  /** An id filter computed elsewhere (the credit grade filter): only these, or all but these. */
  ids?: { only?: number[]; except?: number[] };
}

export async function searchFirms(db: Executor, filter: FirmFilter, page: { offset: number; limit: number }) {
  const conditions: (SQL | undefined)[] = [isFirm, inArray(organizations.status, filter.statuses)];
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(organizations.name, pattern), ilike(organizations.uscc, pattern), ilike(organizations.address, pattern)));
  }
  if (filter.service) {
    conditions.push(
      sql`exists (select 1 from ${firmQualifications} q where q.firm_id = ${organizations.id} and q.service_code = ${filter.service} and q.status = 'verified')`,
    );
  }
  if (filter.ids?.only) conditions.push(filter.ids.only.length ? inArray(organizations.id, filter.ids.only) : sql`false`);
  if (filter.ids?.except?.length) conditions.push(notInArray(organizations.id, filter.ids.except));
  const where = and(...conditions);
  const items = await db.select().from(organizations).where(where).orderBy(asc(organizations.name), asc(organizations.id)).offset(page.offset).limit(page.limit);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(organizations).where(where);
  return { items, total: count?.total ?? 0 };
}

export async function qualificationsOf(db: Executor, firmIds: number[]): Promise<QualificationRow[]> {
  if (firmIds.length === 0) return [];
  return db.select().from(firmQualifications).where(inArray(firmQualifications.firmId, firmIds)).orderBy(asc(firmQualifications.serviceCode), asc(firmQualifications.id));
}

export async function findQualification(db: Executor, firmId: number, id: number, options: { lock?: boolean } = {}) {
  const query = db.select().from(firmQualifications).where(and(eq(firmQualifications.id, id), eq(firmQualifications.firmId, firmId)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function insertQualification(tx: Executor, values: typeof firmQualifications.$inferInsert): Promise<QualificationRow> {
  const [row] = await tx.insert(firmQualifications).values(values).returning();
  return row!;
}

export async function updateQualification(tx: Executor, id: number, values: Partial<typeof firmQualifications.$inferInsert>) {
  await tx.update(firmQualifications).set(values).where(eq(firmQualifications.id, id));
}

export async function insertDecision(tx: Executor, values: typeof firmDecisions.$inferInsert): Promise<void> {
  await tx.insert(firmDecisions).values(values);
}

export async function decisionsOf(db: Executor, firmId: number): Promise<DecisionRow[]> {
  return db.select().from(firmDecisions).where(eq(firmDecisions.firmId, firmId)).orderBy(desc(firmDecisions.id));
}

export async function listFirmsByStatus(db: Executor, statuses: string[]): Promise<FirmRow[]> {
  return db.select().from(organizations).where(and(isFirm, inArray(organizations.status, statuses))).orderBy(asc(organizations.id));
}

export async function firmsWithPendingQualifications(db: Executor): Promise<number[]> {
  const rows = await db.selectDistinct({ firmId: firmQualifications.firmId }).from(firmQualifications).where(eq(firmQualifications.status, 'pending'));
  return rows.map((row) => row.firmId);
}

// ---- dishonest judgment debtors ----

export async function insertDebtorImport(
  tx: Executor,
  values: typeof debtorListImports.$inferInsert,
  entries: Omit<typeof debtorEntries.$inferInsert, 'importId'>[],
): Promise<number> {
  const [created] = await tx.insert(debtorListImports).values(values).returning({ id: debtorListImports.id });
  for (let i = 0; i < entries.length; i += 500) {
    await tx.insert(debtorEntries).values(entries.slice(i, i + 500).map((entry) => ({ ...entry, importId: created!.id })));
  }
  return created!.id;
}

/** Entries of the current list matching a firm by USCC or its legal representative's ID number. */
export async function debtorMatches(db: Executor, firms: Pick<FirmRow, 'id' | 'uscc' | 'legalRepresentativeId'>[]) {
  if (firms.length === 0) return new Map<number, DebtorEntryRow[]>();
  const usccs = firms.map((firm) => firm.uscc);
  const idNumbers = firms.map((firm) => firm.legalRepresentativeId).filter((value): value is string => Boolean(value));
  const entries = await db
    .select()
    .from(debtorEntries)
    .where(
      and(
        // only the latest import counts
        eq(debtorEntries.importId, db.select({ id: max(debtorListImports.id) }).from(debtorListImports)),
        or(inArray(debtorEntries.uscc, usccs), idNumbers.length ? inArray(debtorEntries.idNumber, idNumbers) : undefined),
      ),
    );
  const matches = new Map<number, DebtorEntryRow[]>();
  for (const firm of firms) {
    const hits = entries.filter(
      (entry) => entry.uscc === firm.uscc || (firm.legalRepresentativeId && entry.idNumber === firm.legalRepresentativeId),
    );
    if (hits.length) matches.set(firm.id, hits);
  }
  return matches;
}

export async function allFirmsForMatching(db: Executor) {
  return db
    .select({ id: organizations.id, name: organizations.name, uscc: organizations.uscc, legalRepresentativeId: organizations.legalRepresentativeId })
    .from(organizations)
    .where(isFirm);
}

export async function latestDebtorImport(db: Executor) {
  const [row] = await db.select().from(debtorListImports).orderBy(desc(debtorListImports.id)).limit(1);
  return row;
}
