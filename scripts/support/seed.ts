/**
 * Seeding for the benchmarks and the chaos scripts: service calls straight on a database (no
 * HTTP), as the services would be called by the routes, with a clock that runs in real time
 * shifted to whatever moment of a project's calendar the scene needs.
 */
import { randomBytes } from 'node:crypto';
import { createStaffUser, registerAccount } from '../../src/auth/service.js';
import { completeUscc } from '../../src/auth/uscc.js';
import { createServiceItem, publishServiceItem } from '../../src/catalog/service.js';
import { addQualification, decideFirm, reviewQualification } from '../../src/firms/service.js';
import type { Clock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/index.js';
import { ed25519FromSeed } from '../../src/platform/ed25519.js';
import type { PlatformDeps } from '../../src/platform/deps.js';
import type { CurrentUser, Role } from '../../src/platform/http/access.js';
import { InProcessJobQueue } from '../../src/platform/jobs/index.js';
import { Sweeper } from '../../src/platform/jobs/sweeper.js';
import { createLogger } from '../../src/platform/logging.js';
import { registerForProject } from '../../src/projects/registration.js';
import type { ProjectTerms } from '../../src/projects/schemas.js';
import { createProject, publishProject } from '../../src/projects/service.js';

export const SEED_PASSWORD = 'Bench-Password-2026!';
const SYSTEM = 'system:bench';

/** Real elapsed time, shifted to a chosen moment. */
export class ShiftedClock implements Clock {
  private offset = 0;
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  setNow(at: string | Date | number): void {
    this.offset = new Date(at).getTime() - Date.now();
  }
  /** Back to the real time. */
  reset(): void {
    this.offset = 0;
  }
}

export type SeedDeps = PlatformDeps & { clock: ShiftedClock };

/** Platform dependencies for seeding: cheap password hashes, silent logs, in-process jobs. */
export function seedDeps(database: Database, submissionKey: Buffer, sessionSecret: string): SeedDeps {
  const logger = createLogger('silent');
  const clock = new ShiftedClock();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'off', PASSWORD_HASH_PROFILE: 'test', SESSION_SECRET: sessionSecret });
  return { config, clock, database, jobs: new InProcessJobQueue(clock, logger), sweeper: new Sweeper(logger), logger, submissionKey, auditSigningKey: ed25519FromSeed(randomBytes(32)) };
}

type UserRow = { id: number; username: string; role: string; organizationId: number | null; displayName: string };

export const asUser = (user: UserRow): CurrentUser => ({
  id: user.id,
  username: user.username,
  role: user.role as Role,
  organizationId: user.organizationId,
  displayName: user.displayName,
  via: 'session',
});

const uscc = (i: number, kind: string) => completeUscc(`91330100${kind}${String(i).padStart(7, '0')}`);

export interface Marketplace {
  staff: CurrentUser;
  owner: CurrentUser;
  firms: CurrentUser[];
  /** BENCH-001, BENCH-002 …: every firm is qualified for each. */
  serviceCodes: string[];
}

async function aPublishedServiceItem(deps: PlatformDeps, code: string): Promise<void> {
  await createServiceItem(deps, SYSTEM, {
    code, name: `基准测试服务事项${code}`, category: '投资建设类', basis: '《测试条例》第一条。', timeLimitDays: 10,
    fee: { mode: 'market', minFen: null, maxFen: null, basis: '市场调节价。' }, qualificationRequirements: '', relatedApproval: '测试审批事项',
  });
  await publishServiceItem(deps, SYSTEM, code);
}

/** An admitted firm whose qualification for every service item was approved by staff. */
async function anAdmittedFirm(deps: PlatformDeps, staff: CurrentUser, i: number, serviceCodes: string[]): Promise<CurrentUser> {
  const firm = asUser(await registerAccount(deps, {
    username: `benchfirm${i}`, password: SEED_PASSWORD, role: 'agency',
    organization: { name: `基准测试中介${i}有限公司`, uscc: uscc(i, '91'), contactName: '张三', contactPhone: '13800138000' },
  }));
  for (const serviceCode of serviceCodes) {
    const qualification = await addQualification(deps, firm, firm.organizationId!, { serviceCode, level: '甲级', certificateNo: `${serviceCode}-${i}`, issuer: '浙江省住房和城乡建设厅', validUntil: '2099-11-30' });
    await reviewQualification(deps, staff, firm.organizationId!, qualification.id, 'approve', '证书核验无误');
  }
  await decideFirm(deps, staff, firm.organizationId!, 'approve', '材料齐全');
  return firm;
}

/**
 * `serviceItems` published service items, one staff member, one owner and `firms` admitted firms
 * qualified for every item. A firm may hold 5 unfinished projects per service item, so scenes
 * with many projects spread them over several items.
 */
export async function aMarketplace(deps: PlatformDeps, counts: { firms: number; serviceItems?: number }): Promise<Marketplace> {
  const serviceCodes = Array.from({ length: counts.serviceItems ?? 1 }, (_, i) => `BENCH-${String(i + 1).padStart(3, '0')}`);
  for (const code of serviceCodes) await aPublishedServiceItem(deps, code);
  const staff = asUser(await createStaffUser(deps, SYSTEM, { username: 'benchstaff', password: SEED_PASSWORD, role: 'staff' }));
  const owner = asUser(await registerAccount(deps, {
    username: 'benchowner', password: SEED_PASSWORD, role: 'owner',
    organization: { name: '基准测试业主单位', uscc: uscc(0, '90'), contactName: '张三', contactPhone: '13800138000' },
  }));
  const firms: CurrentUser[] = [];
  for (let i = 0; i < counts.firms; i += 1) firms.push(await anAdmittedFirm(deps, staff, i, serviceCodes));
  return { staff, owner, firms, serviceCodes };
}

export interface SealedProjectTerms {
  method: 'inquiry' | 'bidding';
  title: string;
  serviceCode: string;
  registrationCloses: Date;
  submissionCloses: Date;
  budgetFen?: number;
  options?: ProjectTerms['options'];
  /** Who registers; every firm of the marketplace by default. */
  firms?: CurrentUser[];
}

/**
 * A published sealed project (price inquiry or bidding) for which the firms registered. The clock
 * must stand before `registrationCloses`.
 */
export async function aRegisteredProject(deps: PlatformDeps, market: Marketplace, terms: SealedProjectTerms) {
  const project = await createProject(deps, market.owner, {
    serviceCode: terms.serviceCode, title: terms.title, description: '并发报价基准。', budgetFen: terms.budgetFen ?? 15_000_000, method: terms.method,
    winners: 1, minRespondents: 3, quoteMode: 'amount', registrationCloses: terms.registrationCloses, submissionCloses: terms.submissionCloses,
    options: terms.options ?? {}, avoidFirms: [],
  });
  await publishProject(deps, market.owner, project.id);
  for (const firm of terms.firms ?? market.firms) await registerForProject(deps, firm, project.id);
  return project;
}
