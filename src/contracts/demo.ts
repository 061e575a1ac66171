import { anOpenedDemoInquiry, demoCast } from '../projects/demo-support.js';
import { acceptedAwards } from '../awards/repository.js';
import { acceptAward, publicityEndsAt } from '../awards/offers.js';
import { CalendarYearMissingError } from '../platform/calendar/calendar.js';
import type { DemoLoader } from '../platform/demo.js';
import { storeFile } from '../platform/files/service.js';
import { addCalendarDays, shanghaiDate, shanghaiInstant } from '../platform/time.js';
import { settleProject } from '../selection/settle.js';
import { completeContract, CONTRACT_FILE_PURPOSE, DELIVERABLE_FILE_PURPOSE, recordContract, recordDelivery, replyToRating } from './service.js';

/** A small real PDF, so the demo's file links open. */
const demoPdf = (title: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${encodeURIComponent(title)}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);

interface Stage {
  contract?: { afterDays: number };
  delivery?: { afterDays: number; note: string };
  completion?: { afterDays: number; ratings: { quality: number; timeliness: number; attitude: number; fees: number; conduct: number }; comment: string; reply?: string };
}

/**
 * Projects after the award: contracted and running, delivered and awaiting acceptance, completed
 * on time with a good rating and the firm's reply, and completed late (超时) with a poor rating.
 * Each runs on a clock of its own in the past, like the projects and awards demos.
 */
export const contractsDemoLoader: DemoLoader = {
  name: 'contracts, delivery and ratings',
  load: async (deps) => {
    const cast = await demoCast(deps, [1, 6, 7, 8, 9, 10, 12, 13, 14]);
    if (!cast) return;
    const { owner, firm } = cast;

    const run = async (
      openedDaysAgo: number,
      input: { serviceCode: string; title: string; description: string; budgetFen: number },
      quotes: [number, number, number][],
      stage: Stage,
    ) => {
      const plan = '按委托要求完成成果编制，配合专家评审并按意见修改完善。';
      const opened = await anOpenedDemoInquiry(deps, cast, openedDaysAgo, input, quotes.map(([n, yuan, days]) => ({ firm: n, yuan, promisedDays: days, plan })));
      const { clock, run: past, id } = opened;
      const project = { id };
      const endsAt = opened.settled ? publicityEndsAt(opened.settled) : null;
      if (!endsAt) return;
      clock.set(new Date(endsAt.getTime() + 60 * 60 * 1000));
      await settleProject(past, project.id);
      const winner = firm.get(quotes[0]![0])!;
      await acceptAward(past, winner, project.id);
      const [award] = await acceptedAwards(deps.database.db, project.id);
      if (!award || !stage.contract) return;

      const signedOn = addCalendarDays(shanghaiDate(endsAt), stage.contract.afterDays);
      clock.set(shanghaiInstant(signedOn, '15:00'));
      if (clock.now() > deps.clock.now()) return;
      const scan = await storeFile(past, owner, { purpose: CONTRACT_FILE_PURPOSE, file: { filename: `${input.title}-服务合同.pdf`, mimeType: 'application/pdf', data: demoPdf(input.title) } });
      await recordContract(past, owner, project.id, { amountFen: award.amountFen!, signedOn, fileId: scan.id });
      if (!stage.delivery) return;

      clock.set(shanghaiInstant(addCalendarDays(signedOn, stage.delivery.afterDays), '11:00'));
      if (clock.now() > deps.clock.now()) return;
      const report = await storeFile(past, winner, { purpose: DELIVERABLE_FILE_PURPOSE, file: { filename: `${input.title}-成果报告.pdf`, mimeType: 'application/pdf', data: demoPdf(`${input.title} 成果`) } });
      await recordDelivery(past, winner, project.id, { note: stage.delivery.note, fileIds: [report.id] });
      if (!stage.completion) return;

      clock.set(shanghaiInstant(addCalendarDays(signedOn, stage.delivery.afterDays + stage.completion.afterDays), '16:00'));
      if (clock.now() > deps.clock.now()) return;
      const rating = await completeContract(past, owner, project.id, { ratings: stage.completion.ratings, comment: stage.completion.comment });
      if (stage.completion.reply) {
        clock.advance(24 * 60 * 60 * 1000);
        await replyToRating(past, winner, rating.id, stage.completion.reply);
      }
    };
    // a year without an official holiday arrangement cannot be counted; skip rather than guess
    const safely = (project: Promise<void>) =>
      project.catch((error: unknown) => {
        if (!(error instanceof CalendarYearMissingError)) throw error;
      });

    await safely(run(14, {
      serviceCode: 'ZJ-008', title: '滨江大道快速路改造工程交通影响评价', budgetFen: 4_000_000,
      description: '评价改造工程施工期及运营期对周边路网的交通影响，提出交通组织与改善措施。',
    }, [[8, 34_500, 15], [9, 36_000, 18], [14, 37_800, 15]], { contract: { afterDays: 1 } }));

    await safely(run(30, {
      serviceCode: 'ZJ-012', title: '未来科技城人才公寓三期规划放线测量', budgetFen: 3_200_000,
      description: '依据规划许可开展建筑物放线测量，出具放线测量成果报告。',
    }, [[13, 26_800, 12], [6, 28_000, 12], [9, 29_500, 10]], { contract: { afterDays: 2 }, delivery: { afterDays: 12, note: '提交放线测量成果报告及坐标成果表' } }));

    await safely(run(45, {
      serviceCode: 'ZJ-016', title: '市民中心停车场扩建工程预算编制', budgetFen: 2_200_000,
      description: '编制扩建工程施工图预算，配合财政评审。',
    }, [[10, 18_600, 12], [12, 19_900, 15], [1, 20_500, 14]], {
      contract: { afterDays: 1 },
      delivery: { afterDays: 10, note: '提交施工图预算书及编制说明' },
      completion: { afterDays: 3, ratings: { quality: 5, timeliness: 5, attitude: 4, fees: 5, conduct: 5 }, comment: '预算编制细致，按期提交，配合财政评审答疑及时。', reply: '感谢业主的认可，我司将继续做好后续评审配合。' },
    }));

    await safely(run(62, {
      serviceCode: 'ZJ-002', title: '南湖片区排涝泵站新建工程水土保持方案编制', budgetFen: 7_000_000,
      description: '编制水土保持方案报告书并通过水行政主管部门审查。',
    }, [[7, 52_000, 10], [1, 55_000, 12], [6, 57_500, 15]], {
      contract: { afterDays: 1 },
      delivery: { afterDays: 24, note: '提交水土保持方案报告书（送审稿）' },
      completion: { afterDays: 4, ratings: { quality: 3, timeliness: 1, attitude: 2, fees: 2, conduct: 2 }, comment: '成果较承诺时限延迟两周提交，送审稿经两次修改方通过审查。' },
    }));
  },
};
