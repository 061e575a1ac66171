import { appendAudit } from '../audit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import * as repository from '../projects/repository.js';
import { eligibilityFor, notEligible } from '../projects/registration.js';
import { isOwnerOf } from '../projects/service.js';
import { publishResult } from './settle.js';

/** 直接选取: the owner names one eligible firm with a written reason; the choice is public. */
export async function selectDirectly(deps: PlatformDeps, user: CurrentUser, projectId: number, firmId: number, reason: string) {
  return deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: true });
    if (!project || project.status === 'draft') throw notFound('Project');
    if (!isOwnerOf(user, project)) throw forbidden('Only the project owner selects');
    if (project.method !== 'direct') throw conflict('not_direct', 'This project does not use direct selection');
    if (project.status !== 'registering') throw conflict('already_selected', `The project is ${project.status}`).with({ status: project.status });
    const answer = await eligibilityFor(tx, deps, project, firmId);
    if (!answer.eligible) throw notEligible(answer.failures, 'be selected');
    const [firm] = await repository.findOrganizationsByIds(tx, [firmId]);
    await appendAudit(tx, deps.clock, { actor: `user:${user.id}`, action: 'project.direct_selection', entityType: 'project', entityId: projectId, data: { firmId, reason } });
    return publishResult(tx, deps, project, {
      kind: 'direct',
      reason,
      ranking: [{ rank: 1, firmId, name: firm!.name, uscc: firm!.uscc }],
      winners: [firmId],
      alternates: [],
    });
  });
}
