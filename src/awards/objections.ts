import { appendAudit } from '../audit/service.js';
import { recordEvent } from '../credit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import { uniqueViolation } from '../platform/db/index.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import { attachFiles } from '../platform/files/service.js';
import { actorOf, isStaff, type CurrentUser } from '../platform/http/access.js';
import * as projects from '../projects/repository.js';
import { announce } from '../projects/service.js';
import { fail, publishResult, settleProject } from '../selection/settle.js';
import { publicityEndsAt, resultOf, SYSTEM_AWARDS, type PublishedResult } from './offers.js';
import * as repository from './repository.js';
import type { ObjectionDecision, OBJECTION_STATUSES } from './schemas.js';

export const OBJECTION_FILE_PURPOSE = 'objection';

/** An objection (异议) by a firm that registered, while publicity runs; one per firm and project. */
export async function fileObjection(deps: PlatformDeps, user: CurrentUser, projectId: number, input: { grounds: string; fileIds: number[] }) {
  if (user.role !== 'agency' || !user.organizationId) throw forbidden('Only firms that registered for the project may object');
  const firmId = user.organizationId;
  await settleProject(deps, projectId);
  try {
    return await deps.database.transaction(async (tx) => {
      const project = await projects.findProject(tx, projectId, { lock: true });
      if (!project || project.status === 'draft') throw notFound('Project');
      const registered = (await projects.allRegistrations(tx, projectId)).some((row) => row.firmId === firmId && row.status !== 'withdrawn');
      if (!registered) throw forbidden('Only firms that registered for the project may object');
      const endsAt = publicityEndsAt(project);
      if (project.status !== 'publicity' || (endsAt && endsAt <= deps.clock.now())) throw conflict('publicity_over', 'Objections are accepted only during the publicity period');
      if ((await repository.projectObjections(tx, projectId)).some((row) => row.firmId === firmId)) throw conflict('already_objected', 'The firm has already objected to this result');
      const files = await attachFiles(tx, input.fileIds, { organizationId: firmId, purpose: OBJECTION_FILE_PURPOSE });
      const objection = await repository.insertObjection(tx, {
        projectId,
        firmId,
        grounds: input.grounds,
        fileIds: files.map((file) => file.id),
        filedBy: actorOf(user),
        filedAt: deps.clock.now(),
      });
      // who objected is not public: the audit event sits on the objection, the notice names no one
      await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'objection.filed', entityType: 'result_objection', entityId: objection.id, data: { projectId, firmId, fileIds: objection.fileIds } });
      await announce(tx, deps, project, 'objection_filed', `异议受理：${project.title}`, '公示期内收到异议，中选结果待异议处理后确定。');
      return objection;
    });
  } catch (error) {
    if (uniqueViolation(error) === 'result_objections_project_firm_unique') throw conflict('already_objected', 'The firm has already objected to this result');
    throw error;
  }
}

/**
 * Staff decide with a reason. Upholding voids the current winners: the project fails, or the
 * next ranked firms become winners of a new result with a new publicity period.
 */
export async function decideObjection(deps: PlatformDeps, staff: CurrentUser, objectionId: number, input: ObjectionDecision) {
  if (!isStaff(staff)) throw forbidden('Only staff decide objections');
  const found = await repository.findObjection(deps.database.db, objectionId);
  if (!found) throw notFound('Objection');
  await settleProject(deps, found.projectId);
  const decided = await deps.database.transaction(async (tx) => {
    const project = await projects.findProject(tx, found.projectId, { lock: true });
    const objection = await repository.findObjection(tx, objectionId, { lock: true });
    if (!project || !objection) throw notFound('Objection');
    if (objection.decision) throw conflict('already_decided', 'The objection is already decided');
    const now = deps.clock.now();
    const decision = input.decision === 'uphold' ? 'upheld' : 'dismissed';
    const row = await repository.decideObjection(tx, objectionId, { decision, decisionReason: input.reason, outcome: input.outcome ?? null, decidedBy: actorOf(staff), decidedAt: now });
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: `objection.${decision}`, entityType: 'result_objection', entityId: objectionId, data: { projectId: project.id, reason: input.reason, outcome: input.outcome } });
    if (decision === 'dismissed') {
      await announce(tx, deps, project, 'objection_dismissed', `异议处理结果：${project.title}`, `异议不成立：${input.reason}`);
      return row;
    }
    if (project.status !== 'publicity') throw conflict('not_in_publicity', `The result can no longer be voided: the project is ${project.status}`).with({ status: project.status });
    await voidResult(tx, deps, project, objection.id, input.outcome!, input.reason);
    return row;
  });
  await settleProject(deps, found.projectId);
  return decided;
}

/** Drops the current winners (credit: objection_upheld) and re-selects from the ranking or fails. */
async function voidResult(tx: Tx, deps: PlatformDeps, project: projects.ProjectRow, objectionId: number, outcome: 'reselect' | 'fail', reason: string) {
  const result = resultOf(project);
  const dropped = result.winners;
  for (const firmId of dropped) {
    await recordEvent(tx, deps, SYSTEM_AWARDS, { firmId, kind: 'objection_upheld', source: `objection:${objectionId}`, note: `中选结果因异议成立被撤销（项目 ${project.id}）：${reason}` });
  }
  const voided = [...(result.voided ?? []), { firmIds: dropped, objectionId, at: deps.clock.now().toISOString() }];
  await announce(tx, deps, project, 'objection_upheld', `异议处理结果：${project.title}`, `异议成立，原中选结果撤销：${reason}`);
  if (outcome === 'fail') return fail(tx, deps, project, `异议成立，中选结果撤销：${reason}`, 'objection_upheld', { ...result, voided });
  const remaining = result.alternates;
  if (remaining.length === 0) return fail(tx, deps, project, `异议成立，原中选结果撤销，且无可递补的机构：${reason}`, 'objection_upheld', { ...result, voided });
  const { publishedAt: _publishedAt, publicityEndsAt: _endsAt, ...kept } = result;
  const next: Omit<PublishedResult, 'publishedAt' | 'publicityEndsAt'> = {
    ...kept,
    winners: remaining.slice(0, project.winners),
    alternates: remaining.slice(project.winners),
    voided,
  };
  return publishResult(tx, deps, project, next as unknown as Record<string, unknown> & { winners: number[] });
}

interface ObjectionView {
  id: number;
  projectId: number;
  status: (typeof OBJECTION_STATUSES)[number];
  filedAt: Date;
  decisionReason: string | null;
  outcome: string | null;
  decidedAt: Date | null;
  firmId?: number;
  firmName?: string;
  grounds?: string;
  fileIds?: number[];
}

/** Everyone sees that an objection was filed and how it was decided; only staff and the objector see who and why. */
export async function presentObjections(deps: PlatformDeps, viewer: CurrentUser | undefined, rows: repository.ObjectionRow[]): Promise<ObjectionView[]> {
  const firms = new Map((await projects.findOrganizationsByIds(deps.database.db, [...new Set(rows.map((row) => row.firmId))])).map((firm) => [firm.id, firm.name]));
  return rows.map((row) => {
    const view: ObjectionView = {
      id: row.id,
      projectId: row.projectId,
      status: (row.decision ?? 'pending') as ObjectionView['status'],
      filedAt: row.filedAt,
      decisionReason: row.decisionReason,
      outcome: row.outcome,
      decidedAt: row.decidedAt,
    };
    const mayKnow = isStaff(viewer) || (viewer?.role === 'agency' && viewer.organizationId === row.firmId);
    return mayKnow ? { ...view, firmId: row.firmId, firmName: firms.get(row.firmId), grounds: row.grounds, fileIds: row.fileIds as number[] } : view;
  });
}

export async function listObjectionQueue(deps: PlatformDeps, staff: CurrentUser, status?: 'pending' | 'decided') {
  const rows = await repository.listObjections(deps.database.db, status);
  const titles = new Map((await Promise.all([...new Set(rows.map((row) => row.projectId))].map((id) => projects.findProject(deps.database.db, id)))).map((project) => [project!.id, project!]));
  const views = await presentObjections(deps, staff, rows);
  return views.map((view) => ({ ...view, projectTitle: titles.get(view.projectId)?.title, publicityEndsAt: publicityEndsAt(titles.get(view.projectId)!) }));
}
