import type { PlatformDeps } from '../platform/deps.js';
import { settleProject } from '../selection/settle.js';
import { runningAuctionIds } from './repository.js';
import { AUCTION_TURN_JOB } from './service.js';

/**
 * A job at each turn deadline announces the turn change (nobody writes when a turn times out)
 * and ends the auction after its last turn; the sweeper does the same for any auction a lost
 * job left behind, and every read computes the state from the clock anyway.
 */
export function registerAuctionJobs(deps: PlatformDeps): void {
  deps.jobs.register<{ projectId: number }>(AUCTION_TURN_JOB, async ({ projectId }) => {
    await settleProject(deps, projectId);
  });
  deps.sweeper.add({
    name: 'running-auctions',
    run: async () => {
      const ids = await runningAuctionIds(deps.database.db);
      for (const id of ids) await settleProject(deps, id);
      return ids.length;
    },
  });
}
