import { demoCast, demoDays } from '../projects/demo-support.js';
import { TestClock } from '../platform/clock.js';
import type { DemoLoader } from '../platform/demo.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { CurrentUser } from '../platform/http/access.js';
import { registerForProject } from '../projects/registration.js';
import { projectTermsSchema } from '../projects/schemas.js';
import { createProject, publishProject } from '../projects/service.js';
import { settleProject } from '../selection/settle.js';
import { submitSealed } from '../selection/submissions.js';
import { placeBid } from './service.js';

/**
 * Bidding projects (竞价): one finished auction with its published turn-by-turn log, one taking
 * sealed initial bids now, and one whose auction opens a few minutes after the demo starts (ten
 * rounds of ten-minute turns, so demo firms can bid in it). Runs after the projects loader,
 * which qualified firm01–05 for ZJ-001.
 */
export const auctionDemoLoader: DemoLoader = {
  name: 'bidding projects',
  load: async (deps) => {
    const cast = await demoCast(deps, [1, 2, 3, 4, 5]);
    if (!cast) return;
    const { owner } = cast;
    const firms = [1, 2, 3, 4, 5].map((n) => cast.firm.get(n)!);
    const at = demoDays(deps);
    const past = (start: Date) => {
      const clock = new TestClock(start);
      return { clock, deps: { ...deps, clock } as PlatformDeps };
    };
    const bidding = async (run: ReturnType<typeof past>, input: Record<string, unknown>) => {
      const draft = await createProject(run.deps, owner, projectTermsSchema.parse({ method: 'bidding', serviceCode: 'ZJ-001', winners: 1, minRespondents: 3, ...input }));
      return publishProject(run.deps, owner, draft.id);
    };

    {
      // finished: three bidders over two rounds, the log and names published with the result
      const run = past(at(-12, '09:00'));
      const p = await bidding(run, {
        title: '紫之隧道配套工程环境影响后评价', budgetFen: 9_600_000, description: '开展环境影响后评价并编制后评价报告，采用网上竞价选取。',
        registrationCloses: at(-8, '17:00').toISOString(), submissionCloses: at(-5, '10:00').toISOString(), options: { rounds: 2, turnSeconds: 120, minStepFen: 96_000 },
      });
      run.clock.set(at(-10, '10:00'));
      for (const firm of firms.slice(0, 3)) await registerForProject(run.deps, firm, p.id);
      run.clock.set(at(-7, '09:30'));
      const initial = [93_000, 91_500, 95_000];
      for (const [index, firm] of firms.slice(0, 3).entries()) {
        await submitSealed(run.deps, firm, p.id, { amountFen: initial[index]! * 100, promisedDays: 25, plan: '组建 4 人项目组，收集运行期监测资料并开展现场调查。' });
        run.clock.advance(60_000);
      }
      run.clock.set(new Date(at(-5, '10:00').getTime() + 1000));
      await settleProject(run.deps, p.id); // the opening starts the auction
      const step = async (seconds: number, firm: CurrentUser, input: { amountFen?: number; pass?: true }) => {
        run.clock.advance(seconds * 1000);
        await placeBid(run.deps, firm, p.id, input);
      };
      // round 1: 95,000 (firm03) → 93,000 (firm01) → 91,500 (firm02)
      await step(40, firms[2]!, { amountFen: 9_000_000 });
      await step(65, firms[0]!, { amountFen: 8_880_000 });
      await step(30, firms[1]!, { pass: true });
      // round 2: firm02 (91,500) → firm03 (90,000) → firm01 (88,800)
      await step(50, firms[1]!, { amountFen: 8_750_000 });
      await step(90, firms[2]!, { amountFen: 8_600_000 });
      run.clock.advance(150_000); // firm01's last turn runs out
      await settleProject(run.deps, p.id);
    }
    {
      // taking sealed initial bids now
      const run = past(at(-6, '09:00'));
      const p = await bidding(run, {
        title: '西溪湿地三期配套道路水土保持监测', budgetFen: 4_800_000, description: '开展施工期水土保持监测并按季度提交监测报告，采用网上竞价选取。',
        registrationCloses: at(-1, '17:00').toISOString(), submissionCloses: at(4, '17:00').toISOString(), options: { rounds: 3, turnSeconds: 120 },
      });
      run.clock.set(at(-4, '14:00'));
      for (const firm of firms.slice(1, 5)) await registerForProject(run.deps, firm, p.id);
      run.clock.set(at(-1, '17:01'));
      await settleProject(run.deps, p.id);
      await submitSealed(run.deps, firms[1]!, p.id, { amountFen: 4_520_000, promisedDays: 60 });
      await submitSealed(run.deps, firms[3]!, p.id, { amountFen: 4_650_000, promisedDays: 55 });
    }
    {
      // the auction room opens five minutes after the demo data is loaded
      const opensAt = new Date(deps.clock.now().getTime() + 5 * 60_000);
      const run = past(at(-5, '09:00'));
      const p = await bidding(run, {
        title: '城东新城排水管网检测评估（竞价演示）', budgetFen: 3_000_000, description: '管网 CCTV 检测与结构性缺陷评估。演示用：竞价在数据载入 5 分钟后开始，每次出价限时 10 分钟。',
        registrationCloses: at(-2, '17:00').toISOString(), submissionCloses: opensAt.toISOString(), options: { rounds: 10, turnSeconds: 600 },
      });
      run.clock.set(at(-3, '11:00'));
      for (const firm of firms.slice(0, 3)) await registerForProject(run.deps, firm, p.id);
      run.clock.set(at(-1, '10:00'));
      await settleProject(run.deps, p.id);
      const initial = [2_880_000, 2_790_000, 2_940_000];
      for (const [index, firm] of firms.slice(0, 3).entries()) await submitSealed(run.deps, firm, p.id, { amountFen: initial[index]!, promisedDays: 20 });
    }
  },
};
