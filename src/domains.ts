import { demoAccountsLoader } from './auth/demo.js';
import { createSessionStore } from './auth/middleware.js';
import { catalogueDemoLoader } from './catalog/demo.js';
import { creditDemoLoader } from './credit/demo.js';
import { demoFirmsLoader } from './firms/demo.js';
import { lotteryDemo } from './lottery/demo.js';
import type { PlatformDeps } from './platform/deps.js';
import { projectsDemoLoader } from './projects/demo.js';
import { comparisonDemoLoader } from './comparison/demo.js';
import { awardsDemoLoader } from './awards/demo.js';
import { contractsDemoLoader } from './contracts/demo.js';
import { registerAuditJobs } from './audit/jobs.js';
import { registerProjectJobs } from './projects/jobs.js';
import { auctionDemoLoader } from './auction/demo.js';
import { registerAuctionJobs } from './auction/jobs.js';
import { registerNotificationJobs } from './notifications/jobs.js';
import { questionsDemoLoader } from './questions/demo.js';
import { registerQuestionDeadlines } from './questions/deadlines.js';
import type { DemoLoader } from './platform/demo.js';

/** The demo data set, in loading order (later loaders build on earlier ones' projects). */
export const DEMO_LOADERS: DemoLoader[] = [
  demoAccountsLoader,
  catalogueDemoLoader,
  demoFirmsLoader,
  lotteryDemo,
  projectsDemoLoader,
  comparisonDemoLoader,
  awardsDemoLoader,
  contractsDemoLoader,
  auctionDemoLoader,
  questionsDemoLoader,
  creditDemoLoader,
];

/**
 * Features plug in here: job handlers and sweeper reconcilers are registered on the platform,
 * and each adds its demo data loader.
 */
export function registerDomains(deps: PlatformDeps): { demoLoaders: DemoLoader[] } {
  const sessionStore = createSessionStore(deps);
  deps.sweeper.add({ name: 'expired-sessions', run: () => sessionStore.purgeExpired() });
  registerAuditJobs(deps);
  registerProjectJobs(deps);
  registerAuctionJobs(deps);
  registerNotificationJobs(deps);
  registerQuestionDeadlines();
  return { demoLoaders: DEMO_LOADERS };
}
