import { appendAudit } from '../audit/service.js';
import { feeBudgetProblem } from '../catalog/model.js';
import { findPublishedService } from '../catalog/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Executor, Tx } from '../platform/db/index.js';
import { AppError, conflict, forbidden, notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { WorkingCalendar } from '../platform/calendar/calendar.js';
import { shanghaiDate, shanghaiInstant } from '../platform/time.js';
import { commitLottery } from '../lottery/service.js';
import * as repository from './repository.js';
import type { ProjectTerms } from './schemas.js';
import { checkComparisonTerms, type ComparisonWeights, type PlanCriterion } from '../comparison/terms.js';
import { checkBiddingTerms, type BiddingOptions } from '../auction/options.js';

export const DEADLINE_TIME = '17:00';
const actorOf = (user: CurrentUser) => `user:${user.id}`;
export { isStaff };
export const isOwnerOf = (user: CurrentUser | undefined, project: repository.ProjectRow) =>
  user?.role === 'owner' && user.organizationId === project.ownerId;

export { LOTTERY_METHODS, SEALED_METHODS } from './secrecy.js';
import { auditParticipation, LOTTERY_METHODS, SEALED_METHODS } from './secrecy.js';

export interface ProjectOptions {
  drawCount?: number;
  lotterySource?: { kind: 'none' } | { kind: 'manual'; description: string };
  creditShortlist?: number;
  creditWeighted?: boolean;
  ownerChoiceShortlist?: number;
  weights?: ComparisonWeights;
  planCriteria?: PlanCriterion[];
  rounds?: BiddingOptions['rounds'];
  turnSeconds?: BiddingOptions['turnSeconds'];
  minStepFen?: BiddingOptions['minStepFen'];
  allowSingleBid?: BiddingOptions['allowSingleBid'];
  deadlines?: { registrationWorkingDays?: number; submissionWorkingDays?: number };
}

function invalid(path: string, message: string): AppError {
  return new AppError(400, 'invalid_terms', message, [{ path, message }]);
}

/** The terms' own consistency and the fee standard of the service item. */
async function checkTerms(db: Executor, terms: ProjectTerms) {
  const item = await findPublishedService(db, terms.serviceCode);
  if (!item) throw invalid('serviceCode', `No published service item ${terms.serviceCode}`);
  const feeProblem = feeBudgetProblem(item, terms.budgetFen);
  if (feeProblem === 'above_maximum') throw invalid('budgetFen', `The budget exceeds the fee standard of ${item.code} (at most ${item.fee.maxFen} fen)`);
  if (feeProblem === 'below_minimum') throw invalid('budgetFen', `The budget is below the fee standard of ${item.code} (at least ${item.fee.minFen} fen)`);
  if (terms.quoteMode === 'discount' && !terms.quoteBaseFen) throw invalid('quoteBaseFen', 'Discount quotes need the base amount they apply to');
  if (terms.quoteMode === 'discount' && terms.quoteBaseFen! > terms.budgetFen) throw invalid('quoteBaseFen', 'The base amount cannot exceed the budget');
  if (SEALED_METHODS.has(terms.method) && !terms.submissionCloses) throw invalid('submissionCloses', `Method ${terms.method} needs a submission deadline`);
  if (!SEALED_METHODS.has(terms.method) && terms.submissionCloses) throw invalid('submissionCloses', `Method ${terms.method} takes no sealed submissions`);
  if (terms.method === 'lottery_inquiry' && (terms.options.drawCount ?? 3) < terms.winners) throw invalid('options.drawCount', 'drawCount must be at least the number of winners');
  const lotteryOnly = (key: 'creditShortlist' | 'creditWeighted') => {
    if (terms.options[key] !== undefined && !LOTTERY_METHODS.has(terms.method)) throw invalid(`options.${key}`, `${key} applies to lottery methods only`);
  };
  lotteryOnly('creditShortlist');
  lotteryOnly('creditWeighted');
  const { creditShortlist, ownerChoiceShortlist } = terms.options;
  if (creditShortlist !== undefined && creditShortlist < Math.max(terms.minRespondents, terms.method === 'lottery' ? terms.winners : terms.options.drawCount ?? 3)) {
    throw invalid('options.creditShortlist', 'The credit shortlist must keep at least minRespondents firms and as many as the draw needs');
  }
  if (ownerChoiceShortlist !== undefined && terms.method !== 'lottery') throw invalid('options.ownerChoiceShortlist', "Owner's choice applies to the lottery method only");
  if (ownerChoiceShortlist !== undefined && ownerChoiceShortlist <= terms.winners) throw invalid('options.ownerChoiceShortlist', 'The shortlist must be larger than the number of winners');
  checkComparisonTerms(terms);
  checkBiddingTerms(terms);
  return item;
}

function columnsFromTerms(terms: ProjectTerms, now: Date) {
  const provisional = (deadline: ProjectTerms['registrationCloses']) =>
    deadline instanceof Date ? deadline : new Date(now.getTime() + deadline.workingDays * 86_400_000);
  // every method option is kept as given (zod has already dropped undefined keys' meaning)
  const given = Object.fromEntries(Object.entries(terms.options).filter(([, value]) => value !== undefined));
  const options: ProjectOptions = {
    ...given,
    ...(terms.method === 'lottery_inquiry' && !terms.options.drawCount ? { drawCount: 3 } : {}),
    deadlines: {
      ...(terms.registrationCloses instanceof Date ? {} : { registrationWorkingDays: terms.registrationCloses.workingDays }),
      ...(terms.submissionCloses && !(terms.submissionCloses instanceof Date) ? { submissionWorkingDays: terms.submissionCloses.workingDays } : {}),
    },
  };
  return {
    serviceCode: terms.serviceCode,
    title: terms.title,
    description: terms.description,
    budgetFen: terms.budgetFen,
    method: terms.method,
    winners: terms.winners,
    minRespondents: terms.minRespondents,
    minCreditGrade: terms.minCreditGrade ?? null,
    quoteMode: terms.quoteMode,
    quoteBaseFen: terms.quoteBaseFen ?? null,
    options,
    avoidFirms: terms.avoidFirms,
    registrationClosesAt: provisional(terms.registrationCloses),
    submissionClosesAt: terms.submissionCloses ? provisional(terms.submissionCloses) : null,
  };
}

function requireOwner(user: CurrentUser) {
  if (user.role !== 'owner' || !user.organizationId) throw forbidden('Only project owners create projects');
}

export async function createProject(deps: PlatformDeps, user: CurrentUser, terms: ProjectTerms, clonedFrom?: number) {
  requireOwner(user);
  await checkTerms(deps.database.db, terms);
  const now = deps.clock.now();
  return deps.database.transaction(async (tx) => {
    const project = await repository.insertProject(tx, {
      ...columnsFromTerms(terms, now),
      ownerId: user.organizationId!,
      createdBy: user.id,
      status: 'draft',
      termsVersion: 1,
      clonedFrom: clonedFrom ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'project.created', entityType: 'project', entityId: project.id, data: { title: project.title, method: project.method, clonedFrom } });
    return project;
  });
}

async function lockOwned(tx: Tx, user: CurrentUser, id: number) {
  const project = await repository.findProject(tx, id, { lock: true });
  if (!project || (!isOwnerOf(user, project) && !isStaff(user))) throw notFound('Project');
  if (!isOwnerOf(user, project)) throw forbidden('Only the project owner can do this');
  return project;
}

export async function updateDraft(deps: PlatformDeps, user: CurrentUser, id: number, terms: ProjectTerms) {
  await checkTerms(deps.database.db, terms);
  return deps.database.transaction(async (tx) => {
    const project = await lockOwned(tx, user, id);
    if (project.status !== 'draft') throw conflict('not_a_draft', 'Only a draft can be edited; a published project is amended');
    const updated = await repository.updateProject(tx, id, { ...columnsFromTerms(terms, deps.clock.now()), updatedAt: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'project.draft_edited', entityType: 'project', entityId: id });
    return updated;
  });
}

/** Working-day deadlines count from publication and close at 17:00 Asia/Shanghai. */
async function resolveDeadlines(deps: PlatformDeps, project: repository.ProjectRow, now: Date) {
  const calendar = new WorkingCalendar(deps.database.db);
  const deadlines = (project.options as ProjectOptions).deadlines ?? {};
  const registrationClosesAt = deadlines.registrationWorkingDays
    ? shanghaiInstant(await calendar.addWorkingDays(shanghaiDate(now), deadlines.registrationWorkingDays), DEADLINE_TIME)
    : project.registrationClosesAt;
  const submissionClosesAt = deadlines.submissionWorkingDays
    ? shanghaiInstant(await calendar.addWorkingDays(shanghaiDate(registrationClosesAt), deadlines.submissionWorkingDays), DEADLINE_TIME)
    : project.submissionClosesAt;
  if (registrationClosesAt <= now) throw conflict('deadline_passed', 'The registration deadline must be in the future');
  if (submissionClosesAt && submissionClosesAt <= registrationClosesAt) {
    throw conflict('deadline_order', 'Submissions must close after registration closes');
  }
  return { registrationClosesAt, submissionClosesAt };
}

/**
 * Publishes a draft. Lottery methods commit their seed now, before anyone registers; sealed
 * methods commit a tie-break lottery too, so an exact tie is settled by a draw fixed in advance.
 */
export async function publishProject(deps: PlatformDeps, user: CurrentUser, id: number) {
  const draft = await repository.findProject(deps.database.db, id);
  if (!draft || !isOwnerOf(user, draft)) throw draft ? forbidden('Only the project owner can publish') : notFound('Project');
  if (draft.status !== 'draft') throw conflict('not_a_draft', 'The project is already published');
  const now = deps.clock.now();
  const deadlines = await resolveDeadlines(deps, draft, now);
  const options = draft.options as ProjectOptions;
  const subject = { entityType: 'project', entityId: String(id) };
  const lottery = LOTTERY_METHODS.has(draft.method)
    ? await commitLottery(deps, actorOf(user), {
        subject,
        algorithm: 'lottery-v1',
        winners: draft.method === 'lottery' ? options.ownerChoiceShortlist ?? draft.winners : options.drawCount ?? 3,
        external: options.lotterySource ?? { kind: 'none' },
      })
    : undefined;
  const tieBreak = SEALED_METHODS.has(draft.method)
    ? await commitLottery(deps, actorOf(user), { subject: { ...subject, entityType: 'project-tie-break' }, algorithm: 'lottery-v1', winners: 1, external: { kind: 'none' } })
    : undefined;
  return deps.database.transaction(async (tx) => {
    const project = await lockOwned(tx, user, id);
    if (project.status !== 'draft') throw conflict('not_a_draft', 'The project is already published');
    const published = await repository.updateProject(tx, id, {
      ...deadlines,
      status: 'registering',
      lotteryId: lottery?.lotteryId ?? null,
      tieBreakLotteryId: tieBreak?.lotteryId ?? null,
      publishedAt: now,
      updatedAt: now,
    });
    await appendAudit(tx, deps.clock, {
      actor: actorOf(user),
      action: 'project.published',
      entityType: 'project',
      entityId: id,
      data: { registrationClosesAt: deadlines.registrationClosesAt, submissionClosesAt: deadlines.submissionClosesAt, lotteryId: lottery?.lotteryId, seedCommitment: lottery?.seedCommitment },
    });
    await announce(tx, deps, published, 'project_notice', `项目公告：${published.title}`, `${published.title}（${published.serviceCode}）开始报名，报名截止 ${deadlines.registrationClosesAt.toISOString()}。`);
    return published;
  });
}

export async function announce(tx: Executor, deps: Pick<PlatformDeps, 'clock'>, project: repository.ProjectRow, kind: string, title: string, body: string) {
  await repository.insertAnnouncement(tx, { kind, projectId: project.id, title, body, publishedAt: deps.clock.now() });
}

const CANCELLABLE = new Set(['draft', 'registering', 'submitting', 'drawing', 'evaluating', 'choosing']);

export async function cancelProject(deps: PlatformDeps, user: CurrentUser, id: number, reason: string) {
  return deps.database.transaction(async (tx) => {
    const project = await lockOwned(tx, user, id);
    if (!CANCELLABLE.has(project.status)) throw conflict('not_cancellable', `A project in ${project.status} cannot be cancelled`).with({ status: project.status });
    const cancelled = await repository.updateProject(tx, id, { status: 'cancelled', outcomeReason: reason, updatedAt: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'project.cancelled', entityType: 'project', entityId: id, data: { from: project.status, reason } });
    if (project.status !== 'draft') await announce(tx, deps, cancelled, 'project_cancelled', `终止公告：${project.title}`, reason);
    return cancelled;
  });
}

/** The options a clone starts from: all method options, but not the resolved deadlines. */
function methodOptions(options: ProjectOptions): ProjectTerms['options'] {
  const { deadlines: _deadlines, ...rest } = options;
  return rest as ProjectTerms['options'];
}

/** A failed (流标) or cancelled project is republished as a copy: a new draft with the same terms. */
export async function cloneProject(deps: PlatformDeps, user: CurrentUser, id: number) {
  const source = await repository.findProject(deps.database.db, id);
  if (!source || !isOwnerOf(user, source)) throw source ? forbidden() : notFound('Project');
  if (source.status !== 'failed' && source.status !== 'cancelled') throw conflict('not_clonable', 'Only failed or cancelled projects are cloned');
  const options = source.options as ProjectOptions;
  const terms: ProjectTerms = {
    serviceCode: source.serviceCode,
    title: source.title,
    description: source.description,
    budgetFen: source.budgetFen,
    method: source.method as ProjectTerms['method'],
    winners: source.winners,
    minRespondents: source.minRespondents,
    minCreditGrade: (source.minCreditGrade ?? undefined) as ProjectTerms['minCreditGrade'],
    quoteMode: source.quoteMode as ProjectTerms['quoteMode'],
    quoteBaseFen: source.quoteBaseFen ?? undefined,
    registrationCloses: { workingDays: options.deadlines?.registrationWorkingDays ?? 5 },
    submissionCloses: SEALED_METHODS.has(source.method) ? { workingDays: options.deadlines?.submissionWorkingDays ?? 3 } : undefined,
    options: methodOptions(options),
    avoidFirms: source.avoidFirms as ProjectTerms['avoidFirms'],
  };
  return createProject(deps, user, terms, id);
}

/**
 * Changing the terms of a published project (description, budget, deadlines) while quotes are
 * open invalidates every submission: firms priced the old terms. They are told and resubmit.
 */
export async function amendTerms(
  deps: PlatformDeps,
  user: CurrentUser,
  id: number,
  change: { description?: string; budgetFen?: number; registrationClosesAt?: Date; submissionClosesAt?: Date; reason: string },
) {
  return deps.database.transaction(async (tx) => {
    const project = await lockOwned(tx, user, id);
    if (project.status !== 'registering' && project.status !== 'submitting') throw conflict('not_amendable', `A project in ${project.status} cannot be amended`).with({ status: project.status });
    const now = deps.clock.now();
    const registrationClosesAt = change.registrationClosesAt ?? project.registrationClosesAt;
    const submissionClosesAt = change.submissionClosesAt ?? project.submissionClosesAt;
    if (project.status === 'registering' && registrationClosesAt <= now) throw conflict('deadline_passed', 'The new registration deadline has passed');
    if (submissionClosesAt && (submissionClosesAt <= now || submissionClosesAt <= registrationClosesAt)) throw conflict('deadline_order', 'The submission deadline must be in the future and after registration');
    const updated = await repository.updateProject(tx, id, {
      description: change.description ?? project.description,
      budgetFen: change.budgetFen ?? project.budgetFen,
      registrationClosesAt,
      submissionClosesAt,
      termsVersion: project.termsVersion + 1,
      updatedAt: now,
    });
    const invalidatedFirms = await repository.invalidateCurrentSubmissions(tx, id);
    await appendAudit(tx, deps.clock, {
      actor: actorOf(user),
      action: 'project.terms_amended',
      entityType: 'project',
      entityId: id,
      data: { reason: change.reason, termsVersion: updated.termsVersion },
    });
    await auditParticipation(
      tx,
      deps.clock,
      project,
      invalidatedFirms.map((firmId) => ({ actor: 'system:projects', action: 'submission.invalidated_by_amendment', entityType: 'registration', entityId: `${id}:${firmId}`, data: { projectId: id, firmId, termsVersion: updated.termsVersion } })),
    );
    // how many quotes were in is sealed like the quotes: the notice says so only in general
    const resubmit = project.status === 'submitting' ? '（变更前已提交的报价均已作废，请按变更后的条件重新提交）' : '';
    await announce(tx, deps, updated, 'project_amended', `变更公告：${updated.title}`, `${change.reason}${resubmit}`);
    return { project: updated };
  });
}
