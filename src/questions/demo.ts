import { demoCast } from '../projects/demo-support.js';
import { deliverDue } from '../notifications/service.js';
import { HOUR } from '../platform/clock.js';
import type { DemoLoader } from '../platform/demo.js';
import { listProjects } from '../projects/repository.js';
import * as repository from './repository.js';
import { answerQuestion, askQuestion } from './service.js';

/**
 * Questions on the demo owner's projects: answered and unanswered ones on open projects (asked
 * now, through the service), and a late and an on-time answer in the past on a closed project
 * (history cannot be asked today, so those rows are written as they were). The notifications
 * they cause are pushed to the outbox at once.
 */
export const questionsDemoLoader: DemoLoader = {
  name: 'questions and notifications',
  load: async (deps) => {
    const db = deps.database.db;
    const cast = await demoCast(deps, [1, 2, 3]);
    if (!cast?.owner.organizationId) return;
    const { owner } = cast;
    const firms = [1, 2, 3].map((n) => cast.firm.get(n)!);
    const { items } = await listProjects(db, { ownerId: owner.organizationId!, publishedOnly: true }, { offset: 0, limit: 100 });
    const now = deps.clock.now();
    const open = items.filter((p) => (p.status === 'registering' && p.registrationClosesAt > now) || (p.status === 'submitting' && p.submissionClosesAt && p.submissionClosesAt > now));
    const closed = items.find((p) => !open.includes(p) && p.status !== 'cancelled');

    const [first, second] = open;
    if (first) {
      const asked = await askQuestion(deps, firms[0]!, first.id, '报价是否需要包含专家评审会的费用？');
      await answerQuestion(deps, owner, asked.id, '需要包含。专家评审会由中介机构组织，费用计入报价。');
      await askQuestion(deps, firms[1]!, first.id, '现场踏勘是否统一组织？');
    }
    if (second) await askQuestion(deps, firms[2]!, second.id, '成果文件需要提交几份纸质版？');
    if (closed) {
      const history = [
        { askedHoursAgo: 24 * 9, answeredHoursAgo: 24 * 2, text: '项目所在地块是否已完成土地勘测定界？', answer: '已完成，勘测定界图随报名资料提供。' },
        { askedHoursAgo: 24 * 8, answeredHoursAgo: 24 * 7, text: '服务期限是否包含审查修改时间？', answer: '包含。' },
      ];
      for (const [index, item] of history.entries()) {
        const askedAt = new Date(now.getTime() - item.askedHoursAgo * HOUR);
        await repository.insertQuestion(db, {
          projectId: closed.id, firmId: firms[index]!.organizationId!, askedBy: firms[index]!.id, text: item.text, askedAt,
          answerDueAt: new Date(askedAt.getTime() + 2 * 24 * HOUR),
          answer: item.answer, answeredAt: new Date(now.getTime() - item.answeredHoursAgo * HOUR), answeredBy: owner.id,
        });
      }
    }
    await deliverDue(deps);
  },
};
