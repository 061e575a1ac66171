import { demoAccountsLoader } from './auth/demo.js';
import { createSessionStore } from './auth/middleware.js';
import type { PlatformDeps } from './platform/deps.js';
import type { DemoLoader } from './platform/demo.js';

/**
 * Features plug in here: job handlers and sweeper reconcilers are registered on the platform,
 * and each adds its demo data loader.
 */
export function registerDomains(deps: PlatformDeps): { demoLoaders: DemoLoader[] } {
  const sessionStore = createSessionStore(deps);
  deps.sweeper.add({ name: 'expired-sessions', run: () => sessionStore.purgeExpired() });
  return { demoLoaders: [demoAccountsLoader] };
}
