import { ensureAdmin } from './auth/service.js';
import type { PlatformDeps } from './platform/deps.js';
import { loadDemoDataIfEmpty, type DemoLoader, type DemoLogin } from './platform/demo.js';

/**
 * What a start does to the data before serving: the demo set on the first start of an empty
 * embedded database, then the configured administrator. Demo data goes first because creating
 * the administrator writes an audit event, and a database with history is never given demo data.
 */
export async function prepareInstallation(
  deps: PlatformDeps,
  demoLoaders: readonly DemoLoader[],
): Promise<{ adminCreated: boolean; demo: { loaded: boolean; logins: DemoLogin[] } }> {
  const demo = deps.config.demoData && !deps.config.databaseUrl ? await loadDemoDataIfEmpty(deps, demoLoaders) : { loaded: false, logins: [] };
  const adminCreated = await ensureAdmin(deps);
  return { adminCreated, demo };
}
