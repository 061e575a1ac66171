import type { PlatformDeps } from '../platform/deps.js';
import { settleProject } from '../selection/settle.js';
import { findDueProjects, type ProjectRow } from './repository.js';

export const SETTLE_JOB = 'project.settle';

/** Jobs only make deadlines happen sooner; settleProject also runs on every read and sweep. */
export function registerProjectJobs(deps: PlatformDeps): void {
  deps.jobs.register<{ projectId: number }>(SETTLE_JOB, async ({ projectId }) => {
    await settleProject(deps, projectId);
  });
  deps.sweeper.add({
    name: 'due-projects',
    run: async () => {
      const due = await findDueProjects(deps.database.db, deps.clock.now());
      for (const id of due) await settleProject(deps, id);
      return due.length;
    },
  });
}

export async function scheduleDeadlines(deps: PlatformDeps, project: ProjectRow): Promise<void> {
  const deadlines = [project.registrationClosesAt, project.submissionClosesAt].filter((d): d is Date => d !== null);
  for (const at of deadlines) {
    await deps.jobs.schedule(SETTLE_JOB, { projectId: project.id }, { runAt: at, jobId: `settle:${project.id}:${project.termsVersion}:${at.getTime()}` });
  }
}
