/**
 * kill -9 of the web process at random moments under concurrent sealed submissions and auction
 * bids: no write the app acknowledged (201) may be missing afterwards, and the audit chain must
 * still verify.
 *   npx tsx scripts/chaos/crash.ts [--db pglite|postgres|both] [--rounds 20]
 * Per database mode (both by default): seeds one sealed price inquiry open now and four bidding
 * projects whose live auctions have just started (16 firms with API tokens, 10 bidders per
 * auction), then per round starts the app as a child (`node --import tsx src/main.ts`), waits
 * for /readyz, lets the clients on 127.0.0.1 load it for a random 0.5–3 s and kills it with
 * SIGKILL while requests are in flight. After the last kill the database is opened directly
 * (PGlite recovers its files like a restarted app would) and every acknowledged submission and
 * bid is looked up.
 * - `pglite`: the embedded default, DATA_DIR in a temporary directory and no DATABASE_URL; the
 *   seeding runs on that DATA_DIR first (one process at a time), generating the submission key
 *   file the app then reads.
 * - `postgres`: a scratch database on the shared server (TEST_DATABASE_URL, DATABASE_URL or
 *   postgres://postgres@127.0.0.1:5432), dropped at the end.
 * Exit code 1 on any lost write, broken chain or round whose app did not come up.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../../src/audit/service.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/index.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import { loadSubmissionKey } from '../../src/platform/secrets.js';
import { scratchDatabase, serverUrl } from '../bench/support.js';
import { AppProcess, dyingWords, freePort, sleep } from './app.js';
import { atExit } from './exit.js';
import { lostWrites } from './ledger.js';
import { Load } from './load.js';
import { median, printRows, seconds } from './report.js';
import { type ChaosScene, seedChaosScene } from './scene.js';

const { values: args } = parseArgs({ options: { db: { type: 'string', default: 'both' }, rounds: { type: 'string', default: '20' } } });
const ROUNDS = Number(args.rounds);
const MODES = args.db === 'both' ? (['pglite', 'postgres'] as const) : [args.db as 'pglite' | 'postgres'];
const SIZE = { firms: 16, auctions: 4, biddersPerAuction: 10 };
const CLIENTS = { submitters: 3, bidders: 2 };
const READY_TIMEOUT_MS = 120_000;

/** A database to seed, run the app on and check afterwards, and how to remove it. */
interface Target {
  /** The app's database variables. */
  env: Record<string, string>;
  open(): Promise<Database>;
  submissionKey(): Buffer;
  remove(): Promise<void>;
}

function pgliteTarget(): Target {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zjcs-chaos-pglite-'));
  const cancel = atExit(() => rmSync(dataDir, { recursive: true, force: true }));
  return {
    env: { DATA_DIR: dataDir },
    open: () => openPgliteDatabase(path.join(dataDir, 'pglite')),
    // what the app does without SUBMISSION_KEY: generate DATA_DIR/submission.key once, then read it
    submissionKey: () => loadSubmissionKey(loadConfig({ DATA_DIR: dataDir, DEMO_DATA: 'off' })).key,
    remove: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      cancel();
    },
  };
}

async function postgresTarget(): Promise<Target> {
  const scratch = await scratchDatabase('zjcs_chaos_crash');
  const name = new URL(scratch.url).pathname.slice(1);
  const cancel = atExit(() => execFileSync('psql', [serverUrl(), '-q', '-c', `drop database if exists "${name}" with (force)`], { stdio: 'ignore' }));
  const key = randomBytes(32);
  return {
    env: { DATABASE_URL: scratch.url, SUBMISSION_KEY: key.toString('hex'), AUDIT_SIGNING_KEY: randomBytes(32).toString('hex') },
    open: () => openPostgresDatabase({ url: scratch.url, poolSize: 2 }),
    submissionKey: () => key,
    remove: async () => {
      await scratch.drop();
      cancel();
    },
  };
}

async function seed(target: Target): Promise<ChaosScene> {
  const database = await target.open();
  try {
    await database.migrate();
    return await seedChaosScene(database, target.submissionKey(), SIZE);
  } finally {
    await database.close(); // PGlite: the app may open the files only after this
  }
}

interface Rounds {
  completed: number;
  /** Start → /readyz, per round. */
  startMs: number[];
  failure?: string;
}

/** Start, wait for /readyz, load for 0.5–3 s, kill -9; `rounds` times. */
async function killRounds(app: AppProcess): Promise<Rounds> {
  const result: Rounds = { completed: 0, startMs: [] };
  for (let round = 1; round <= ROUNDS; round += 1) {
    const started = Date.now();
    app.start();
    if (!(await app.waitReady(READY_TIMEOUT_MS))) {
      await app.kill9();
      const exit = app.unexpectedExits.at(-1);
      const tail = exit ? dyingWords(exit).join('\n  | ') : '';
      result.failure = `round ${round}: the app was not ready within ${seconds(READY_TIMEOUT_MS)}${tail ? `; its last output:\n  | ${tail}` : ''}`;
      return result;
    }
    result.startMs.push(Date.now() - started);
    await sleep(500 + Math.random() * 2500);
    await app.kill9();
    result.completed = round;
  }
  return result;
}

async function runMode(mode: 'pglite' | 'postgres'): Promise<boolean> {
  const target = mode === 'pglite' ? pgliteTarget() : await postgresTarget();
  let app: AppProcess | undefined;
  const cancelKill = atExit(() => app?.killNow());
  try {
    const seedStarted = Date.now();
    const scene = await seed(target);
    console.log(`${mode}: seeded ${SIZE.firms} firms, 1 open inquiry and ${scene.auctions.length} live auctions in ${seconds(Date.now() - seedStarted)}`);
    app = new AppProcess({ ...target.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', SESSION_SECRET: randomBytes(32).toString('hex'), RUN_JOBS_IN_WEB: 'on', DEMO_DATA: 'off' }, await freePort());
    const load = new Load(app.baseUrl, scene);
    load.start(CLIENTS);
    const rounds = await killRounds(app);
    await load.stop();

    // the app is dead (kill -9): the files and rows are exactly what it left
    const database = await target.open();
    const lost = await lostWrites(database.db, load.stats);
    const chain = await verifyAuditChain(database.db);
    await database.close();

    const { stats } = load;
    const lostCount = lost.submissions.length + lost.bids.length;
    console.log(`\ncrash (${mode}): kill -9 of the web process under ${CLIENTS.submitters} submitting and ${CLIENTS.bidders} bidding clients`);
    printRows([
      ['rounds (start, load 0.5–3 s, kill -9)', `${rounds.completed}/${ROUNDS}`],
      ['start → ready', `median ${seconds(median(rounds.startMs))}, max ${seconds(rounds.startMs.length ? Math.max(...rounds.startMs) : Number.NaN)}`],
      ['acknowledged', `${stats.submissions.length + stats.bids.length} (${stats.submissions.length} sealed submissions, ${stats.bids.length} auction actions; ${stats.auctionsFinished} of ${scene.auctions.length} auctions finished)`],
      ['lost (must be 0)', `${lostCount}${lostCount ? ` (${lost.submissions.length} submissions, ${lost.bids.length} bids)` : ''}`],
      ['5xx responses', `${stats.serverErrors} (+ ${stats.unavailable} 503)`],
      ['unexpected exits', app.unexpectedExits.length],
      ['audit chain', `${chain.firstBreak ? `BROKEN at seq ${chain.firstBreak.seq} (${chain.firstBreak.reason})` : 'intact'} (${chain.checked} events)`],
    ]);
    if (lostCount) console.log(`  lost: ${JSON.stringify([...lost.submissions, ...lost.bids].slice(0, 5))}`);
    if (stats.serverErrorSamples.length) console.log(`  sample of the 5xx bodies:\n${stats.serverErrorSamples.map((body) => `    ${body}`).join('\n')}`);
    if (rounds.failure) console.log(`  FAILED: ${rounds.failure}`);
    console.log('');
    return lostCount > 0 || chain.firstBreak !== null || rounds.failure !== undefined;
  } finally {
    app?.killNow();
    cancelKill();
    await target.remove();
  }
}

let failed = false;
for (const mode of MODES) {
  if (mode !== 'pglite' && mode !== 'postgres') throw new Error(`--db must be pglite, postgres or both, not ${mode}`);
  failed = (await runMode(mode)) || failed;
}
process.exitCode = failed ? 1 : 0;
