import type { PlatformDeps } from './platform/deps.js';
import type { DemoLoader } from './platform/demo.js';

/**
 * Features plug in here: job handlers and sweeper reconcilers are registered on the platform,
 * and each adds its demo data loader.
 */
export function registerDomains(_deps: PlatformDeps): { demoLoaders: DemoLoader[] } {
  return { demoLoaders: [] };
}
