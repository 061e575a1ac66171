import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Clock } from './clock.js';
import type { Database } from './db/index.js';
import { appMeta } from './db/tables.js';

/**
 * A random secret generated once per installation and kept in the database, so development
 * and the embedded default need no configuration and sessions survive restarts. Production
 * must set SESSION_SECRET (config enforces it).
 */
export async function installationSecret(database: Database, key: string, clock: Clock): Promise<string> {
  await database.db
    .insert(appMeta)
    .values({ key, value: randomBytes(32).toString('hex'), updatedAt: clock.now() })
    .onConflictDoNothing();
  const [row] = await database.db.select().from(appMeta).where(eq(appMeta.key, key));
  return String(row!.value);
}
