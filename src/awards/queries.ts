import type { PlatformDeps } from '../platform/deps.js';
import { notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import * as projects from '../projects/repository.js';
import { isOwnerOf } from '../projects/service.js';
import { settleProject } from '../selection/settle.js';
import { presentObjections } from './objections.js';
import { publicityEndsAt, resultOf } from './offers.js';
import * as repository from './repository.js';

const AFTER_RESULT = new Set(['publicity', 'awarded', 'contracted', 'delivered', 'completed', 'failed']);

export function presentAward(award: repository.AwardRow, firmName?: string) {
  return {
    id: award.id,
    firmId: award.firmId,
    firmName,
    rank: award.rank,
    amountFen: award.amountFen,
    promisedDays: award.promisedDays,
    status: award.status,
    offeredAt: award.offeredAt,
    respondBy: award.respondBy,
    respondedAt: award.respondedAt,
    reason: award.reason,
  };
}

/** The publicity period, objections and award offers of a project, settled with the clock first. */
export async function awardOverview(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number) {
  const project = await settleProject(deps, projectId);
  if (!project || (project.status === 'draft' && !isStaff(viewer) && !(viewer && isOwnerOf(viewer, project)))) throw notFound('Project');
  const db = deps.database.db;
  const result = AFTER_RESULT.has(project.status) && project.result && 'winners' in (project.result as object) ? resultOf(project) : undefined;
  const awards = await repository.projectAwards(db, projectId);
  const names = new Map((await projects.findOrganizationsByIds(db, awards.map((award) => award.firmId))).map((firm) => [firm.id, firm.name]));
  const mine = viewer?.role === 'agency' ? awards.find((award) => award.firmId === viewer.organizationId) : undefined;
  return {
    projectId,
    status: project.status,
    publishedAt: result?.publishedAt ?? null,
    publicityEndsAt: result ? publicityEndsAt(project) : null,
    winners: result?.winners ?? [],
    alternates: result?.alternates ?? [],
    voided: result?.voided ?? [],
    offers: awards.map((award) => presentAward(award, names.get(award.firmId))),
    myOffer: mine ? presentAward(mine, names.get(mine.firmId)) : null,
    objections: await presentObjections(deps, viewer, await repository.projectObjections(db, projectId)),
  };
}
