import { verifyAuditChain } from '../src/audit/service.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/index.js';

/**
 * `npm run verify-audit`: recomputes the audit hash chain of the configured database.
 * Exit 0 when intact; exit 1 naming the first broken seq.
 */
try {
  const database = await openDatabase(loadConfig());
  const { checked, firstBreak } = await verifyAuditChain(database.db);
  await database.close();
  if (firstBreak) {
    console.log(`BROKEN at seq ${firstBreak.seq}: ${firstBreak.reason} (${firstBreak.detail}); ${checked} events verified before it`);
    process.exit(1);
  }
  console.log(`OK: ${checked} events, chain intact`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(2);
}
