import { anOpenedDemoInquiry, demoCast, demoDays } from '../projects/demo-support.js';
import type { DemoLoader } from '../platform/demo.js';
import { settleProject } from '../selection/settle.js';
import { fileObjection } from './objections.js';
import { declineAward, publicityEndsAt } from './offers.js';

/**
 * Results after selection: one in publicity with an objection waiting for staff, one awarded
 * with the winner's answer pending, one where the winner declined and the alternate holds the
 * offer. Each runs on a clock of its own in the past, like the projects demo.
 */
export const awardsDemoLoader: DemoLoader = {
  name: 'publicity, objections and awards',
  load: async (deps) => {
    const cast = await demoCast(deps, [3, 4, 5, 6, 10, 11, 12]);
    if (!cast) return;
    const { firm } = cast;
    const at = demoDays(deps);

    /** An inquiry opened `openedDaysAgo` days ago at 17:00, now in publicity (or past it). */
    const opened = async (openedDaysAgo: number, input: { serviceCode: string; title: string; description: string; budgetFen: number }, quotes: [number, number][]) => {
      const p = await anOpenedDemoInquiry(deps, cast, openedDaysAgo, input, quotes.map(([n, yuan]) => ({ firm: n, yuan, promisedDays: 20 + n, plan: '按委托要求完成成果编制并配合评审。' })));
      return { id: p.id, clock: p.clock, run: p.run, endsAt: p.settled ? publicityEndsAt(p.settled) : null };
    };

    // in publicity, with an objection staff have not decided yet
    {
      const p = await opened(1, {
        serviceCode: 'ZJ-005', title: '城南垃圾焚烧发电厂扩建职业病危害预评价', budgetFen: 6_500_000,
        description: '对扩建工程可能产生的职业病危害因素进行识别与评价，编制预评价报告并配合专家评审。',
      }, [[3, 52_000], [4, 55_500], [6, 58_800], [10, 61_000]]);
      p.clock.set(at(-1, '18:30'));
      await fileObjection(p.run, firm.get(4)!, p.id, {
        grounds: '拟中选机构报价明显低于成本，且其项目负责人同期承担其他三个项目，无法保证服务质量，请予核查。',
        fileIds: [],
      });
    }

    // awarded: the winner has not answered yet (five working days from the end of publicity)
    {
      const p = await opened(7, {
        serviceCode: 'ZJ-006', title: '城西综合交通枢纽地震安全性评价', budgetFen: 8_800_000,
        description: '开展场地地震安全性评价工作，提交评价报告并通过省地震局审查。',
      }, [[5, 79_000], [11, 82_500], [12, 84_000]]);
      if (p.endsAt && p.endsAt < deps.clock.now()) {
        p.clock.set(new Date(p.endsAt.getTime() + 1000));
        await settleProject(p.run, p.id);
      }
    }

    // awarded: the winner declined, the next ranked firm holds the offer
    {
      const p = await opened(8, {
        serviceCode: 'ZJ-006', title: '钱江新城二期地下综合体地震安全性评价', budgetFen: 9_600_000,
        description: '开展场地地震安全性评价及地震动参数复核，配合完成审查。',
      }, [[11, 88_000], [12, 90_500], [4, 93_000]]);
      if (p.endsAt && p.endsAt < deps.clock.now()) {
        p.clock.set(new Date(p.endsAt.getTime() + 60 * 60 * 1000));
        await settleProject(p.run, p.id);
        if (p.clock.now() < deps.clock.now()) await declineAward(p.run, firm.get(11)!, p.id, '项目负责人近期离职，无法按期履约');
      }
    }
  },
};
