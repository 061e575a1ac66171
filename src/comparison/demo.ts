import { demoUser } from '../projects/demo-support.js';
import { TestClock } from '../platform/clock.js';
import type { DemoLoader } from '../platform/demo.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { CurrentUser } from '../platform/http/access.js';
import { addCalendarDays, shanghaiDate, shanghaiInstant } from '../platform/time.js';
import { registerForProject } from '../projects/registration.js';
import { projectTermsSchema } from '../projects/schemas.js';
import { createProject, publishProject } from '../projects/service.js';
import { settleProject } from '../selection/settle.js';
import { submitSealed } from '../selection/submissions.js';
import { evaluateProposals } from './evaluation.js';

/**
 * Two comparison projects (网上比选) on ZJ-009 (cost consulting, 12 working days), whose demo
 * firms the projects loader qualified: one opened and waiting for the owner's evaluation, one
 * evaluated and in publicity. Both ran on a clock of their own set a few days in the past.
 */
export const comparisonDemoLoader: DemoLoader = {
  name: 'comparison projects',
  load: async (deps) => {
    const owner = await demoUser(deps, 'demo-owner', 'owner');
    const firms = await Promise.all([8, 9, 10, 11].map((n) => demoUser(deps, `firm${String(n).padStart(2, '0')}`, 'agency')));
    if (!owner || firms.some((firm) => !firm)) return;
    const [a, b, c, d] = firms as [CurrentUser, CurrentUser, CurrentUser, CurrentUser];
    const today = shanghaiDate(deps.clock.now());
    const at = (days: number, time: string) => shanghaiInstant(addCalendarDays(today, days), time);

    const run = async (start: number, input: { title: string; description: string; budgetFen: number; weights: Record<string, number>; planCriteria?: { criterion: string; maxPoints: number }[] }, proposals: [CurrentUser, number, number, string][]) => {
      const clock = new TestClock(at(start, '09:30'));
      const past = { ...deps, clock } as PlatformDeps;
      const draft = await createProject(past, owner, projectTermsSchema.parse({
        serviceCode: 'ZJ-009', title: input.title, description: input.description, budgetFen: input.budgetFen, method: 'comparison',
        registrationCloses: at(start + 4, '17:00').toISOString(), submissionCloses: at(start + 8, '17:00').toISOString(),
        options: { weights: input.weights, ...(input.planCriteria ? { planCriteria: input.planCriteria } : {}) },
      }));
      const project = await publishProject(past, owner, draft.id);
      clock.set(at(start + 1, '10:00'));
      for (const [firm] of proposals) await registerForProject(past, firm, project.id);
      clock.set(at(start + 5, '11:00'));
      await settleProject(past, project.id);
      for (const [firm, yuan, promisedDays, plan] of proposals) await submitSealed(past, firm, project.id, { amountFen: yuan * 100, promisedDays, plan });
      clock.set(new Date(at(start + 8, '17:00').getTime() + 1000));
      await settleProject(past, project.id);
      return { project, past, clock };
    };

    // awaiting evaluation: opened yesterday, price, time and credit already scored
    await run(-9, {
      title: '城北体育公园二期工程预算编制与审核（比选）',
      description: '编制施工图预算并审核，出具预算审核报告。比选权重：价格 50、信用 10、工期 10、方案 30。',
      budgetFen: 9_000_000,
      weights: { price: 50, credit: 10, time: 10, plan: 30 },
      planCriteria: [{ criterion: '审核方法与重点难点分析', maxPoints: 15 }, { criterion: '人员配置与进度保证', maxPoints: 15 }],
    }, [
      [a, 82_000, 10, '三人审核组，采用全量复核与重点抽查结合，10 个工作日出具审核报告。'],
      [b, 76_500, 12, '两人审核组，按清单逐项复核，12 个工作日完成。'],
      [c, 88_000, 8, '四人审核组，BIM 算量对比复核，8 个工作日完成。'],
    ]);

    // evaluated: ranked by total and in publicity
    const evaluated = await run(-12, {
      title: '市民中心地下车库改造工程造价咨询（比选）',
      description: '全过程造价咨询：预算编制、进度款审核与结算审核。比选权重：价格 40、信用 10、工期 20、方案 30。',
      budgetFen: 12_000_000,
      weights: { price: 40, credit: 10, time: 20, plan: 30 },
    }, [
      [a, 108_000, 10, '派驻现场造价工程师，按月审核进度款。'],
      [b, 99_800, 12, '两人团队，结算审核采用双人复核制。'],
      [d, 112_500, 8, '五人团队，含跟踪审计与变更签证管理。'],
    ]);
    evaluated.clock.set(at(-1, '10:00'));
    await evaluateProposals(evaluated.past, owner, evaluated.project.id, [
      { firmId: a.organizationId!, planPoints: 25.5, justification: '现场派驻安排具体，进度款审核流程清楚。' },
      { firmId: b.organizationId!, planPoints: 22, justification: '复核制度可行，但对变更签证管理论述不足。' },
      { firmId: d.organizationId!, planPoints: 28, justification: '跟踪审计与变更管理方案最完整，人员配置最强。' },
    ]);
  },
};
