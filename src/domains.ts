import { demoAccountsLoader } from './auth/demo.js';
import { createSessionStore } from './auth/middleware.js';
import { catalogueDemoLoader } from './catalog/demo.js';
import { creditDemoLoader } from './credit/demo.js';
import { demoFirmsLoader } from './firms/demo.js';
import { lotteryDemo } from './lottery/demo.js';
import type { PlatformDeps } from './platform/deps.js';
import { projectsDemoLoader } from './projects/demo.js';
import { registerProjectJobs } from './projects/jobs.js';
import type { DemoLoader } from './platform/demo.js';

/**
 * Features plug in here: job handlers and sweeper reconcilers are registered on the platform,
 * and each adds its demo data loader.
 */
export function registerDomains(deps: PlatformDeps): { demoLoaders: DemoLoader[] } {
  const sessionStore = createSessionStore(deps);
  deps.sweeper.add({ name: 'expired-sessions', run: () => sessionStore.purgeExpired() });
  registerProjectJobs(deps);
  return { demoLoaders: [demoAccountsLoader, catalogueDemoLoader, demoFirmsLoader, lotteryDemo, projectsDemoLoader, creditDemoLoader] };
}
