import type { PlatformDeps } from '../platform/deps.js';
import { SETTLE_JOB } from '../projects/jobs.js';
import * as repository from './repository.js';

/** A settle at every pending offer's deadline; reads and the sweeper settle it anyway. */
export async function scheduleOfferDeadlines(deps: PlatformDeps, projectId: number): Promise<void> {
  const offers = (await repository.projectAwards(deps.database.db, projectId)).filter((award) => award.status === 'offered' && award.respondBy);
  for (const offer of offers) {
    await deps.jobs.schedule(SETTLE_JOB, { projectId }, { runAt: offer.respondBy!, jobId: `settle:${projectId}:award:${offer.id}:${offer.respondBy!.getTime()}` });
  }
}

export async function schedulePublicityEnd(deps: PlatformDeps, projectId: number, at: Date): Promise<void> {
  await deps.jobs.schedule(SETTLE_JOB, { projectId }, { runAt: at, jobId: `settle:${projectId}:publicity:${at.getTime()}` });
}
