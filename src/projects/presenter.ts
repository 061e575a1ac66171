import type { CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import type { ProjectRow } from './repository.js';
import { isOwnerOf, isStaff, type ProjectOptions } from './service.js';
import { biddingOptionsOf } from '../auction/options.js';

const iso = (date: Date | null) => (date ? isoShanghai(date) : null);

/** Plans stay with the owner and staff; the public sees every price and the ranking. */
function publicResult(result: unknown, privileged: boolean) {
  if (!result || typeof result !== 'object') return null;
  const value = result as { ranking?: Record<string, unknown>[]; tieBreak?: { firmIds: number[] } };
  if (privileged) return value;
  return { ...value, ranking: value.ranking?.map(({ plan: _plan, planFiles: _planFiles, ...entry }) => entry) };
}

export function presentProject(project: ProjectRow, viewer: CurrentUser | undefined, extras: { ownerName?: string } = {}) {
  const privileged = isStaff(viewer) || (viewer !== undefined && isOwnerOf(viewer, project));
  const options = project.options as ProjectOptions;
  // a pending tie-break means the opening is not final; show it only once the order is drawn
  const result = project.status === 'drawing' ? null : publicResult(project.result, privileged);
  return {
    id: project.id,
    ownerId: project.ownerId,
    ownerName: extras.ownerName,
    serviceCode: project.serviceCode,
    title: project.title,
    description: project.description,
    budgetFen: project.budgetFen,
    method: project.method,
    winners: project.winners,
    minRespondents: project.minRespondents,
    minCreditGrade: project.minCreditGrade,
    quoteMode: project.quoteMode,
    quoteBaseFen: project.quoteBaseFen,
    options: { drawCount: options.drawCount, lotterySource: options.lotterySource, weights: options.weights, planCriteria: options.planCriteria, ...(project.method === 'bidding' ? biddingOptionsOf(project) : {}) },
    registrationClosesAt: iso(project.registrationClosesAt),
    submissionClosesAt: iso(project.submissionClosesAt),
    status: project.status,
    termsVersion: project.termsVersion,
    lotteryId: project.lotteryId,
    tieBreakLotteryId: project.tieBreakLotteryId,
    publishedAt: iso(project.publishedAt),
    outcomeReason: project.outcomeReason,
    clonedFrom: project.clonedFrom,
    result,
    ...(privileged ? { avoidFirms: project.avoidFirms } : {}),
  };
}
