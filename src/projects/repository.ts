import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { organizations } from '../auth/tables.js';
import type { Executor } from '../platform/db/index.js';
import { announcements, projects, registrations, submissions } from './tables.js';

export type ProjectRow = typeof projects.$inferSelect;
export type NewProject = typeof projects.$inferInsert;
export type RegistrationRow = typeof registrations.$inferSelect;
export type SubmissionRow = typeof submissions.$inferSelect;

export async function insertProject(tx: Executor, values: NewProject): Promise<ProjectRow> {
  const [row] = await tx.insert(projects).values(values).returning();
  return row!;
}

export async function findProject(db: Executor, id: number, options: { lock?: boolean } = {}): Promise<ProjectRow | undefined> {
  const query = db.select().from(projects).where(eq(projects.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function updateProject(tx: Executor, id: number, values: Partial<NewProject>): Promise<ProjectRow> {
  const [row] = await tx.update(projects).set(values).where(eq(projects.id, id)).returning();
  return row!;
}

export async function listProjects(
  db: Executor,
  filter: { statuses?: string[]; method?: string; service?: string; ownerId?: number; publishedOnly: boolean },
  page: { offset: number; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    filter.publishedOnly ? ne(projects.status, 'draft') : undefined,
    filter.statuses ? inArray(projects.status, filter.statuses) : undefined,
    filter.method ? eq(projects.method, filter.method) : undefined,
    filter.service ? eq(projects.serviceCode, filter.service) : undefined,
    filter.ownerId ? eq(projects.ownerId, filter.ownerId) : undefined,
  ];
  const where = and(...conditions);
  const items = await db.select().from(projects).where(where).orderBy(desc(projects.id)).offset(page.offset).limit(page.limit);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(projects).where(where);
  return { items, total: count?.total ?? 0 };
}

/** Projects whose stored state the clock has overtaken: what the sweeper settles. */
export async function findDueProjects(db: Executor, now: Date): Promise<number[]> {
  const rows = await db
    .select({ id: projects.id })
    .from(projects)
    .where(
      sql`(${projects.status} = 'registering' and ${projects.method} <> 'direct' and ${projects.registrationClosesAt} <= ${now})
        or (${projects.status} = 'submitting' and ${projects.submissionClosesAt} <= ${now})
        or ${projects.status} = 'drawing'
        or (${projects.status} = 'publicity' and (${projects.result}->>'publicityEndsAt')::timestamptz <= ${now}
          and not exists (select 1 from result_objections o where o.project_id = ${projects.id} and o.decision is null))
        or (${projects.status} = 'awarded' and exists (
          select 1 from awards a where a.project_id = ${projects.id} and a.status = 'offered' and (a.respond_by <= ${now}
            or exists (select 1 from blacklist_entries b where b.firm_id = a.firm_id and b.revoked_at is null
              and b.starts_at <= ${now} and (b.ends_at is null or b.ends_at > ${now})))))`,
    );
  return rows.map((row) => row.id);
}

export async function findOrganizationsByUscc(db: Executor, usccs: string[]) {
  if (usccs.length === 0) return [];
  return db.select().from(organizations).where(inArray(organizations.uscc, usccs));
}

export async function findOrganizationsByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(organizations).where(inArray(organizations.id, ids));
}

// ---- registrations ----

export async function activeRegistrations(db: Executor, projectId: number): Promise<RegistrationRow[]> {
  return db
    .select()
    .from(registrations)
    .where(and(eq(registrations.projectId, projectId), eq(registrations.status, 'active')))
    .orderBy(asc(registrations.id));
}

export async function allRegistrations(db: Executor, projectId: number): Promise<RegistrationRow[]> {
  return db.select().from(registrations).where(eq(registrations.projectId, projectId)).orderBy(asc(registrations.id));
}

export async function findActiveRegistration(db: Executor, projectId: number, firmId: number, options: { lock?: boolean } = {}) {
  const query = db
    .select()
    .from(registrations)
    .where(and(eq(registrations.projectId, projectId), eq(registrations.firmId, firmId), eq(registrations.status, 'active')));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function insertRegistration(tx: Executor, values: typeof registrations.$inferInsert): Promise<RegistrationRow> {
  const [row] = await tx.insert(registrations).values(values).returning();
  return row!;
}

export async function updateRegistration(tx: Executor, id: number, values: Partial<typeof registrations.$inferInsert>) {
  await tx.update(registrations).set(values).where(eq(registrations.id, id));
}

/** Unfinished projects (not failed, cancelled or completed) a firm is registered for, per service. */
export async function countUnfinishedRegistrations(db: Executor, firmId: number, serviceCode: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(registrations)
    .innerJoin(projects, eq(projects.id, registrations.projectId))
    .where(
      and(
        eq(registrations.firmId, firmId),
        eq(registrations.status, 'active'),
        eq(projects.serviceCode, serviceCode),
        sql`${projects.status} not in ('failed', 'cancelled', 'completed')`,
      ),
    );
  return row?.count ?? 0;
}

// ---- submissions ----

export async function insertSubmission(tx: Executor, values: typeof submissions.$inferInsert): Promise<SubmissionRow> {
  const [row] = await tx.insert(submissions).values(values).returning();
  return row!;
}

export async function updateSubmission(tx: Executor, id: number, values: Partial<typeof submissions.$inferInsert>) {
  await tx.update(submissions).set(values).where(eq(submissions.id, id));
}

export async function findSubmissionByKey(db: Executor, projectId: number, firmId: number, key: string) {
  const [row] = await db
    .select()
    .from(submissions)
    .where(and(eq(submissions.projectId, projectId), eq(submissions.firmId, firmId), eq(submissions.idempotencyKey, key)));
  return row;
}

export async function currentSubmissions(db: Executor, projectId: number, firmId?: number): Promise<SubmissionRow[]> {
  return db
    .select()
    .from(submissions)
    .where(and(eq(submissions.projectId, projectId), eq(submissions.status, 'current'), firmId ? eq(submissions.firmId, firmId) : undefined))
    .orderBy(asc(submissions.id));
}

export async function countCurrentSubmissions(db: Executor, projectId: number): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(submissions)
    .where(and(eq(submissions.projectId, projectId), eq(submissions.status, 'current')));
  return row?.count ?? 0;
}

export async function invalidateCurrentSubmissions(tx: Executor, projectId: number): Promise<number[]> {
  const rows = await tx
    .update(submissions)
    .set({ status: 'invalidated' })
    .where(and(eq(submissions.projectId, projectId), eq(submissions.status, 'current')))
    .returning({ firmId: submissions.firmId });
  return rows.map((row) => row.firmId);
}

// ---- announcements ----

export async function insertAnnouncement(tx: Executor, values: typeof announcements.$inferInsert) {
  await tx.insert(announcements).values(values);
}

export async function listAnnouncements(db: Executor, page: { offset: number; limit: number }, projectId?: number) {
  const where = projectId ? eq(announcements.projectId, projectId) : undefined;
  const items = await db.select().from(announcements).where(where).orderBy(desc(announcements.id)).offset(page.offset).limit(page.limit);
  const [count] = await db.select({ total: sql<number>`count(*)::int` }).from(announcements).where(where);
  return { items, total: count?.total ?? 0 };
}
