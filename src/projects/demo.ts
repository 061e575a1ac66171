import { addQualification, getFirm, reviewQualification } from '../firms/service.js';
import { TestClock } from '../platform/clock.js';
import type { DemoLoader } from '../platform/demo.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { CurrentUser } from '../platform/http/access.js';
import { addCalendarDays, shanghaiDate } from '../platform/time.js';
import { selectDirectly } from '../selection/direct.js';
import { settleProject } from '../selection/settle.js';
import { submitSealed } from '../selection/submissions.js';
import { demoCast, demoDays } from './demo-support.js';
import { scheduleDeadlines } from './jobs.js';
import { registerForProject } from './registration.js';
import { projectTermsSchema } from './schemas.js';
import { cancelProject, cloneProject, createProject, publishProject } from './service.js';

const STAFF: CurrentUser = { id: 0, username: 'system', role: 'staff', organizationId: null, displayName: 'demo', via: 'token' };

interface Firm {
  user: CurrentUser;
  id: number;
}

/**
 * Projects of every method in every state reachable so far. States after a deadline cannot wait
 * for the real clock, so those projects are run on a clock of their own set in the past (a few
 * days ago): published, registered and quoted then, settled at their deadlines. Projects still
 * open run on the real clock with deadlines in working days.
 */
export const projectsDemoLoader: DemoLoader = {
  name: 'selection projects',
  load: async (deps) => {
    const numbers = Array.from({ length: 14 }, (_, i) => i + 1);
    const cast = await demoCast(deps, numbers);
    if (!cast) return;
    const { owner } = cast;
    const firmByNumber = new Map<number, Firm>(numbers.map((n) => [n, { user: cast.firm.get(n)!, id: cast.firm.get(n)!.organizationId! }]));
    const firms = (...numbers: number[]) => numbers.map((n) => firmByNumber.get(n)!);

    // a few firms widen their qualifications so that each demo project draws a real field
    const today = shanghaiDate(deps.clock.now());
    const qualify = async (code: string, numbers: number[]) => {
      for (const firm of firms(...numbers)) {
        const held = (await getFirm(deps, STAFF, firm.id)).qualifications.some((q: { serviceCode: string }) => q.serviceCode === code);
        if (held) continue;
        const added = await addQualification(deps, firm.user, firm.id, {
          serviceCode: code,
          level: '乙级',
          certificateNo: `ZJ${code.replace(/\D/g, '')}-2025-${2000 + firm.id}`,
          issuer: '浙江省相关行业主管部门',
          validUntil: addCalendarDays(today, 500),
        });
        await reviewQualification(deps, STAFF, firm.id, added.id, 'approve', '证书与发证机关公示信息一致');
      }
    };
    const FIELD: Record<string, number[]> = {
      'ZJ-001': [1, 2, 3, 4, 5],
      'ZJ-002': [1, 2, 3, 6, 7],
      'ZJ-003': [2, 3, 4, 8, 9],
      'ZJ-005': [3, 4, 5, 6, 10],
      'ZJ-006': [4, 5, 6, 11, 12],
      'ZJ-007': [5, 6, 7, 8, 13],
      'ZJ-008': [7, 8, 9, 10, 14],
      'ZJ-009': [8, 9, 10, 11, 12],
      'ZJ-012': [6, 9, 11, 13, 14],
      'ZJ-016': [1, 7, 10, 12, 14],
    };
    for (const [code, numbers] of Object.entries(FIELD)) await qualify(code, numbers);

    // the past: its own clock, a calendar day and Shanghai time relative to today
    const at = demoDays(deps);
    const past = (start: Date) => {
      const clock = new TestClock(start);
      const run = { clock, deps: { ...deps, clock } as PlatformDeps, set: (days: number, time: string) => clock.set(at(days, time)) };
      /** One second past a deadline, then settle the project as the first request would. */
      const settleAfter = (days: number, time: string, projectId: number) => {
        clock.set(new Date(at(days, time).getTime() + 1000));
        return settleProject(run.deps, projectId);
      };
      return { ...run, settleAfter };
    };

    const terms = (input: Record<string, unknown>) => projectTermsSchema.parse({ winners: 1, minRespondents: 3, ...input });
    const register = async (d: PlatformDeps, projectId: number, list: Firm[], entropy = false) => {
      for (const [index, firm] of list.entries()) await registerForProject(d, firm.user, projectId, entropy && index % 2 === 0 ? `${firm.user.username}-${projectId}` : undefined);
    };
    const quote = (d: PlatformDeps, projectId: number, firm: Firm, yuan: number, promisedDays: number, plan: string) =>
      submitSealed(d, firm.user, projectId, { amountFen: yuan * 100, promisedDays, plan });
    const closedProject = async (start: ReturnType<typeof past>, input: Record<string, unknown>) => {
      const draft = await createProject(start.deps, owner, terms(input));
      return publishProject(start.deps, owner, draft.id);
    };
    const openProject = async (input: Record<string, unknown>) => {
      const draft = await createProject(deps, owner, terms(input));
      const published = await publishProject(deps, owner, draft.id);
      await scheduleDeadlines(deps, published);
      return published;
    };

    // —— 询价 (inquiry) ——
    {
      // opened: every price public, one abnormally low, one quote replaced before the deadline
      const run = past(at(-14, '09:30'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-001', title: '文一路综合管廊工程环境影响报告表编制', budgetFen: 15_000_000, method: 'inquiry',
        description: '编制文一路（古墩路—紫金港路）综合管廊工程环境影响报告表，配合完成技术评审及批复。',
        registrationCloses: at(-9, '17:00').toISOString(), submissionCloses: at(-4, '17:00').toISOString(),
      });
      run.set(-12, '10:15');
      await register(run.deps, p.id, firms(1, 2, 3, 4));
      run.set(-8, '09:40');
      await quote(run.deps, p.id, firms(1)[0]!, 138_000, 30, '组建 5 人项目组，现场踏勘 2 次，30 个工作日内提交报告表送审稿。');
      await quote(run.deps, p.id, firms(2)[0]!, 131_000, 28, '依托既有区域监测数据，补充噪声与地表水监测，28 个工作日完成。');
      run.set(-6, '14:20');
      await quote(run.deps, p.id, firms(2)[0]!, 126_500, 28, '依托既有区域监测数据，补充噪声与地表水监测，28 个工作日完成（修改报价）。');
      await quote(run.deps, p.id, firms(3)[0]!, 79_800, 25, '3 人项目组，引用已批复规划环评结论。');
      await quote(run.deps, p.id, firms(4)[0]!, 129_900, 35, '含施工期环境监理方案编制。');
      await run.settleAfter(-4, '17:00', p.id);
    }
    {
      // quotes open now: only the count is public
      const run = past(at(-6, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-002', title: '城西科创大走廊配套道路水土保持方案编制', budgetFen: 8_000_000, method: 'inquiry',
        description: '编制生产建设项目水土保持方案报告书，含水土流失防治措施布设与投资估算。',
        registrationCloses: at(-1, '17:00').toISOString(), submissionCloses: at(4, '17:00').toISOString(),
      });
      run.set(-4, '11:00');
      await register(run.deps, p.id, firms(1, 2, 3, 6));
      run.set(-1, '17:00');
      run.clock.advance(60_000);
      await settleProject(run.deps, p.id);
      await quote(run.deps, p.id, firms(2)[0]!, 72_000, 18, '18 个工作日完成方案报告书。');
      await quote(run.deps, p.id, firms(6)[0]!, 65_500, 20, '含无人机航测现状地形。');
    }
    {
      // registration open now
      const p = await openProject({
        serviceCode: 'ZJ-003', title: '市第一人民医院新院区节能报告编制', budgetFen: 6_000_000, method: 'inquiry',
        description: '编制固定资产投资项目节能报告，配合完成节能审查。',
        registrationCloses: { workingDays: 5 }, submissionCloses: { workingDays: 3 },
      });
      await register(deps, p.id, firms(2, 3));
    }
    // failed (流标): one registration against a minimum of three
    const failedInquiryId = await (async () => {
      const run = past(at(-10, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-007', title: '北山街区块有机更新地质灾害危险性评估', budgetFen: 4_500_000, method: 'inquiry',
        description: '开展建设用地地质灾害危险性评估，编制评估报告。',
        registrationCloses: at(-5, '17:00').toISOString(), submissionCloses: at(-2, '17:00').toISOString(),
      });
      run.set(-8, '15:00');
      await register(run.deps, p.id, firms(5));
      run.set(-5, '17:01');
      await settleProject(run.deps, p.id);
      return p.id;
    })();
    {
      // cancelled while registering
      const run = past(at(-8, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-008', title: '运河新城学校交通影响评价', budgetFen: 3_800_000, method: 'inquiry',
        description: '编制建设项目交通影响评价报告。',
        registrationCloses: at(-3, '17:00').toISOString(), submissionCloses: at(1, '17:00').toISOString(),
      });
      run.set(-6, '10:00');
      await cancelProject(run.deps, owner, p.id, '项目选址调整，交通组织方案需重新论证，本次选取终止。');
    }
    await createProject(deps, owner, terms({
      serviceCode: 'ZJ-008', title: '滨江路改造工程交通影响评价（草稿）', budgetFen: 4_200_000, method: 'inquiry',
      description: '编制交通影响评价报告，含施工期交通组织方案。',
      registrationCloses: { workingDays: 5 }, submissionCloses: { workingDays: 3 },
    }));
    // the failed inquiry, copied into a new draft to republish
    await cloneProject(deps, owner, failedInquiryId);

    // —— 网上摇号 (lottery) ——
    {
      // drawn: in publicity with winner and ranked alternates
      const run = past(at(-12, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-005', title: '城东污水处理厂三期职业病危害预评价', budgetFen: 5_500_000, method: 'lottery',
        description: '开展建设项目职业病危害预评价，编制预评价报告。',
        registrationCloses: at(-5, '17:00').toISOString(),
      });
      run.set(-10, '10:30');
      await register(run.deps, p.id, firms(3, 4, 5, 6, 10), true);
      await run.settleAfter(-5, '17:00', p.id);
    }
    {
      // drawing: the external figure the draw waits for has not been entered by staff yet
      const run = past(at(-9, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-006', title: '钱塘区应急指挥中心地震安全性评价', budgetFen: 9_000_000, method: 'lottery',
        description: '开展工程场地地震安全性评价，编制评价报告。',
        registrationCloses: at(-2, '17:00').toISOString(),
        options: { lotterySource: { kind: 'manual', description: '中国福利彩票3D 开奖号码（报名截止后第一期）' } },
      });
      run.set(-7, '09:30');
      await register(run.deps, p.id, firms(4, 5, 6, 11), true);
      run.set(-2, '17:01');
      await settleProject(run.deps, p.id);
    }
    {
      // 信用择优 + 自主选择: the five best-rated registrants were drawn into a shortlist, weighted by
      // credit; the owner has not chosen yet
      const run = past(at(-8, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-007', title: '西溪湿地三期配套工程地质灾害危险性评估', budgetFen: 6_500_000, method: 'lottery',
        description: '开展地质灾害危险性评估；摇号前信用择优保留 4 家，按信用分加权摇出 3 家，由业主自主选择 1 家。',
        registrationCloses: at(-3, '17:00').toISOString(),
        options: { creditShortlist: 4, creditWeighted: true, ownerChoiceShortlist: 3 },
      });
      run.set(-6, '10:00');
      await register(run.deps, p.id, firms(5, 6, 7, 8, 13), true);
      await run.settleAfter(-3, '17:00', p.id);
    }
    await openProject({
      serviceCode: 'ZJ-006', title: '城北体育公园地震安全性评价', budgetFen: 7_000_000, method: 'lottery',
      description: '开展工程场地地震安全性评价。', registrationCloses: { workingDays: 4 },
    }).then((p) => register(deps, p.id, firms(11, 12), true));
    {
      // failed: two registrations against a minimum of three
      const run = past(at(-11, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-009', title: '老旧小区改造工程造价咨询（预算审核）', budgetFen: 2_800_000, method: 'lottery',
        description: '对 12 个老旧小区改造工程施工图预算进行审核。', registrationCloses: at(-6, '17:00').toISOString(),
      });
      run.set(-9, '14:00');
      await register(run.deps, p.id, firms(8, 9));
      run.set(-6, '17:01');
      await settleProject(run.deps, p.id);
    }
    {
      const run = past(at(-7, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-009', title: '市民中心维修工程造价咨询', budgetFen: 1_600_000, method: 'lottery',
        description: '编制维修工程预算并审核结算。', registrationCloses: at(-1, '17:00').toISOString(),
      });
      run.set(-5, '16:00');
      await cancelProject(run.deps, owner, p.id, '维修资金未获批复，项目暂缓实施。');
    }

    // —— 摇号询价 (lottery then inquiry) ——
    {
      const run = past(at(-15, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-012', title: '湘湖片区控制性详细规划调整测绘', budgetFen: 3_500_000, method: 'lottery_inquiry',
        description: '1:500 地形图测绘约 2.6 平方公里，并提交规划放线成果。',
        registrationCloses: at(-10, '17:00').toISOString(), submissionCloses: at(-3, '17:00').toISOString(), options: { drawCount: 3 },
      });
      run.set(-13, '10:00');
      await register(run.deps, p.id, firms(6, 9, 11, 13, 14), true);
      const drawn = ((await run.settleAfter(-10, '17:00', p.id))?.result as { drawn?: number[] } | null)?.drawn ?? [];
      run.set(-7, '11:00');
      const prices = [31_800, 29_650, 30_500];
      for (const [index, firmId] of drawn.entries()) {
        const firm = [...firmByNumber.values()].find((f) => f.id === firmId)!;
        await quote(run.deps, p.id, firm, prices[index % prices.length]!, 15 + index, '投入 RTK 与无人机倾斜摄影，分区同步作业。');
      }
      await run.settleAfter(-3, '17:00', p.id);
    }
    {
      // drawn, quotes open now
      const run = past(at(-7, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-016', title: '萧山机场快速路沿线土地勘测定界', budgetFen: 2_400_000, method: 'lottery_inquiry',
        description: '开展用地勘测定界并编制勘测定界报告。',
        registrationCloses: at(-2, '17:00').toISOString(), submissionCloses: at(3, '17:00').toISOString(), options: { drawCount: 3 },
      });
      run.set(-5, '09:45');
      await register(run.deps, p.id, firms(1, 7, 10, 12), true);
      const drawn = ((await run.settleAfter(-2, '17:00', p.id))?.result as { drawn?: number[] } | null)?.drawn ?? [];
      const first = [...firmByNumber.values()].find((f) => f.id === drawn[0]);
      if (first) await quote(run.deps, p.id, first, 19_800, 12, '10 个工作日内完成外业。');
    }
    await openProject({
      serviceCode: 'ZJ-012', title: '临平新城地下空间普查测绘', budgetFen: 5_000_000, method: 'lottery_inquiry',
      description: '地下空间普查测绘及成果入库。', registrationCloses: { workingDays: 6 }, submissionCloses: { workingDays: 4 }, options: { drawCount: 3 },
    }).then((p) => register(deps, p.id, firms(13), true));
    {
      const run = past(at(-9, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-016', title: '良渚遗址公园配套道路勘测定界', budgetFen: 1_800_000, method: 'lottery_inquiry',
        description: '开展用地勘测定界。', registrationCloses: at(-4, '17:00').toISOString(), submissionCloses: at(-1, '17:00').toISOString(),
      });
      run.set(-6, '10:00');
      await register(run.deps, p.id, firms(14));
      run.set(-4, '17:01');
      await settleProject(run.deps, p.id);
    }

    // —— 直接选取 (direct) ——
    {
      const run = past(at(-5, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-003', title: '应急排涝泵站抢修工程节能报告编制', budgetFen: 900_000, method: 'direct', minRespondents: 1,
        description: '汛期应急抢修项目，时间紧迫，采用直接选取。', registrationCloses: at(5, '17:00').toISOString(),
      });
      run.set(-3, '10:00');
      await selectDirectly(run.deps, owner, p.id, firms(8)[0]!.id, '汛期应急抢险工程，该机构承担过同一泵站一期节能报告，熟悉设备参数，可 5 个工作日内完成。');
    }
    await openProject({
      serviceCode: 'ZJ-007', title: '塌陷路段抢险工程地质灾害危险性评估', budgetFen: 1_200_000, method: 'direct', minRespondents: 1,
      description: '道路塌陷抢险项目，拟直接选取。', registrationCloses: { workingDays: 10 },
    });
    await createProject(deps, owner, terms({
      serviceCode: 'ZJ-002', title: '防汛物资仓库扩建水土保持方案（草稿）', budgetFen: 600_000, method: 'direct', minRespondents: 1,
      description: '小型扩建项目，拟直接选取。', registrationCloses: { workingDays: 10 },
    }));
    {
      const run = past(at(-4, '09:00'));
      const p = await closedProject(run, {
        serviceCode: 'ZJ-005', title: '区疾控中心实验楼职业病危害预评价', budgetFen: 700_000, method: 'direct', minRespondents: 1,
        description: '拟直接选取。', registrationCloses: at(6, '17:00').toISOString(),
      });
      run.set(-2, '15:30');
      await cancelProject(run.deps, owner, p.id, '项目并入区疾控中心整体改造工程，另行组织选取。');
    }
  },
};
