import { loadConfig, ConfigError } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/index.js';

/** `npm run migrate`: applies the SQL migrations in drizzle/ to the configured database. */
try {
  const config = loadConfig();
  const database = await openDatabase(config);
  await database.migrate();
  console.log(`Migrations applied (${database.kind}); current: ${await database.migrationsCurrent()}`);
  await database.close();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
