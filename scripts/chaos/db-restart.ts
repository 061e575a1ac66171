/**
 * Restarts PostgreSQL under load and checks that the web process survives it, answers 503 (not
 * 500) while the database is away, recovers by itself and loses no acknowledged write.
 *   npx tsx scripts/chaos/db-restart.ts [--restarts 10] [--load-seconds 4]
 * It initdb's a cluster of its own in a temporary directory (never the shared server on 5432),
 * seeds one sealed price inquiry open now with 16 firms holding API tokens, and starts the app
 * as a child (`node --import tsx src/main.ts`, no Redis, jobs in the web process). Clients on
 * 127.0.0.1 post sealed submissions and read pages while the cluster is stopped (`-m fast` and
 * `-m immediate` in turn), left down for a second and started again. An exit of the app is a
 * crash: counted, and the app is started again. Recovery time: from the cluster accepting
 * connections again to the first acknowledged submission. At the end every acknowledged
 * submission must be in the database and the audit chain must verify. Exit code 1 on a crash,
 * a 5xx other than 503, a lost write, a restart not recovered from, or a broken chain.
 * The cluster is stopped and removed at the end, also on an error or Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../../src/audit/service.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import { AppProcess, dyingWords, freePort, sleep, type UnexpectedExit } from './app.js';
import { ThrowawayCluster } from './cluster.js';
import { atExit } from './exit.js';
import { lostWrites } from './ledger.js';
import { Load, type LoadStats } from './load.js';
import { byStatus, median, printRows, seconds } from './report.js';
import { seedChaosScene } from './scene.js';

const { values: args } = parseArgs({ options: { restarts: { type: 'string', default: '10' }, 'load-seconds': { type: 'string', default: '4' } } });
const RESTARTS = Number(args.restarts);
const LOAD_MS = Number(args['load-seconds']) * 1000;
const FIRMS = 16;
const CLIENTS = { submitters: 4, readers: 2 };
const DOWN_MS = 1_000;
const RECOVERY_TIMEOUT_MS = 60_000;
const RESTART_BACKOFF_MS = 500;
const DATABASE = 'zjcs_chaos';

interface Restart {
  mode: 'fast' | 'immediate';
  /** Up again → first acknowledged submission; Infinity when none came within the timeout. */
  recoveryMs: number;
}

/** The app, started again whenever it exits on its own; `close` ends that. */
function supervisedApp(env: Record<string, string>, port: number) {
  let closing = false;
  const app: AppProcess = new AppProcess(env, port, () => {
    if (closing) return;
    setTimeout(() => {
      if (closing) return;
      app.start();
      void app.waitReady(RECOVERY_TIMEOUT_MS); // marks it ready, so its next exit counts as a crash
    }, RESTART_BACKOFF_MS);
  });
  return {
    app,
    close: async () => {
      closing = true;
      await app.stop();
    },
  };
}

async function waitForRecovery(stats: LoadStats, upAt: number): Promise<number> {
  const until = upAt + RECOVERY_TIMEOUT_MS;
  while (Date.now() < until) {
    const first = stats.firstSubmissionAckAfter(upAt);
    if (first !== undefined) return first - upAt;
    await sleep(20);
  }
  return Number.POSITIVE_INFINITY;
}

async function restartUnderLoad(cluster: ThrowawayCluster, stats: LoadStats): Promise<Restart[]> {
  const restarts: Restart[] = [];
  for (let i = 0; i < RESTARTS; i += 1) {
    await sleep(LOAD_MS);
    const mode = i % 2 === 0 ? 'fast' : 'immediate';
    await cluster.stop(mode);
    await sleep(DOWN_MS);
    await cluster.start();
    const recoveryMs = await waitForRecovery(stats, Date.now());
    restarts.push({ mode, recoveryMs });
    console.log(`restart ${i + 1}/${RESTARTS} (-m ${mode}): first acknowledged submission ${Number.isFinite(recoveryMs) ? `after ${seconds(recoveryMs)}` : `not within ${seconds(RECOVERY_TIMEOUT_MS)}`}`);
  }
  return restarts;
}

async function checkDatabase(url: string, stats: LoadStats) {
  const database = await openPostgresDatabase({ url, poolSize: 2 });
  try {
    const lost = await lostWrites(database.db, { submissions: stats.submissions, bids: [] });
    const chain = await verifyAuditChain(database.db);
    return { lost: lost.submissions.length, chain };
  } finally {
    await database.close();
  }
}

function printSummary(restarts: Restart[], exits: UnexpectedExit[], stats: LoadStats, check: Awaited<ReturnType<typeof checkDatabase>>) {
  const crashes = exits.filter((exit) => exit.wasReady);
  const recoveries = restarts.map((restart) => restart.recoveryMs);
  const recovered = recoveries.filter(Number.isFinite);
  console.log(`\ndb-restart: PostgreSQL 15 restarted under load (${CLIENTS.submitters} submitting clients, ${CLIENTS.readers} page readers, ${LOAD_MS / 1000} s of load between restarts, ${DOWN_MS / 1000} s down)`);
  printRows([
    ['restarts', `${restarts.length} (${restarts.filter((r) => r.mode === 'fast').length} -m fast, ${restarts.filter((r) => r.mode === 'immediate').length} -m immediate)`],
    ['process crashes (must be 0)', crashes.length],
    ['failed starts (app exited before ready)', exits.length - crashes.length],
    ['5xx other than 503 (must be 0)', stats.serverErrors],
    ['503 responses', stats.unavailable],
    ['requests without an answer', stats.networkErrors],
    ['responses by status', byStatus(stats.statuses)],
    ['acknowledged writes', `${stats.submissions.length} sealed submissions`],
    ['acknowledged writes lost (must be 0)', check.lost],
    ['recovery, up → first 201', `median ${seconds(median(recovered))}, max ${seconds(recovered.length ? Math.max(...recovered) : Number.NaN)}${recovered.length < restarts.length ? `, ${restarts.length - recovered.length} not recovered within ${seconds(RECOVERY_TIMEOUT_MS)}` : ''}`],
    ['audit chain', `${check.chain.firstBreak ? `BROKEN at seq ${check.chain.firstBreak.seq} (${check.chain.firstBreak.reason})` : 'intact'} (${check.chain.checked} events)`],
  ]);
  if (stats.serverErrorSamples.length) console.log(`\nsample of the 5xx bodies:\n${stats.serverErrorSamples.map((body) => `  ${body}`).join('\n')}`);
  if (crashes.length) console.log(`\nthe app's last output before its first crash (exit code ${crashes[0]!.code}, signal ${crashes[0]!.signal}):\n${dyingWords(crashes[0]!).map((line) => `  | ${line}`).join('\n')}`);
  return crashes.length > 0 || stats.serverErrors > 0 || check.lost > 0 || recovered.length < restarts.length || check.chain.firstBreak !== null;
}

async function main(): Promise<number> {
  const cluster = await ThrowawayCluster.create(await freePort());
  const cancelCleanup = atExit(() => cluster.destroy());
  let supervised: ReturnType<typeof supervisedApp> | undefined;
  const cancelKill = atExit(() => supervised?.app.killNow());
  try {
    await cluster.start();
    await cluster.createDatabase(DATABASE);
    const url = cluster.url(DATABASE);
    const submissionKey = randomBytes(32);
    const seedStarted = Date.now();
    const seeded = await openPostgresDatabase({ url, poolSize: 2 });
    await seeded.migrate();
    const scene = await seedChaosScene(seeded, submissionKey, { firms: FIRMS, auctions: 0, biddersPerAuction: 0 });
    await seeded.close();

    supervised = supervisedApp({
      DATABASE_URL: url, NODE_ENV: 'development', LOG_LEVEL: 'warn', SESSION_SECRET: randomBytes(32).toString('hex'),
      SUBMISSION_KEY: submissionKey.toString('hex'), AUDIT_SIGNING_KEY: randomBytes(32).toString('hex'), RUN_JOBS_IN_WEB: 'on', DEMO_DATA: 'off',
    }, await freePort());
    const appStarted = Date.now();
    supervised.app.start();
    if (!(await supervised.app.waitReady(120_000))) throw new Error(`the app did not become ready:\n${supervised.app.unexpectedExits.at(-1)?.tail.join('\n') ?? ''}`);
    console.log(`seeded ${FIRMS} firms and one open inquiry in ${seconds(appStarted - seedStarted)}; the app was ready in ${seconds(Date.now() - appStarted)}`);
    const load = new Load(supervised.app.baseUrl, scene);
    load.start(CLIENTS);
    const restarts = await restartUnderLoad(cluster, load.stats);
    await load.stop();
    await supervised.close();
    const failed = printSummary(restarts, supervised.app.unexpectedExits, load.stats, await checkDatabase(url, load.stats));
    return failed ? 1 : 0;
  } finally {
    supervised?.app.killNow();
    cancelKill();
    cluster.destroy();
    cancelCleanup();
  }
}

process.exitCode = await main();
