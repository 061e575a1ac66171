import { and, eq, gte, inArray, isNotNull, isNull, lt, ne } from 'drizzle-orm';
import { awards, resultObjections } from '../awards/tables.js';
import { users } from '../auth/tables.js';
import { contracts } from '../contracts/tables.js';
import { deliveryDueAt } from '../contracts/timer.js';
import type { Executor } from '../platform/db/index.js';
import { projects, registrations } from '../projects/tables.js';
import type { Deadline, DeadlineSource } from './deadlines.js';
import { SEALED_METHODS } from '../projects/secrecy.js';

async function activeRegistrants(db: Executor, projectIds: number[]) {
  if (!projectIds.length) return new Map<number, number[]>();
  const rows = await db
    .select({ projectId: registrations.projectId, firmId: registrations.firmId })
    .from(registrations)
    .where(and(inArray(registrations.projectId, projectIds), eq(registrations.status, 'active')));
  const byProject = new Map<number, number[]>();
  for (const row of rows) byProject.set(row.projectId, [...(byProject.get(row.projectId) ?? []), row.firmId]);
  return byProject;
}

/** Registration close (报名截止): registered firms and the owner. */
export const registrationCloseSource: DeadlineSource = {
  kind: 'registration_close',
  async pending(db, { from, to }) {
    const rows = await db
      .select({ id: projects.id, title: projects.title, ownerId: projects.ownerId, at: projects.registrationClosesAt, method: projects.method })
      .from(projects)
      .where(and(eq(projects.status, 'registering'), ne(projects.method, 'direct'), gte(projects.registrationClosesAt, from), lt(projects.registrationClosesAt, to)));
    const registrants = await activeRegistrants(db, rows.map((r) => r.id));
    return rows.map((row): Deadline => ({
      projectId: row.id, projectTitle: row.title, kind: 'registration_close', at: row.at,
      ...(SEALED_METHODS.has(row.method)
        ? { recipients: { organizationIds: [row.ownerId] }, sealed: { projectId: row.id, organizationIds: registrants.get(row.id) ?? [] } }
        : { recipients: { organizationIds: [row.ownerId, ...(registrants.get(row.id) ?? [])] } }),
    }));
  },
};

/**
 * Submission close (响应截止): the owner and every firm that may quote (the drawn ones, after a
 * draw), whether it has quoted or not: whom the reminder reaches must not tell who has quoted.
 */
export const submissionCloseSource: DeadlineSource = {
  kind: 'submission_close',
  async pending(db, { from, to }) {
    const rows = await db
      .select({ id: projects.id, title: projects.title, ownerId: projects.ownerId, at: projects.submissionClosesAt, result: projects.result })
      .from(projects)
      .where(and(inArray(projects.status, ['registering', 'drawing', 'submitting']), isNotNull(projects.submissionClosesAt), gte(projects.submissionClosesAt, from), lt(projects.submissionClosesAt, to)));
    const registrants = await activeRegistrants(db, rows.map((r) => r.id));
    return rows.map((row): Deadline => {
      const result = row.result as { kind?: string; drawn?: number[] } | null;
      const expected = result?.kind === 'drawn' ? result.drawn ?? [] : registrants.get(row.id) ?? [];
      return {
        projectId: row.id, projectTitle: row.title, kind: 'submission_close', at: row.at!,
        recipients: { organizationIds: [row.ownerId] },
        // only sealed methods have a submission deadline
        sealed: { projectId: row.id, organizationIds: expected },
      };
    });
  },
};

/** An award offer's answer deadline (中选确认): the offered firm. */
export const awardResponseSource: DeadlineSource = {
  kind: 'award_response',
  async pending(db, { from, to }) {
    const rows = await db
      .select({ id: awards.id, projectId: awards.projectId, firmId: awards.firmId, at: awards.respondBy, title: projects.title })
      .from(awards)
      .innerJoin(projects, eq(projects.id, awards.projectId))
      .where(and(eq(awards.status, 'offered'), isNotNull(awards.respondBy), gte(awards.respondBy, from), lt(awards.respondBy, to)));
    return rows.map((row): Deadline => ({
      projectId: row.projectId, projectTitle: row.title, kind: 'award_response', ref: row.id, at: row.at!,
      recipients: { organizationIds: [row.firmId] },
    }));
  },
};

/**
 * Delivery of a signed contract (服务成果交付): the firm, until it marks delivery. The due instant
 * depends on the working-day calendar, so it is computed per contract (open contracts are few).
 */
export const deliveryDueSource: DeadlineSource = {
  kind: 'delivery_due',
  async pending(db, { from, to }) {
    const rows = await db
      .select({ id: contracts.id, projectId: contracts.projectId, firmId: contracts.firmId, signedOn: contracts.signedOn, promisedDays: contracts.promisedDays, title: projects.title })
      .from(contracts)
      .innerJoin(projects, eq(projects.id, contracts.projectId))
      .where(isNull(contracts.deliveredAt));
    const deadlines: Deadline[] = [];
    for (const row of rows) {
      // a year without an official calendar yet: no reminder rather than a wrong one
      const at = await deliveryDueAt(db, row).catch(() => null);
      if (!at || at < from || at >= to) continue;
      deadlines.push({ projectId: row.projectId, projectTitle: row.title, kind: 'delivery_due', ref: row.id, at, recipients: { organizationIds: [row.firmId] } });
    }
    return deadlines;
  },
};

/**
 * The end of a publicity period with an objection staff have not decided (异议处理): the result
 * waits for the decision, so every active staff account is reminded before the period ends.
 */
export const objectionDecisionSource: DeadlineSource = {
  kind: 'objection_decision',
  async pending(db, { from, to }) {
    const rows = await db
      .selectDistinct({ id: projects.id, title: projects.title, result: projects.result })
      .from(projects)
      .innerJoin(resultObjections, eq(resultObjections.projectId, projects.id))
      .where(and(eq(projects.status, 'publicity'), isNull(resultObjections.decision)));
    const due = rows
      .map((row) => ({ ...row, at: (row.result as { publicityEndsAt?: string | null } | null)?.publicityEndsAt }))
      .filter((row): row is typeof row & { at: string } => Boolean(row.at) && new Date(row.at!) >= from && new Date(row.at!) < to);
    if (!due.length) return [];
    const staff = await db.select({ id: users.id }).from(users).where(and(eq(users.role, 'staff'), isNull(users.disabledAt)));
    return due.map((row): Deadline => ({
      projectId: row.id, projectTitle: row.title, kind: 'objection_decision', at: new Date(row.at),
      recipients: { userIds: staff.map((user) => user.id) },
    }));
  },
};

export const BUILT_IN_SOURCES = [registrationCloseSource, submissionCloseSource, awardResponseSource, deliveryDueSource, objectionDecisionSource];
