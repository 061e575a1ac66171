import type { PlatformDeps } from '../platform/deps.js';
import type { Executor } from '../platform/db/index.js';
import { notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { fileSummaries, registerFileReadRule, type FileSummary } from '../platform/files/service.js';
import { isoShanghai } from '../platform/time.js';
import * as projects from '../projects/repository.js';
import { isOwnerOf } from '../projects/service.js';
import { settleProject } from '../selection/settle.js';
import * as repository from './repository.js';
import { RATING_ASPECTS } from './schemas.js';
import { CONTRACT_FILE_PURPOSE, DELIVERABLE_FILE_PURPOSE } from './service.js';
import { serviceTimer } from './timer.js';

const iso = (date: Date | null) => (date ? isoShanghai(date) : null);

/** The scores, their mean, and the comment unless staff hid it (the reason is shown instead). */
export function presentRating(rating: repository.RatingRow, extras: { projectTitle?: string; ownerName?: string } = {}) {
  const scores = Object.fromEntries(RATING_ASPECTS.map((aspect) => [aspect, rating[aspect]])) as Record<(typeof RATING_ASPECTS)[number], number>;
  const mean = RATING_ASPECTS.reduce((sum, aspect) => sum + rating[aspect], 0) / RATING_ASPECTS.length;
  return {
    id: rating.id,
    projectId: rating.projectId,
    contractId: rating.contractId,
    firmId: rating.firmId,
    ...extras,
    scores,
    mean: Math.round(mean * 10) / 10,
    comment: rating.commentHiddenAt ? null : rating.comment,
    commentHidden: rating.commentHiddenAt !== null,
    commentHiddenReason: rating.commentHiddenReason,
    ratedAt: isoShanghai(rating.ratedAt),
    reply: rating.reply,
    repliedAt: iso(rating.repliedAt),
  };
}

export type PresentedRating = ReturnType<typeof presentRating>;

/**
 * A project's contracts with their service timers, deliveries and ratings. Amounts, dates and
 * ratings are public; the files and the delivery note only for the owner, the firm and staff.
 */
export async function projectContracts(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number) {
  const project = await settleProject(deps, projectId);
  if (!project || project.status === 'draft') throw notFound('Project');
  const db = deps.database.db;
  const contracts = await repository.projectContracts(db, projectId);
  const ratings = new Map((await repository.projectRatings(db, projectId)).map((rating) => [rating.contractId, rating]));
  const firms = new Map((await projects.findOrganizationsByIds(db, contracts.map((c) => c.firmId))).map((org) => [org.id, org.name]));
  const files = await fileSummaries(db, contracts.flatMap((c) => [c.fileId, ...(c.deliveryFileIds ?? [])]));
  const now = deps.clock.now();
  const items = [];
  for (const contract of contracts) {
    const privileged = isStaff(viewer) || isOwnerOf(viewer, project) || (viewer?.role === 'agency' && viewer.organizationId === contract.firmId);
    const rating = ratings.get(contract.id);
    items.push({
      id: contract.id,
      awardId: contract.awardId,
      firmId: contract.firmId,
      firmName: firms.get(contract.firmId) ?? '',
      amountFen: contract.amountFen,
      signedOn: contract.signedOn,
      promisedDays: contract.promisedDays,
      recordedAt: isoShanghai(contract.recordedAt),
      deliveredAt: iso(contract.deliveredAt),
      completedAt: iso(contract.completedAt),
      timer: await serviceTimer(db, contract, now),
      rating: rating ? presentRating(rating) : null,
      ...(privileged
        ? {
            file: files.get(contract.fileId) ?? null,
            deliveryNote: contract.deliveryNote,
            deliveryFiles: (contract.deliveryFileIds ?? []).map((id) => files.get(id)).filter((file): file is FileSummary => file !== undefined),
          }
        : {}),
    });
  }
  return { items };
}

/** A firm's ratings for its public page, newest first, with the averages per aspect. */
export async function firmRatings(db: Executor, firmId: number) {
  const rows = await repository.firmRatings(db, firmId);
  const items = rows.map((row) => presentRating(row.rating, { projectTitle: row.projectTitle, ownerName: row.ownerName }));
  const average = (pick: (item: PresentedRating) => number) =>
    items.length ? Math.round((items.reduce((sum, item) => sum + pick(item), 0) / items.length) * 10) / 10 : null;
  return {
    count: items.length,
    averages: Object.fromEntries(RATING_ASPECTS.map((aspect) => [aspect, average((item) => item.scores[aspect])])),
    mean: average((item) => item.mean),
    items,
  };
}

/** Contract scans and deliverables open to the project's owner and the contracted firm. */
export function registerContractFileRules(): void {
  const partiesMayRead = async (db: Executor, user: CurrentUser | undefined, file: { id: number }) => {
    if (!user?.organizationId) return false;
    const referring = await repository.contractsReferringTo(db, file.id);
    return referring.some((contract) => contract.ownerId === user.organizationId || contract.firmId === user.organizationId);
  };
  registerFileReadRule(CONTRACT_FILE_PURPOSE, partiesMayRead);
  registerFileReadRule(DELIVERABLE_FILE_PURPOSE, partiesMayRead);
}
