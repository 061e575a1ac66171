/**
 * The reverse auction (竞价) under load, with everything a real bid does: the read-time settle,
 * the project row lock, the eligibility re-check, the action row, the hash-chained audit append,
 * the announced events and their publication.
 *   npx tsx scripts/bench/auction.ts [seconds=5]
 * Runs on the embedded default (in-memory PGlite) and, when TEST_DATABASE_URL is set, on the
 * PostgreSQL server. Prints:
 * - bids per second accepted and bid latency p50/p99 (service calls, no HTTP), with 1 and 8
 *   clients; each client bids in its own auctions (bids of one auction are serial by design),
 *   always for the bidder whose turn it is, one minimum step down;
 * - SSE delivery lag p50/p99 to 1,000 clients watching one auction over HTTP: from the bid's
 *   stored time to the moment each client has parsed the event.
 * The clock runs in real time, shifted to the opening; turns last 600 s, so none times out.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import { closeAuctionBus } from '../../src/auction/bus.js';
import * as auctionRepository from '../../src/auction/repository.js';
import { auctionState, type Action } from '../../src/auction/schedule.js';
import { placeBid } from '../../src/auction/service.js';
import { createStaffUser, registerAccount } from '../../src/auth/service.js';
import { completeUscc } from '../../src/auth/uscc.js';
import { verifyAuditChain } from '../../src/audit/service.js';
import { createServiceItem, publishServiceItem } from '../../src/catalog/service.js';
import { registerDomains } from '../../src/domains.js';
import { addQualification, decideFirm, reviewQualification } from '../../src/firms/service.js';
import type { Clock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/index.js';
import { ed25519FromSeed } from '../../src/platform/ed25519.js';
import { openPgliteDatabase } from '../../src/platform/db/pglite.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import type { PlatformDeps } from '../../src/platform/deps.js';
import type { CurrentUser, Role } from '../../src/platform/http/access.js';
import { InProcessJobQueue } from '../../src/platform/jobs/index.js';
import { Sweeper } from '../../src/platform/jobs/sweeper.js';
import { createLogger } from '../../src/platform/logging.js';
import { registerForProject } from '../../src/projects/registration.js';
import { createProject, publishProject } from '../../src/projects/service.js';
import { settleProject } from '../../src/selection/settle.js';
import { submitSealed } from '../../src/selection/submissions.js';
import { printTable, scratchDatabase } from './support.js';

const seconds = Number(process.argv[2] ?? 5);
const FIRMS = 10;
const PROJECTS = 24;
const WATCHERS = 1000;
const WATCHED_BIDS = 30;
const CLIENTS = [1, 8];
const PASSWORD = 'Bench-Password-2026!';
const BUDGET = 15_000_000;
const STEP = 75_000; // 0.5 % of the budget: 10 rounds × 10 bidders fit above zero

class ShiftedClock implements Clock {
  offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  setNow(at: string | Date): void {
    this.offset = new Date(at).getTime() - Date.now();
  }
}

const asUser = (user: { id: number; username: string; role: string; organizationId: number | null; displayName: string }): CurrentUser => ({
  id: user.id, username: user.username, role: user.role as Role, organizationId: user.organizationId, displayName: user.displayName, via: 'session',
});

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
};

async function scene(deps: PlatformDeps, clock: ShiftedClock) {
  clock.setNow('2026-11-25T09:00:00+08:00');
  // a firm may hold 5 unfinished projects per service item: one item per 5 auctions
  const serviceCodes = Array.from({ length: Math.ceil((PROJECTS + 1) / 5) }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);
  for (const code of serviceCodes) {
    await createServiceItem(deps, 'system:bench', {
      code, name: `基准测试服务事项${code}`, category: '投资建设类', basis: '《测试条例》第一条。', timeLimitDays: 10,
      fee: { mode: 'market', minFen: null, maxFen: null, basis: '市场调节价。' }, qualificationRequirements: '', relatedApproval: '测试审批事项',
    });
    await publishServiceItem(deps, 'system:bench', code);
  }
  const staff = asUser(await createStaffUser(deps, 'system:bench', { username: 'benchstaff', password: PASSWORD, role: 'staff' }));
  const uscc = (i: number, kind: string) => completeUscc(`91330100${kind}${String(i).padStart(7, '0')}`);
  const owner = asUser(await registerAccount(deps, {
    username: 'benchowner', password: PASSWORD, role: 'owner',
    organization: { name: '基准测试业主单位', uscc: uscc(0, '90'), contactName: '张三', contactPhone: '13800138000' },
  }));
  const firms: CurrentUser[] = [];
  for (let i = 0; i < FIRMS; i += 1) {
    const firm = asUser(await registerAccount(deps, {
      username: `benchfirm${i}`, password: PASSWORD, role: 'agency',
      organization: { name: `基准测试中介${i}有限公司`, uscc: uscc(i, '91'), contactName: '张三', contactPhone: '13800138000' },
    }));
    for (const serviceCode of serviceCodes) {
      const qualification = await addQualification(deps, firm, firm.organizationId!, { serviceCode, level: '甲级', certificateNo: `${serviceCode}-${i}`, issuer: '浙江省住房和城乡建设厅', validUntil: '2027-11-30' });
      await reviewQualification(deps, staff, firm.organizationId!, qualification.id, 'approve', '证书核验无误');
    }
    await decideFirm(deps, staff, firm.organizationId!, 'approve', '材料齐全');
    firms.push(firm);
  }
  const projectIds: number[] = [];
  for (let p = 0; p < PROJECTS + 1; p += 1) {
    clock.setNow('2026-11-25T09:00:00+08:00');
    const project = await createProject(deps, owner, {
      serviceCode: serviceCodes[Math.floor(p / 5)]!, title: `基准测试竞价项目${p}`, description: '竞价基准。', budgetFen: BUDGET, method: 'bidding', winners: 1, minRespondents: 3,
      quoteMode: 'amount', registrationCloses: new Date('2026-11-27T17:00:00+08:00'), submissionCloses: new Date('2026-12-01T17:00:00+08:00'),
      options: { rounds: 10, turnSeconds: 600, minStepFen: STEP }, avoidFirms: [],
    });
    await publishProject(deps, owner, project.id);
    for (const firm of firms) await registerForProject(deps, firm, project.id);
    clock.setNow('2026-11-28T09:00:00+08:00');
    for (const [i, firm] of firms.entries()) await submitSealed(deps, firm, project.id, { amountFen: 14_000_000 - i * 10_000 });
    projectIds.push(project.id);
  }
  clock.setNow(new Date('2026-12-01T17:00:00+08:00'));
  for (const id of projectIds) await settleProject(deps, id); // the opening starts every auction
  return { firms, projectIds };
}

/** Drives one auction: always the bidder on turn, one step down; the turn is computed locally. */
async function auctionDriver(deps: PlatformDeps, clock: ShiftedClock, firms: CurrentUser[], projectId: number) {
  const auction = (await auctionRepository.findAuction(deps.database.db, projectId))!;
  const frame = auctionRepository.frameOf(auction);
  const actions: Action[] = [];
  return async (): Promise<number | undefined> => {
    const state = auctionState(frame, actions, clock.now());
    if (!state.current) return undefined;
    const firm = firms.find((f) => f.organizationId === state.current!.firmId)!;
    const amountFen = state.prices.get(state.current.firmId)!.fen - STEP;
    const started = performance.now();
    const { receipt } = await placeBid(deps, firm, projectId, { amountFen });
    const latency = performance.now() - started;
    actions.push({ firmId: state.current.firmId, round: receipt.round, turn: receipt.turn, kind: 'bid', amountFen, at: new Date(receipt.at) });
    return latency;
  };
}

async function bidsPerSecond(deps: PlatformDeps, clock: ShiftedClock, firms: CurrentUser[], projects: number[], clients: number) {
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  const worker = async (client: number) => {
    const mine = projects.filter((_, index) => index % clients === client);
    for (const projectId of mine) {
      const next = await auctionDriver(deps, clock, firms, projectId);
      for (;;) {
        if (Date.now() >= until) return;
        const latency = await next();
        if (latency === undefined) break;
        latencies.push(latency);
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: clients }, (_, client) => worker(client)));
  return { perSecond: latencies.length / ((Date.now() - started) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), bids: latencies.length };
}

/** 1,000 EventSource-like clients on one auction; lag from each bid's stored time to parsing. */
async function sseLag(deps: PlatformDeps, clock: ShiftedClock, firms: CurrentUser[], projectId: number) {
  const server = http.createServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const lags: number[] = [];
  let ready = 0;
  let delivered = 0;
  const requests: http.ClientRequest[] = [];
  for (let i = 0; i < WATCHERS; i += 1) {
    const req = http.get(`${base}/api/v1/projects/${projectId}/auction/events`, { agent, headers: { Accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      let counted = false;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((line) => line.startsWith('data:'));
          if (!data) continue;
          const event = JSON.parse(data.slice(5)) as { type: string; at: string };
          if (event.type === 'turn' && !counted) {
            counted = true;
            ready += 1;
          }
          if (event.type === 'bid') {
            lags.push(clock.now().getTime() - Date.parse(event.at));
            delivered += 1;
          }
        }
      });
    });
    req.on('error', () => undefined);
    requests.push(req);
  }
  const wait = async (done: () => boolean, ms: number) => {
    const stop = Date.now() + ms;
    while (!done() && Date.now() < stop) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  await wait(() => ready === WATCHERS, 60_000);
  const connected = ready;
  const next = await auctionDriver(deps, clock, firms, projectId);
  for (let i = 0; i < WATCHED_BIDS; i += 1) {
    await next();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await wait(() => delivered >= connected * WATCHED_BIDS, 30_000);
  for (const req of requests) req.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  agent.destroy();
  return { connected, delivered, expected: connected * WATCHED_BIDS, p50: percentile(lags, 50), p99: percentile(lags, 99) };
}

async function run(label: string, database: Database) {
  await database.migrate();
  const logger = createLogger('silent');
  const clock = new ShiftedClock();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'off', PASSWORD_HASH_PROFILE: 'test', SESSION_SECRET: randomBytes(32).toString('hex') });
  const deps: PlatformDeps = { config, clock, database, jobs: new InProcessJobQueue(clock, logger), sweeper: new Sweeper(logger), logger, submissionKey: randomBytes(32), auditSigningKey: ed25519FromSeed(randomBytes(32)) };
  registerDomains(deps);
  const setupStarted = Date.now();
  const { firms, projectIds } = await scene(deps, clock);
  const watched = projectIds.pop()!;
  console.log(`${label}: ${projectIds.length + 1} auctions of ${FIRMS} bidders set up in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
  const rows: Record<string, string | number>[] = [];
  let offset = 0;
  for (const clients of CLIENTS) {
    const share = projectIds.slice(offset, offset + Math.max(clients, Math.floor(projectIds.length / CLIENTS.length)));
    offset += share.length;
    const result = await bidsPerSecond(deps, clock, firms, share, clients);
    rows.push({ database: label, clients, 'bids/s accepted': Math.round(result.perSecond), 'p50 ms': result.p50.toFixed(1), 'p99 ms': result.p99.toFixed(1), bids: result.bids });
  }
  printTable(rows);
  const lag = await sseLag(deps, clock, firms, watched);
  printTable([{ database: label, watchers: lag.connected, bids: WATCHED_BIDS, 'events delivered': `${lag.delivered}/${lag.expected}`, 'lag p50 ms': lag.p50.toFixed(1), 'lag p99 ms': lag.p99.toFixed(1) }]);
  const chain = await verifyAuditChain(database.db);
  console.log(`${label}: audit chain after the run: ${chain.checked} events, ${chain.firstBreak ? 'BROKEN' : 'intact'}`);
  await closeAuctionBus(deps);
  await deps.jobs.close();
  await database.close();
}

await run('PGlite (embedded)', await openPgliteDatabase());
if (process.env.TEST_DATABASE_URL) {
  const scratch = await scratchDatabase('zjcs_bench_auction');
  try {
    await run('PostgreSQL server', await openPostgresDatabase({ url: scratch.url, poolSize: 20 }));
  } finally {
    await scratch.drop();
  }
}
