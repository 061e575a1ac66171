import { appendAudit } from '../audit/service.js';
import { activeEntriesOf } from '../blacklist/repository.js';
import { recordEvent } from '../credit/service.js';
import type { RuleFailure } from '../firms/eligibility.js';
import { WorkingCalendar } from '../platform/calendar/calendar.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Executor, Tx } from '../platform/db/index.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { shanghaiDate, shanghaiInstant } from '../platform/time.js';
import * as projects from '../projects/repository.js';
import { eligibilityFor, notEligible } from '../projects/registration.js';
import { announce, DEADLINE_TIME } from '../projects/service.js';
import { fail, settleProject } from '../selection/settle.js';
import { scheduleOfferDeadlines } from './jobs.js';
import * as repository from './repository.js';
import { clockAt } from '../platform/clock.js';
import { markContractedIfSigned } from '../contracts/contracted.js';

/** The winner (and each alternate after it) has this many working days to accept, until 17:00. */
export const AWARD_RESPONSE_WORKING_DAYS = 5;
export const SYSTEM_AWARDS = 'system:awards';

interface RankedEntry {
  firmId: number;
  amountFen?: number;
  promisedDays?: number;
}

/** The published result as publishResult stores it in `project.result`. */
export interface PublishedResult {
  ranking?: RankedEntry[];
  winners: number[];
  alternates: number[];
  publishedAt: string;
  publicityEndsAt: string | null;
  /** Winners dropped by an upheld objection, oldest first. */
  voided?: { firmIds: number[]; objectionId: number; at: string }[];
}

export const resultOf = (project: projects.ProjectRow) => project.result as PublishedResult;

export function publicityEndsAt(project: projects.ProjectRow): Date | null {
  const ends = resultOf(project)?.publicityEndsAt;
  return ends ? new Date(ends) : null;
}

/** 17:00 Shanghai on the 5th working day after `from`; null while that year's calendar is missing. */
export async function responseDeadline(db: Executor, from: Date): Promise<Date | null> {
  return new WorkingCalendar(db)
    .addWorkingDays(shanghaiDate(from), AWARD_RESPONSE_WORKING_DAYS)
    .then((day) => shanghaiInstant(day, DEADLINE_TIME), () => null);
}

/** Winners first, then alternates: the order in which the award is offered. */
function candidateOrder(result: PublishedResult): number[] {
  return [...result.winners, ...result.alternates];
}

function rankedEntry(result: PublishedResult, firmId: number): { rank: number; amountFen: number | null; promisedDays: number | null } {
  const ranking: RankedEntry[] = result.ranking ?? candidateOrder(result).map((id) => ({ firmId: id }));
  const index = ranking.findIndex((entry) => entry.firmId === firmId);
  const entry = ranking[index];
  return { rank: index + 1, amountFen: entry?.amountFen ?? null, promisedDays: entry?.promisedDays ?? null };
}

const ruleNames = (failures: RuleFailure[]) => failures.map((failure) => failure.rule).join(', ');

/**
 * Offers the award to the next firm of the ranking that has had no offer yet (never a re-draw).
 * A firm no longer eligible at `at` is skipped with the failed rules named. Undefined when the
 * ranking is exhausted.
 */
async function offerNext(tx: Tx, deps: PlatformDeps, project: projects.ProjectRow, at: Date) {
  const result = resultOf(project);
  const seen = new Set((await repository.projectAwards(tx, project.id)).map((award) => award.firmId));
  for (const firmId of candidateOrder(result)) {
    if (seen.has(firmId)) continue;
    const entry = rankedEntry(result, firmId);
    const answer = await eligibilityFor(tx, { clock: clockAt(at) }, project, firmId);
    if (!answer.eligible) {
      const skipped = await repository.insertAward(tx, { projectId: project.id, firmId, ...entry, status: 'skipped', offeredAt: at, reason: ruleNames(answer.failures) });
      await appendAudit(tx, deps.clock, { actor: SYSTEM_AWARDS, action: 'award.skipped', entityType: 'project', entityId: project.id, data: { awardId: skipped.id, firmId, rules: answer.failures.map((f) => f.rule) } });
      continue;
    }
    const respondBy = await responseDeadline(tx, at);
    const offer = await repository.insertAward(tx, { projectId: project.id, firmId, ...entry, status: 'offered', offeredAt: at, respondBy });
    await appendAudit(tx, deps.clock, { actor: SYSTEM_AWARDS, action: 'award.offered', entityType: 'project', entityId: project.id, data: { awardId: offer.id, firmId, rank: entry.rank, respondBy } });
    return offer;
  }
  return undefined;
}

/** After an offer ends unanswered, declined or refused: the next alternate, or failure (流标). */
async function passOn(tx: Tx, deps: PlatformDeps, project: projects.ProjectRow, at: Date) {
  const offer = await offerNext(tx, deps, project, at);
  if (offer) {
    const [firm] = await projects.findOrganizationsByIds(tx, [offer.firmId]);
    await announce(tx, deps, project, 'award_passed_on', `递补中选：${project.title}`, `中选资格依次递补至第 ${offer.rank} 名 ${firm?.name ?? ''}。`);
    return project;
  }
  const remaining = (await repository.projectAwards(tx, project.id)).filter((award) => award.status === 'offered' || award.status === 'accepted');
  // the other winners keep their awards; once all of theirs are signed the project is contracted
  if (remaining.length > 0) return markContractedIfSigned(tx, deps, project);
  return fail(tx, deps, project, '中选机构放弃或逾期未确认，候补机构已依次递补完毕', 'alternates_exhausted');
}

/**
 * The end of publicity (公示期满): with no objection left undecided, the project becomes
 * `awarded` and each winner is offered the award. Publicity ends at its deadline or, when an
 * objection held it open, at the last decision.
 */
export async function endPublicityIfDue(deps: PlatformDeps, project: projects.ProjectRow) {
  const endsAt = publicityEndsAt(project);
  if (!endsAt || endsAt > deps.clock.now()) return undefined;
  if ((await repository.countUndecidedObjections(deps.database.db, project.id)) > 0) return undefined;
  const updated = await deps.database.transaction(async (tx) => {
    const current = await projects.findProject(tx, project.id, { lock: true });
    if (!current || current.status !== 'publicity' || publicityEndsAt(current)?.getTime() !== endsAt.getTime()) return current;
    const objections = await repository.projectObjections(tx, project.id);
    if (objections.some((objection) => !objection.decision)) return current;
    const at = new Date(Math.max(endsAt.getTime(), ...objections.map((objection) => objection.decidedAt!.getTime())));
    const awarded = await projects.updateProject(tx, project.id, { status: 'awarded', updatedAt: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor: SYSTEM_AWARDS, action: 'project.awarded', entityType: 'project', entityId: project.id, data: { at, winners: resultOf(current).winners } });
    const offers = [];
    for (let i = 0; i < resultOf(current).winners.length; i += 1) {
      const offer = await offerNext(tx, deps, awarded, at);
      if (offer) offers.push(offer);
    }
    if (offers.length === 0) return fail(tx, deps, awarded, '公示期满，中选及候补机构均已不具备中选资格', 'alternates_exhausted');
    const names = await projects.findOrganizationsByIds(tx, offers.map((offer) => offer.firmId));
    await announce(tx, deps, awarded, 'awarded', `中选通知：${current.title}`, `公示期满，无成立的异议。中选机构：${names.map((n) => n.name).join('、')}，须在 ${AWARD_RESPONSE_WORKING_DAYS} 个工作日内确认。`);
    return awarded;
  });
  await scheduleOfferDeadlines(deps, project.id);
  return updated;
}

/** The moment a pending offer stops counting: unanswered by its deadline, or the firm no longer eligible. */
async function offerEnd(deps: PlatformDeps, tx: Tx, project: projects.ProjectRow, offer: repository.AwardRow, now: Date) {
  const lapse = offer.respondBy && offer.respondBy <= now ? offer.respondBy : undefined;
  const answer = await eligibilityFor(tx, deps, project, offer.firmId);
  if (answer.eligible) return lapse ? { kind: 'lapsed' as const, at: lapse } : undefined;
  // a blacklist entry counts from the second it took effect; other rules from when we notice
  const entries = await activeEntriesOf(tx, [offer.firmId], now);
  const since = entries.length > 0 ? new Date(Math.min(...entries.map((entry) => entry.startsAt.getTime()))) : now;
  const ineligibleAt = new Date(Math.max(since.getTime(), offer.offeredAt!.getTime()));
  if (lapse && lapse <= ineligibleAt) return { kind: 'lapsed' as const, at: lapse };
  return { kind: 'skipped' as const, at: ineligibleAt, reason: ruleNames(answer.failures) };
}

/** Lapses unanswered offers and passes on those of firms no longer eligible, until nothing is due. */
export async function settleOffers(deps: PlatformDeps, project: projects.ProjectRow) {
  const now = deps.clock.now();
  const pending = (await repository.projectAwards(deps.database.db, project.id)).filter((award) => award.status === 'offered');
  let due = false;
  for (const offer of pending) {
    const answer = offer.respondBy && offer.respondBy <= now ? true : !(await eligibilityFor(deps.database.db, deps, project, offer.firmId)).eligible;
    due ||= answer;
  }
  if (!due) return undefined;
  const updated = await deps.database.transaction(async (tx) => {
    let current = await projects.findProject(tx, project.id, { lock: true });
    for (let guard = 0; current?.status === 'awarded' && guard < 100; guard += 1) {
      const offers = (await repository.projectAwards(tx, project.id)).filter((award) => award.status === 'offered');
      let ended: { offer: repository.AwardRow; end: NonNullable<Awaited<ReturnType<typeof offerEnd>>> } | undefined;
      for (const offer of offers) {
        const end = await offerEnd(deps, tx, current, offer, now);
        if (end && (!ended || end.at < ended.end.at)) ended = { offer, end };
      }
      if (!ended) break;
      const { offer, end } = ended;
      if (end.kind === 'lapsed') {
        await repository.updateAward(tx, offer.id, { status: 'lapsed', reason: 'no_answer_by_deadline' });
        await recordEvent(tx, deps, SYSTEM_AWARDS, { firmId: offer.firmId, kind: 'award_abandoned', occurredAt: end.at, source: `project:${project.id}`, note: `未在确认期限内确认中选（项目 ${project.id}）` });
      } else {
        await repository.updateAward(tx, offer.id, { status: 'skipped', reason: end.reason });
      }
      await appendAudit(tx, deps.clock, { actor: SYSTEM_AWARDS, action: `award.${end.kind}`, entityType: 'project', entityId: project.id, data: { awardId: offer.id, firmId: offer.firmId, at: end.at, reason: end.kind === 'skipped' ? end.reason : undefined } });
      current = await passOn(tx, deps, current, end.at);
    }
    return current;
  });
  await scheduleOfferDeadlines(deps, project.id);
  return updated;
}

function requireFirm(user: CurrentUser): number {
  if (user.role !== 'agency' || !user.organizationId) throw forbidden('Only the firm offered the award can answer');
  return user.organizationId;
}

/** Locks the project and the firm's pending offer, refusing everyone else. */
async function lockOffer(tx: Tx, deps: PlatformDeps, projectId: number, firmId: number, checkEligibility: boolean) {
  const project = await projects.findProject(tx, projectId, { lock: true });
  if (!project || project.status === 'draft') throw notFound('Project');
  const award = (await repository.projectAwards(tx, projectId)).find((row) => row.firmId === firmId);
  if (!award) throw forbidden('The award was not offered to this firm');
  if (checkEligibility && (award.status === 'offered' || award.status === 'skipped')) {
    const answer = await eligibilityFor(tx, deps, project, firmId);
    if (!answer.eligible) throw notEligible(answer.failures, 'accept the award');
  }
  if (award.status !== 'offered' || project.status !== 'awarded') throw conflict('offer_closed', `The offer is ${award.status}; it can no longer be answered`);
  if (award.respondBy && award.respondBy <= deps.clock.now()) throw conflict('offer_closed', 'The deadline to answer has passed');
  return { project, award };
}

export async function acceptAward(deps: PlatformDeps, user: CurrentUser, projectId: number) {
  const firmId = requireFirm(user);
  await settleProject(deps, projectId);
  return deps.database.transaction(async (tx) => {
    const { project, award } = await lockOffer(tx, deps, projectId, firmId, true);
    const accepted = await repository.updateAward(tx, award.id, { status: 'accepted', respondedAt: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor: `user:${user.id}`, action: 'award.accepted', entityType: 'project', entityId: projectId, data: { awardId: award.id, firmId } });
    const [firm] = await projects.findOrganizationsByIds(tx, [firmId]);
    await announce(tx, deps, project, 'award_accepted', `中选确认：${project.title}`, `${firm?.name ?? ''} 已确认中选。`);
    return accepted;
  });
}

export async function declineAward(deps: PlatformDeps, user: CurrentUser, projectId: number, reason: string) {
  const firmId = requireFirm(user);
  await settleProject(deps, projectId);
  const declined = await deps.database.transaction(async (tx) => {
    const { project, award } = await lockOffer(tx, deps, projectId, firmId, false);
    const now = deps.clock.now();
    const row = await repository.updateAward(tx, award.id, { status: 'declined', respondedAt: now, reason });
    await appendAudit(tx, deps.clock, { actor: `user:${user.id}`, action: 'award.declined', entityType: 'project', entityId: projectId, data: { awardId: award.id, firmId, reason } });
    await recordEvent(tx, deps, SYSTEM_AWARDS, { firmId, kind: 'award_declined', source: `project:${projectId}`, note: `放弃中选（项目 ${projectId}）：${reason}` });
    await passOn(tx, deps, project, now);
    return row;
  });
  await scheduleOfferDeadlines(deps, projectId);
  return declined;
}

