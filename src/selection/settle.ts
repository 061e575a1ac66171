import { signCheckpoint } from '../audit/checkpoints.js';
import { appendAudit } from '../audit/service.js';
import { drawLottery, fixCandidates, getLottery } from '../lottery/service.js';
import { WorkingCalendar } from '../platform/calendar/calendar.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import { shanghaiDate, shanghaiInstant } from '../platform/time.js';
import * as repository from '../projects/repository.js';
import { announce, DEADLINE_TIME, LOTTERY_METHODS, type ProjectOptions } from '../projects/service.js';
import { eligibilityOfMany } from '../projects/registration.js';
import { openSubmissions, type OpeningResult } from './opening.js';
import { finishComparison } from '../comparison/evaluation.js';
import type { ComparisonResult } from '../comparison/model.js';
import { settleAward } from '../awards/settle.js';
import { schedulePublicityEnd } from '../awards/jobs.js';
import { settleAuction } from '../auction/service.js';
import { applyCreditShortlist, drawWeights, passOverBarred } from './lottery-options.js';
import { clockAt } from '../platform/clock.js';

const SYSTEM = 'system:selection';
export const PUBLICITY_WORKING_DAYS = 3;

/**
 * Brings a project up to date with the clock: closes registration, draws, opens sealed
 * submissions. Every request that touches a project calls it first, and so do the deadline job
 * and the sweeper, so nothing depends on a job firing on time. Each step is idempotent.
 */
export async function settleProject(deps: PlatformDeps, projectId: number): Promise<repository.ProjectRow | undefined> {
  let project = await repository.findProject(deps.database.db, projectId);
  for (let step = 0; project && step < 5; step += 1) {
    const next = await settleStep(deps, project);
    if (!next) break;
    project = next;
  }
  return project;
}

/** Whether the clock calls for a selection step: registration close, a draw, or the opening. */
export function selectionStepDue(project: repository.ProjectRow, now: Date): boolean {
  if (project.status === 'registering') return project.method !== 'direct' && project.registrationClosesAt <= now;
  if (project.status === 'submitting') return Boolean(project.submissionClosesAt && project.submissionClosesAt <= now);
  return project.status === 'drawing';
}

async function settleStep(deps: PlatformDeps, project: repository.ProjectRow): Promise<repository.ProjectRow | undefined> {
  if (selectionStepDue(project, deps.clock.now())) {
    if (project.status === 'registering') return closeRegistration(deps, project.id);
    if (project.status === 'drawing') return tryDraw(deps, project);
    const opened = await openSubmissions(deps, project.id);
    // the opening has committed: sign the chain that now holds it (a refusal is logged, and the
    // sweeper signs later; the opening itself stands)
    if (opened && opened.status !== 'submitting') {
      await signCheckpoint(deps, 'opening').catch((error: unknown) => deps.logger.error({ err: error, projectId: project.id }, 'could not sign the checkpoint after an opening'));
    }
    return opened;
  }
  if (project.status === 'auction') return settleAuction(deps, project);
  if (project.status === 'publicity' || project.status === 'awarded') return settleAward(deps, project);
  return undefined;
}

/** At registration close: re-check every registrant, fail the project (流标) or move on. */
async function closeRegistration(deps: PlatformDeps, projectId: number) {
  return deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: true });
    if (!project || project.status !== 'registering' || project.registrationClosesAt > deps.clock.now()) return project;
    const registrations = await repository.activeRegistrations(tx, projectId);
    const eligible: number[] = [];
    // judged as at the deadline, so the outcome never depends on when the close is settled
    const answers = await eligibilityOfMany(tx, { clock: clockAt(project.registrationClosesAt) }, project, registrations.map((registration) => registration.firmId));
    for (const registration of registrations) {
      const answer = answers.get(registration.firmId)!;
      if (answer.eligible) {
        eligible.push(registration.firmId);
      } else {
        const reason = answer.failures.map((failure) => failure.rule).join(', ');
        await repository.updateRegistration(tx, registration.id, { status: 'invalid', statusReason: reason, updatedAt: deps.clock.now() });
      }
    }
    const enough = eligible.length >= project.minRespondents;
    // a lottery publishes its candidates with the draw; a sealed method says only whether there are enough
    const registrantsPublic = LOTTERY_METHODS.has(project.method);
    await appendAudit(tx, deps.clock, {
      actor: SYSTEM,
      action: 'project.registration_closed',
      entityType: 'project',
      entityId: projectId,
      data: registrantsPublic
        ? { registered: registrations.length, eligible: eligible.length, registrants: registrations.map((r) => r.firmId) }
        : { enough, required: project.minRespondents },
    });
    if (!enough) {
      const reason = registrantsPublic ? `有效报名 ${eligible.length} 家，少于 ${project.minRespondents} 家` : `有效报名不足 ${project.minRespondents} 家`;
      return fail(tx, deps, project, reason, 'insufficient_registrants');
    }
    if (LOTTERY_METHODS.has(project.method)) await applyCreditShortlist(tx, deps, project, eligible);
    const status = LOTTERY_METHODS.has(project.method) ? 'drawing' : 'submitting';
    const updated = await repository.updateProject(tx, projectId, { status, updatedAt: deps.clock.now() });
    const summary = registrantsPublic ? `有效报名 ${eligible.length} 家。` : `有效报名达到 ${project.minRespondents} 家的要求，进入报价阶段；报名机构及其数量在开标时公布。`;
    await announce(tx, deps, updated, 'registration_closed', `报名结束：${project.title}`, summary);
    return updated;
  });
}

export async function fail(tx: Tx, deps: PlatformDeps, project: repository.ProjectRow, reason: string, code: string, result?: object) {
  const failed = await repository.updateProject(tx, project.id, { status: 'failed', outcomeReason: reason, ...(result ? { result } : {}), updatedAt: deps.clock.now() });
  await appendAudit(tx, deps.clock, { actor: SYSTEM, action: 'project.failed', entityType: 'project', entityId: project.id, data: { code, reason } });
  await announce(tx, deps, failed, 'project_failed', `流标公告：${project.title}`, reason);
  return failed;
}

/** The lottery of a lottery method, or the tie-break lottery after an opening with equal quotes. */
async function tryDraw(deps: PlatformDeps, project: repository.ProjectRow) {
  const result = (project.result ?? {}) as Partial<OpeningResult>;
  const tieBreak = result.tieBreak;
  const lotteryId = tieBreak ? project.tieBreakLotteryId! : project.lotteryId!;
  let lottery = await getLottery(deps.database.db, lotteryId);
  if (lottery.status === 'committed') {
    const firms = tieBreak
      ? await repository.findOrganizationsByIds(deps.database.db, tieBreak.firmIds)
      : await registrantFirms(deps, project.id);
    const registrations = tieBreak ? [] : await repository.activeRegistrations(deps.database.db, project.id);
    const entropy = Object.fromEntries(
      registrations.filter((r) => r.entropy).map((r) => [firms.find((f) => f.id === r.firmId)!.uscc, r.entropy!]),
    );
    const weights = tieBreak ? new Map<number, number>() : await drawWeights(deps.database.db, project, firms.map((firm) => firm.id));
    lottery = await fixCandidates(deps, SYSTEM, lotteryId, firms.map((firm) => ({ uscc: firm.uscc, weight: weights.get(firm.id) ?? 1, name: firm.name })), entropy);
  }
  if (lottery.status !== 'drawn') {
    try {
      await drawLottery(deps, SYSTEM, lotteryId);
    } catch (error) {
      // waiting for the declared external figure is normal: the project stays in `drawing`
      if (error instanceof AppError && error.status === 409) return undefined;
      throw error;
    }
    lottery = await getLottery(deps.database.db, lotteryId);
  }
  const order = lottery.record!.order;
  return deps.database.transaction(async (tx) => {
    const current = await repository.findProject(tx, project.id, { lock: true });
    if (!current || current.status !== 'drawing') return current;
    const firms = await repository.findOrganizationsByUscc(tx, order);
    const byUscc = new Map(firms.map((firm) => [firm.uscc, firm]));
    if (tieBreak && current.method === 'comparison') return finishComparison(tx, deps, current, result as ComparisonResult, order);
    if (tieBreak) return finishOpening(tx, deps, current, result as OpeningResult, order);
    const drawOrder = order.map((uscc) => ({ firmId: byUscc.get(uscc)!.id, name: byUscc.get(uscc)!.name, uscc }));
    const { eligible: ordered, passedOver } = await passOverBarred(tx, deps, current, drawOrder);
    const passed = passedOver.length > 0 ? { passedOver } : {};
    if (ordered.length === 0) return fail(tx, deps, current, '摇号结果中的机构均已不符合条件', 'no_eligible_drawn_firm', { kind: 'lottery', lotteryId, ...passed });
    const shortlistSize = (current.options as ProjectOptions).ownerChoiceShortlist;
    if (current.method === 'lottery' && shortlistSize !== undefined) {
      const shortlist = ordered.slice(0, shortlistSize);
      const updated = await repository.updateProject(tx, current.id, { status: 'choosing', result: { kind: 'shortlist', lotteryId, shortlist, ...passed }, updatedAt: deps.clock.now() });
      await appendAudit(tx, deps.clock, { actor: SYSTEM, action: 'project.shortlist_drawn', entityType: 'project', entityId: current.id, data: { lotteryId, shortlist: shortlist.map((firm) => firm.uscc) } });
      await announce(tx, deps, updated, 'shortlist_drawn', `摇号结果：${current.title}`, `抽取 ${shortlist.map((firm) => firm.name).join('、')} 进入自主选择名单。`);
      return updated;
    }
    if (current.method === 'lottery') {
      const winners = ordered.slice(0, current.winners);
      return publishResult(tx, deps, current, { kind: 'lottery', lotteryId, ranking: ordered, ...passed, winners: winners.map((w) => w.firmId), alternates: ordered.slice(current.winners).map((a) => a.firmId) });
    }
    const drawCount = (current.options as ProjectOptions).drawCount ?? 3;
    const drawn = ordered.slice(0, drawCount);
    const updated = await repository.updateProject(tx, current.id, { status: 'submitting', result: { kind: 'drawn', lotteryId, drawn: drawn.map((d) => d.firmId), order: ordered, ...passed }, updatedAt: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor: SYSTEM, action: 'project.candidates_drawn', entityType: 'project', entityId: current.id, data: { lotteryId, drawn: drawn.map((d) => d.uscc) } });
    await announce(tx, deps, updated, 'candidates_drawn', `摇号结果：${current.title}`, `抽取 ${drawn.map((d) => d.name).join('、')} 参加询价。`);
    return updated;
  });
}

async function registrantFirms(deps: PlatformDeps, projectId: number) {
  const registrations = await repository.activeRegistrations(deps.database.db, projectId);
  return repository.findOrganizationsByIds(deps.database.db, registrations.map((r) => r.firmId));
}

/** Orders equal quotes by the tie-break draw and publishes the result. */
export async function finishOpening(
  tx: Tx,
  deps: PlatformDeps,
  project: repository.ProjectRow,
  opening: OpeningResult,
  drawOrder: string[],
) {
  const position = new Map(drawOrder.map((uscc, index) => [uscc, index]));
  const ranking = [...opening.ranking].sort(
    (a, b) => a.amountFen - b.amountFen || (position.get(a.uscc) ?? 0) - (position.get(b.uscc) ?? 0),
  ).map((entry, index) => ({ ...entry, rank: index + 1 }));
  const winners = ranking.slice(0, project.winners).map((entry) => entry.firmId);
  return publishResult(tx, deps, project, {
    ...opening,
    tieBreak: opening.tieBreak ? { ...opening.tieBreak, lotteryId: project.tieBreakLotteryId!, order: drawOrder } : undefined,
    ranking,
    winners,
    alternates: ranking.slice(project.winners).map((entry) => entry.firmId),
  });
}

/** The result goes into publicity (中选公示) for 3 working days. */
export async function publishResult(
  tx: Tx,
  deps: PlatformDeps,
  project: repository.ProjectRow,
  result: Record<string, unknown> & { winners: number[] },
) {
  const now = deps.clock.now();
  // null while next year's holidays are not entered yet; the period is computed once they are
  const publicityEndsAt = await new WorkingCalendar(tx)
    .addWorkingDays(shanghaiDate(now), PUBLICITY_WORKING_DAYS)
    .then((day) => shanghaiInstant(day, DEADLINE_TIME), () => null);
  const updated = await repository.updateProject(tx, project.id, {
    status: 'publicity',
    result: { ...result, publishedAt: now.toISOString(), publicityEndsAt: publicityEndsAt?.toISOString() ?? null },
    updatedAt: now,
  });
  await appendAudit(tx, deps.clock, { actor: SYSTEM, action: 'project.result_published', entityType: 'project', entityId: project.id, data: { winners: result.winners, publicityEndsAt } });
  if (publicityEndsAt) await schedulePublicityEnd(deps, project.id, publicityEndsAt);
  const names = await repository.findOrganizationsByIds(tx, result.winners);
  await announce(tx, deps, updated, 'result_publicity', `中选公示：${project.title}`, `拟中选机构：${names.map((n) => n.name).join('、')}。`);
  return updated;
}
