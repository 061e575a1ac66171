import { and, asc, desc, eq, getTableColumns, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { organizations } from '../auth/tables.js';
import { queryRows, type Executor } from '../platform/db/index.js';
import { announcements, projects, registrations, submissions } from './tables.js';
import { SEALED_METHODS } from './secrecy.js';

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
export interface ProjectFirmFacts {
  /** Unfinished projects for the project's service on which the firm holds an active registration. */
  held: number;
  /** Whether this project is one of them. */
  here: boolean;
  /** The firm shares its USCC, its legal representative's ID number or name with the owner organisation. */
  relatedToOwner: boolean;
}

/** What the project's own eligibility rules judge each firm by, in one query. */
export async function projectFirmFacts(db: Executor, project: Pick<ProjectRow, 'id' | 'ownerId' | 'serviceCode'>, firmIds: number[]): Promise<Map<number, ProjectFirmFacts>> {
  const facts = new Map<number, ProjectFirmFacts>();
  if (firmIds.length === 0) return facts;
  const rows = await queryRows<{ firm_id: number; held: number; here: boolean; related: boolean }>(
    db,
    sql`select f.id as firm_id,
               (select count(*)::int from registrations r join projects p on p.id = r.project_id
                 where r.firm_id = f.id and r.status = 'active' and p.service_code = ${project.serviceCode}
                   and p.status not in ('failed', 'cancelled', 'completed')) as held,
               exists (select 1 from registrations r join projects p on p.id = r.project_id
                 where r.firm_id = f.id and r.status = 'active' and r.project_id = ${project.id}
                   and p.status not in ('failed', 'cancelled', 'completed')) as here,
               coalesce(f.uscc = o.uscc
                 or (coalesce(o.legal_representative_id, '') <> '' and o.legal_representative_id = f.legal_representative_id)
                 or (coalesce(o.legal_representative, '') <> '' and o.legal_representative = f.legal_representative), false) as related
        from organizations f left join organizations o on o.id = ${project.ownerId}
        where f.id = any(${sql.param(firmIds)}::int[])`,
  );
  for (const row of rows) facts.set(row.firm_id, { held: row.held, here: row.here, relatedToOwner: row.related });
  return facts;
}

// ---- submissions ----

/** The active registrations of these firms on a project, locked in id order (so batches never deadlock). */
/**
 * The project share-locked for a batch of submissions (the opening, which locks it for update,
 * waits for the batch), with `count` fresh submission ids so each sealed record can be bound to
 * its own id before it is stored. Ids of refused requests are simply never used.
 */
export async function lockProjectForSubmissions(tx: Executor, projectId: number, count: number) {
  const [row] = await tx
    .select({ ...getTableColumns(projects), submissionIds: sql<number[]>`(select array_agg(nextval(pg_get_serial_sequence('submissions', 'id'))::int) from generate_series(1, ${count}))` })
    .from(projects)
    .where(eq(projects.id, projectId))
    .for('share');
  if (!row) return undefined;
  const { submissionIds, ...project } = row;
  return { project: project as ProjectRow, submissionIds };
}

/** The firms among these with an active registration on a project, locked in id order (so batches never deadlock). */
export async function lockActiveRegistrationsOf(tx: Executor, projectId: number, firmIds: number[]): Promise<number[]> {
  if (firmIds.length === 0) return [];
  const rows = await tx
    .select({ firmId: registrations.firmId })
    .from(registrations)
    .where(and(eq(registrations.projectId, projectId), inArray(registrations.firmId, firmIds), eq(registrations.status, 'active')))
    .orderBy(asc(registrations.id))
    .for('update');
  return rows.map((row) => row.firmId);
}

/**
 * Stores a batch of sealed submissions in one statement with one parameter per column; the
 * firms' current submissions become `replaced` first (the insert waits for that update's count,
 * so the unique "one current per firm" index never sees two).
 */
export async function storeSubmissions(tx: Executor, projectId: number, rows: (typeof submissions.$inferInsert & { id: number })[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  await tx.execute(
    sql`with replaced as (
          update submissions set status = 'replaced'
          where project_id = ${projectId} and firm_id = any(${column((row) => row.firmId)}::int[]) and status = 'current'
          returning id
        )
        insert into submissions (id, project_id, firm_id, sealed, received_at, terms_version, receipt_hash, idempotency_key, status)
        select * from unnest(${column((row) => row.id)}::int[], ${column((row) => row.projectId)}::int[], ${column((row) => row.firmId)}::int[],
                             ${column((row) => row.sealed)}::text[], ${column((row) => row.receivedAt.toISOString())}::timestamptz[],
                             ${column((row) => row.termsVersion)}::int[], ${column((row) => row.receiptHash)}::text[],
                             ${column((row) => row.idempotencyKey ?? null)}::text[], ${column((row) => row.status)}::text[])
        where (select count(*) from replaced) >= 0`,
  );
}


/** Earlier submissions stored under these (firm, Idempotency-Key) pairs. */
export async function findSubmissionsByKeys(db: Executor, projectId: number, keys: { firmId: number; key: string }[]): Promise<SubmissionRow[]> {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(submissions)
    .where(
      and(
        eq(submissions.projectId, projectId),
        inArray(submissions.firmId, keys.map((entry) => entry.firmId)),
        inArray(submissions.idempotencyKey, keys.map((entry) => entry.key)),
      ),
    );
}


export async function updateSubmission(tx: Executor, id: number, values: Partial<typeof submissions.$inferInsert>) {
  await tx.update(submissions).set(values).where(eq(submissions.id, id));
}

export async function currentSubmissions(db: Executor, projectId: number, firmId?: number): Promise<SubmissionRow[]> {
  return db
    .select()
    .from(submissions)
    .where(and(eq(submissions.projectId, projectId), eq(submissions.status, 'current'), firmId ? eq(submissions.firmId, firmId) : undefined))
    .orderBy(asc(submissions.id));
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

/**
 * SQL: who takes part in the project aliased `p` may be shown — it has no sealed box, or the box
 * is open (the SQL form of `submittersSecret` in secrecy.ts, for queries across projects).
 */
export const participantsPublicSql = (p: string): SQL =>
  sql.raw(
    `(${p}.method not in (${[...SEALED_METHODS].map((method) => `'${method}'`).join(', ')}) or (${p}.status not in ('draft', 'registering', 'submitting')` +
      ` and (${p}.status not in ('drawing', 'failed', 'cancelled') or ${p}.result->>'openedAt' is not null or ${p}.result->>'kind' = 'auction')))`,
  );
