/**
 * Audit appends per second: each append is its own transaction (lock the chain head, insert the
 * hash-chained event, move the head), as a command would do it.
 *   npx tsx scripts/bench/audit-append.ts [seconds=5]
 * The ceiling is pgbench on the same server in the same run: every append contends on one head
 * row, so the comparable ceiling is ../shared/ceilings/pg-bid-one-project.sql (everyone on one
 * project) with the same number of clients.
 */
import { appendAudit, verifyAuditChain } from '../../src/audit/service.js';
import { SystemClock } from '../../src/platform/clock.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import type { Database } from '../../src/platform/db/index.js';
import { pgbenchTps, printTable, scratchDatabase } from './support.js';

const seconds = Number(process.argv[2] ?? 5);
const clock = new SystemClock();

async function appendsPerSecond(database: Database, clients: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let count = 0;
  const worker = async (client: number) => {
    while (Date.now() < until) {
      await database.transaction((tx) =>
        appendAudit(tx, clock, {
          actor: `user:${client}`,
          action: 'bid.submitted',
          entityType: 'project',
          entityId: count % 100,
          data: { amountFen: 1_234_500, round: 2 },
        }),
      );
      count += 1;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: clients }, (_, client) => worker(client)));
  return count / ((Date.now() - started) / 1000);
}

const rows: Record<string, string | number>[] = [];

const embedded = await openPgliteDatabase();
await embedded.migrate();
rows.push({ database: 'PGlite (in memory)', clients: 1, 'appends/s': Math.round(await appendsPerSecond(embedded, 1)), 'ceiling tps': '-', ratio: '-' });
rows.push({ database: 'PGlite (in memory)', clients: 8, 'appends/s': Math.round(await appendsPerSecond(embedded, 8)), 'ceiling tps': '-', ratio: '-' });
const embeddedCheck = await verifyAuditChain(embedded.db);
await embedded.close();

const scratch = await scratchDatabase('zjcs_bench_audit');
// the ceiling script drops and creates its own `projects` table: it gets a database of its own
const ceilingDb = await scratchDatabase('zjcs_bench_audit_ceiling');
try {
  const server = await openPostgresDatabase({ url: scratch.url, poolSize: 32 });
  await server.migrate();
  for (const clients of [1, 8, 32]) {
    const appends = await appendsPerSecond(server, clients);
    const ceiling = pgbenchTps(ceilingDb.url, 'pg-bid-one-project.sql', clients, seconds);
    rows.push({
      database: 'PostgreSQL server',
      clients,
      'appends/s': Math.round(appends),
      'ceiling tps': Math.round(ceiling),
      ratio: (appends / ceiling).toFixed(2),
    });
  }
  const serverCheck = await verifyAuditChain(server.db);
  await server.close();
  printTable(rows);
  console.log(`chain verified after the run: PGlite ${embeddedCheck.checked} events ${embeddedCheck.firstBreak ? 'BROKEN' : 'intact'}; server ${serverCheck.checked} events ${serverCheck.firstBreak ? 'BROKEN' : 'intact'}`);
  console.log('ceiling: pgbench -M extended -j 2 with ../shared/ceilings/pg-bid-one-project.sql, same clients and duration');
} finally {
  await scratch.drop();
  await ceilingDb.drop();
}
