import type { PlatformDeps } from '../platform/deps.js';
import type { ProjectRow } from '../projects/repository.js';
import { endPublicityIfDue, settleOffers } from './offers.js';

/** The settle step of a published result: publicity ending, offers lapsing or passing on. */
export async function settleAward(deps: PlatformDeps, project: ProjectRow): Promise<ProjectRow | undefined> {
  if (project.status === 'publicity') return endPublicityIfDue(deps, project);
  if (project.status === 'awarded') return settleOffers(deps, project);
  return undefined;
}
