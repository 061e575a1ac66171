import { eq } from 'drizzle-orm';
import { readAuditHead } from '../audit/service.js';
import type { PlatformDeps } from './deps.js';
import { appMeta } from './db/tables.js';

export interface DemoLogin {
  role: string;
  username: string;
  password: string;
  note?: string;
}

/** Each feature adds one: catalogue items, firms, projects in every state, demo accounts … */
export interface DemoLoader {
  name: string;
  load(deps: PlatformDeps): Promise<DemoLogin[] | void>;
}

const DEMO_MARKER = 'demo_data_loaded';

/**
 * Loads the demo data set on the first start of an empty database. "Empty" means nothing was
 * ever recorded (the audit chain is empty), so a real installation is never touched.
 */
export async function loadDemoDataIfEmpty(
  deps: PlatformDeps,
  loaders: readonly DemoLoader[],
): Promise<{ loaded: boolean; logins: DemoLogin[] }> {
  const db = deps.database.db;
  const [marker] = await db.select().from(appMeta).where(eq(appMeta.key, DEMO_MARKER));
  if (marker || (await readAuditHead(db)).seq > 0) return { loaded: false, logins: [] };
  const logins: DemoLogin[] = [];
  for (const loader of loaders) {
    deps.logger.info({ loader: loader.name }, 'loading demo data');
    logins.push(...((await loader.load(deps)) ?? []));
  }
  await db
    .insert(appMeta)
    .values({ key: DEMO_MARKER, value: { loaders: loaders.map((loader) => loader.name) }, updatedAt: deps.clock.now() })
    .onConflictDoNothing();
  return { loaded: true, logins };
}

export function formatDemoLogins(logins: DemoLogin[]): string {
  if (logins.length === 0) return 'Demo data loaded (no demo accounts yet).';
  const lines = logins.map(
    (login) => `  ${login.role.padEnd(8)} ${login.username.padEnd(20)} ${login.password}${login.note ? `  (${login.note})` : ''}`,
  );
  return ['Demo data loaded. Demo logins:', ...lines].join('\n');
}
