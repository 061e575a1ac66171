import type { PlatformDeps } from '../platform/deps.js';
import { notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { settleProject } from '../selection/settle.js';
import { presentProject } from './presenter.js';
import * as repository from './repository.js';
import { isOwnerOf, isStaff } from './service.js';

/** One project as this viewer may see it, brought up to date with the clock first. */
export async function getProject(deps: PlatformDeps, viewer: CurrentUser | undefined, id: number) {
  const project = await settleProject(deps, id);
  if (!project || (project.status === 'draft' && !isStaff(viewer) && !(viewer && isOwnerOf(viewer, project)))) throw notFound('Project');
  const [owner] = await repository.findOrganizationsByIds(deps.database.db, [project.ownerId]);
  return presentProject(project, viewer, { ownerName: owner?.name });
}

/** Published projects for everyone; an owner also sees its own drafts with `mine=true`. */
export async function listProjects(
  deps: PlatformDeps,
  viewer: CurrentUser | undefined,
  filter: { status?: string; method?: string; service?: string; mine?: boolean },
  page: { page: number; pageSize: number },
) {
  const mine = filter.mine && viewer?.role === 'owner' && viewer.organizationId ? viewer.organizationId : undefined;
  const { items, total } = await repository.listProjects(
    deps.database.db,
    { statuses: filter.status ? [filter.status] : undefined, method: filter.method, service: filter.service, ownerId: mine, publishedOnly: !mine },
    { offset: (page.page - 1) * page.pageSize, limit: page.pageSize },
  );
  const settled = [];
  for (const item of items) settled.push((await settleProject(deps, item.id)) ?? item);
  return { items: settled.map((project) => presentProject(project, viewer)), total, page: page.page, pageSize: page.pageSize };
}

export async function listAnnouncements(deps: PlatformDeps, page: { page: number; pageSize: number }, projectId?: number) {
  const { items, total } = await repository.listAnnouncements(deps.database.db, { offset: (page.page - 1) * page.pageSize, limit: page.pageSize }, projectId);
  return { items, total, page: page.page, pageSize: page.pageSize };
}
