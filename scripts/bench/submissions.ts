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
import { createStaffUser, registerAccount } from '../../src/auth/service.js';
import { completeUscc } from '../../src/auth/uscc.js';
import { verifyAuditChain } from '../../src/audit/service.js';
import { createServiceItem, publishServiceItem } from '../../src/catalog/service.js';
import { addQualification, decideFirm, reviewQualification } from '../../src/firms/service.js';
import type { Clock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { PlatformDeps } from '../../src/platform/deps.js';
import { openPostgresDatabase } from '../../src/platform/db/postgres.js';
import type { CurrentUser, Role } from '../../src/platform/http/access.js';
import { InProcessJobQueue } from '../../src/platform/jobs/index.js';
import { Sweeper } from '../../src/platform/jobs/sweeper.js';
import { createLogger } from '../../src/platform/logging.js';
import { registerForProject } from '../../src/projects/registration.js';
import { createProject, publishProject } from '../../src/projects/service.js';
import { submitSealed } from '../../src/selection/submissions.js';
import { pgbenchTps, printTable, scratchDatabase } from './support.js';

const seconds = Number(process.argv[2] ?? 5);
const firmCount = Number(process.argv[3] ?? 64);
const CLIENTS = process.env.BENCH_CLIENTS ? process.env.BENCH_CLIENTS.split(',').map(Number) : [1, 8, 32];
const PASSWORD = 'Bench-Password-2026!';

/** Real elapsed time, shifted to a chosen moment of the project's calendar. */
class ShiftedClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  setNow(at: string): void {
    this.offset = new Date(at).getTime() - Date.now();
  }
}

const asUser = (user: { id: number; username: string; role: string; organizationId: number | null; displayName: string }): CurrentUser => ({
  id: user.id,
  username: user.username,
  role: user.role as Role,
  organizationId: user.organizationId,
  displayName: user.displayName,
  via: 'session',
});

const scratch = await scratchDatabase('zjcs_bench_submissions');
const ceilingDb = await scratchDatabase('zjcs_bench_submissions_ceiling');
try {
  const database = await openPostgresDatabase({ url: scratch.url, poolSize: 40 });
  await database.migrate();
  const logger = createLogger('silent');
  const clock = new ShiftedClock();
  clock.setNow('2026-11-25T09:00:00+08:00');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'off', PASSWORD_HASH_PROFILE: 'test', SESSION_SECRET: randomBytes(32).toString('hex') });
  const deps: PlatformDeps = { config, clock, database, jobs: new InProcessJobQueue(clock, logger), sweeper: new Sweeper(logger), logger, submissionKey: randomBytes(32) };

  // one service item, one owner, N admitted and qualified firms registered for one inquiry project
  const serviceCode = 'BENCH-001';
  await createServiceItem(deps, 'system:bench', {
    code: serviceCode, name: '基准测试服务事项', category: '投资建设类', basis: '《测试条例》第一条。', timeLimitDays: 10,
    fee: { mode: 'market', minFen: null, maxFen: null, basis: '市场调节价。' }, qualificationRequirements: '', relatedApproval: '测试审批事项',
  });
  await publishServiceItem(deps, 'system:bench', serviceCode);
  const staff = asUser(await createStaffUser(deps, 'system:bench', { username: 'benchstaff', password: PASSWORD, role: 'staff' }));
  const uscc = (i: number, kind: string) => completeUscc(`91330100${kind}${String(i).padStart(7, '0')}`);
  const owner = asUser(await registerAccount(deps, {
    username: 'benchowner', password: PASSWORD, role: 'owner',
    organization: { name: '基准测试业主单位', uscc: uscc(0, '90'), contactName: '张三', contactPhone: '13800138000' },
  }));
  const project = await createProject(deps, owner, {
    serviceCode, title: '基准测试询价项目', description: '并发报价基准。', budgetFen: 15_000_000, method: 'inquiry', winners: 1, minRespondents: 3,
    quoteMode: 'amount', registrationCloses: new Date('2026-11-27T17:00:00+08:00'), submissionCloses: new Date('2026-12-31T17:00:00+08:00'),
    options: {}, avoidFirms: [],
  });
  await publishProject(deps, owner, project.id);
  const firms: CurrentUser[] = [];
  for (let i = 0; i < firmCount; i += 1) {
    const firm = asUser(await registerAccount(deps, {
      username: `benchfirm${i}`, password: PASSWORD, role: 'agency',
      organization: { name: `基准测试中介${i}有限公司`, uscc: uscc(i, '91'), contactName: '张三', contactPhone: '13800138000' },
    }));
    const qualification = await addQualification(deps, firm, firm.organizationId!, { serviceCode, level: '甲级', certificateNo: `BENCH-${i}`, issuer: '浙江省住房和城乡建设厅', validUntil: '2027-11-30' });
    await reviewQualification(deps, staff, firm.organizationId!, qualification.id, 'approve', '证书核验无误');
    await decideFirm(deps, staff, firm.organizationId!, 'approve', '材料齐全');
    await registerForProject(deps, firm, project.id);
    firms.push(firm);
  }
  clock.setNow('2026-11-28T09:00:00+08:00'); // registration closed, submissions open for a month

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
