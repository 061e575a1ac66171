import { appendAudit } from '../audit/service.js';
import { summariesOf } from '../credit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Executor, Tx } from '../platform/db/index.js';
import { badRequest, conflict, forbidden, notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import * as repository from '../projects/repository.js';
import { eligibilityFor, notEligible } from '../projects/registration.js';
import { setWitnesses } from '../lottery/service.js';
import { isOwnerOf, isStaff, type ProjectOptions } from '../projects/service.js';
import { publishResult } from './settle.js';

const SYSTEM = 'system:selection';

export interface DrawnFirm {
  firmId: number;
  name: string;
  uscc: string;
}

/**
 * 信用择优: keeps the `size` registrants with the highest credit scores at registration close.
 * Firms tied with the last kept score all stay (no one is dropped by a tie it did not cause), so
 * the shortlist can be longer than `size`; the published rule says so.
 */
export async function applyCreditShortlist(tx: Tx, deps: PlatformDeps, project: repository.ProjectRow, eligible: number[]): Promise<number[]> {
  const size = (project.options as ProjectOptions).creditShortlist;
  if (size === undefined || eligible.length <= size) return eligible;
  const scores = await summariesOf(tx, eligible, project.registrationClosesAt);
  const scoreOf = (firmId: number) => scores.get(firmId)?.hundredths ?? 0;
  const ranked = [...eligible].sort((a, b) => scoreOf(b) - scoreOf(a));
  const cutScore = scoreOf(ranked[size - 1]!);
  const kept = ranked.filter((firmId) => scoreOf(firmId) >= cutScore);
  const dropped = ranked.filter((firmId) => scoreOf(firmId) < cutScore);
  for (const firmId of dropped) {
    const registration = await repository.findActiveRegistration(tx, project.id, firmId);
    if (registration) {
      await repository.updateRegistration(tx, registration.id, { status: 'invalid', statusReason: `credit_shortlist: ${scoreOf(firmId) / 100} < ${cutScore / 100}`, updatedAt: deps.clock.now() });
    }
  }
  await appendAudit(tx, deps.clock, {
    actor: SYSTEM,
    action: 'project.credit_shortlist',
    entityType: 'project',
    entityId: project.id,
    data: { size, cutScore: cutScore / 100, kept: kept.map((id) => ({ firmId: id, score: scoreOf(id) / 100 })), dropped: dropped.map((id) => ({ firmId: id, score: scoreOf(id) / 100 })) },
  });
  return kept;
}

/** Draw weights: 1 each, or each firm's credit score in hundredths (at least 1) when the project asks. */
export async function drawWeights(db: Executor, project: repository.ProjectRow, firmIds: number[]): Promise<Map<number, number>> {
  if (!(project.options as ProjectOptions).creditWeighted) return new Map(firmIds.map((id) => [id, 1]));
  const scores = await summariesOf(db, firmIds, project.registrationClosesAt);
  return new Map(firmIds.map((id) => [id, Math.max(1, scores.get(id)?.hundredths ?? 0)]));
}

/**
 * The draw order is final, but a firm barred since registration closed (blacklisted, suspended…)
 * cannot win: it is passed over in place, and everyone after it moves up. The randomness decided
 * the order before anyone could know who would be barred, so skipping favours no one.
 */
export async function passOverBarred(tx: Tx, deps: PlatformDeps, project: repository.ProjectRow, ordered: DrawnFirm[]) {
  const eligible: DrawnFirm[] = [];
  const passedOver: (DrawnFirm & { rules: string[] })[] = [];
  for (const firm of ordered) {
    const answer = await eligibilityFor(tx, deps, project, firm.firmId);
    if (answer.eligible) eligible.push(firm);
    else passedOver.push({ ...firm, rules: answer.failures.map((failure) => failure.rule) });
  }
  if (passedOver.length > 0) {
    await appendAudit(tx, deps.clock, { actor: SYSTEM, action: 'project.drawn_firms_passed_over', entityType: 'project', entityId: project.id, data: { passedOver } });
  }
  return { eligible, passedOver };
}

/** 自主选择: the owner picks the winners from the drawn shortlist, with a written reason. */
export async function chooseFromShortlist(deps: PlatformDeps, user: CurrentUser, projectId: number, firmIds: number[], reason: string) {
  return deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: true });
    if (!project || project.status === 'draft') throw notFound('Project');
    if (!isOwnerOf(user, project)) throw forbidden('Only the project owner chooses');
    if (project.status !== 'choosing') throw conflict('not_choosing', `The project is ${project.status}, not waiting for the owner's choice`).with({ status: project.status });
    const result = project.result as { lotteryId: string; shortlist: DrawnFirm[]; passedOver?: unknown[] };
    const chosen = [...new Set(firmIds)];
    if (chosen.length !== project.winners) {
      throw badRequest('validation_failed', `Choose exactly ${project.winners} firm(s)`, [{ path: 'body.firmIds', message: 'choose exactly the number of winners', params: { count: project.winners } }]).with({ count: project.winners });
    }
    const outside = chosen.filter((id) => !result.shortlist.some((firm) => firm.firmId === id));
    if (outside.length > 0) {
      throw badRequest('validation_failed', 'Only firms on the drawn shortlist can be chosen', [{ path: 'body.firmIds', message: 'not on the shortlist' }]);
    }
    for (const firmId of chosen) {
      const answer = await eligibilityFor(tx, deps, project, firmId);
      if (!answer.eligible) throw notEligible(answer.failures, 'be chosen');
    }
    await appendAudit(tx, deps.clock, { actor: `user:${user.id}`, action: 'project.owner_choice', entityType: 'project', entityId: projectId, data: { firmIds: chosen, reason } });
    const ranking = result.shortlist.map((firm, index) => ({ rank: index + 1, ...firm }));
    return publishResult(tx, deps, project, {
      kind: 'lottery',
      lotteryId: result.lotteryId,
      ownerChoice: { reason, chosen },
      ranking,
      ...(result.passedOver ? { passedOver: result.passedOver } : {}),
      winners: chosen,
      alternates: ranking.map((firm) => firm.firmId).filter((id) => !chosen.includes(id)),
    });
  });
}

/** Up to three people present at the project's draw, named by its owner or staff before the draw. */
export async function recordDrawWitnesses(deps: PlatformDeps, user: CurrentUser, projectId: number, witnesses: string[]) {
  const project = await repository.findProject(deps.database.db, projectId);
  if (!project || project.status === 'draft') throw notFound('Project');
  if (!isOwnerOf(user, project) && !isStaff(user)) throw forbidden('Only the owner or staff name witnesses');
  if (!project.lotteryId) throw conflict('no_draw', 'This project has no draw');
  const lottery = await setWitnesses(deps, `user:${user.id}`, project.lotteryId, witnesses);
  return { projectId, lotteryId: project.lotteryId, witnesses: lottery.witnesses };
}
