/**
 * Accepted sealed submissions per second on the PostgreSQL server, with everything a real one
 * does: the read-time settle, the project share lock, the registration locks, every eligibility
 * rule, AES-256-GCM sealing, the receipt hash, the replaced previous quote, and the hash-chained
 * audit event of each submission. Submissions that arrive together are committed together (group
 * commit, src/platform/group-commit.ts), so each client's submission returns only after its batch
 * committed.
 *   npx tsx scripts/bench/submissions.ts [seconds=5] [firms=64]
 *   BENCH_CLIENTS=32 npx tsx scripts/bench/submissions.ts 10   (only some client counts)
 * It calls `submitSealed` directly (no HTTP, no token lookup) with a clock that runs in real time
 * but sits inside the project's submission window. One inquiry project; client c submits for
 * firms c, c + clients, … in turn (a firm's quotes are serialised by its registration row, as
 * they must be). Ceiling, in the same run: pgbench with ../shared/ceilings/pg-bid-100-projects.sql
 * at the same client counts, in its own scratch database.
 */
import { randomBytes } from 'node:crypto';
import { verifyAuditChain } from '../../src/audit/service.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import { submitSealed } from '../../src/selection/submissions.js';
import { aMarketplace, aRegisteredProject, seedDeps } from '../support/seed.js';
import { pgbenchTps, printTable, scratchDatabase } from './support.js';

const seconds = Number(process.argv[2] ?? 5);
const firmCount = Number(process.argv[3] ?? 64);
const CLIENTS = process.env.BENCH_CLIENTS ? process.env.BENCH_CLIENTS.split(',').map(Number) : [1, 8, 32];

const scratch = await scratchDatabase('zjcs_bench_submissions');
const ceilingDb = await scratchDatabase('zjcs_bench_submissions_ceiling');
try {
  const database = await openPostgresDatabase({ url: scratch.url, poolSize: 40 });
  await database.migrate();
  const deps = seedDeps(database, randomBytes(32), randomBytes(32).toString('hex'));
  deps.clock.setNow('2026-11-25T09:00:00+08:00');
  const market = await aMarketplace(deps, { firms: firmCount });
  const project = await aRegisteredProject(deps, market, {
    method: 'inquiry', title: '基准测试询价项目', serviceCode: market.serviceCodes[0]!,
    registrationCloses: new Date('2026-11-27T17:00:00+08:00'), submissionCloses: new Date('2026-12-31T17:00:00+08:00'),
  });
  const { firms } = market;
  deps.clock.setNow('2026-11-28T09:00:00+08:00'); // registration closed, submissions open for a month

  const submissionsPerSecond = async (clients: number) => {
    const until = Date.now() + seconds * 1000;
    let accepted = 0;
    const worker = async (client: number) => {
      for (let turn = 0; Date.now() < until; turn += 1) {
        const mine = firms.filter((_, index) => index % clients === client);
        const firm = mine[turn % mine.length]!;
        await submitSealed(deps, firm, project.id, { amountFen: 10_000_000 + (turn % 1000), promisedDays: 20, plan: '技术方案：按规范编制。' });
        accepted += 1;
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: clients }, (_, client) => worker(client)));
    return accepted / ((Date.now() - started) / 1000);
  };

  await submissionsPerSecond(Math.min(8, firmCount)); // warm-up: JIT, pool connections, plans
  const rows: Record<string, string | number>[] = [];
  for (const clients of CLIENTS) {
    const perSecond = await submissionsPerSecond(Math.min(clients, firmCount));
    const ceiling = pgbenchTps(ceilingDb.url, 'pg-bid-100-projects.sql', clients, seconds);
    rows.push({ clients, 'submissions/s': Math.round(perSecond), 'ceiling tps': Math.round(ceiling), ratio: (perSecond / ceiling).toFixed(2) });
  }
  const chain = await verifyAuditChain(database.db);
  await database.close();
  console.log(`sealed submissions via submitSealed (service call, no HTTP) on the PostgreSQL server; ${firmCount} registered firms, one project, ${seconds} s per row`);
  printTable(rows);
  console.log(`audit chain after the run: ${chain.checked} events, ${chain.firstBreak ? 'BROKEN' : 'intact'}`);
  console.log('ceiling: pgbench -M extended -j 2 with ../shared/ceilings/pg-bid-100-projects.sql (row lock on one of 100 projects, bid insert, audit insert), same clients and duration');
} finally {
  await scratch.drop();
  await ceilingDb.drop();
}
