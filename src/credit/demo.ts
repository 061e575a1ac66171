import { publishEntry } from '../blacklist/service.js';
import { listFirms } from '../firms/service.js';
import type { DemoLoader } from '../platform/demo.js';
import type { CurrentUser } from '../platform/http/access.js';
import { recordEvent } from './service.js';
import type { EventKind } from './score.js';

const DAY_MS = 24 * 60 * 60 * 1000;

// [kind, days ago, note]: a spread of grades across the directory, with history to chart
const STORIES: [EventKind, number, string][][] = [
  [['owner_rating_good', 300, '业主评价：报告质量高，沟通及时'], ['delivery_on_time', 240, '按合同约定时间交付'], ['owner_rating_good', 150, '业主评价：现场服务认真'], ['delivery_on_time', 90, '提前三天交付'], ['owner_rating_good', 20, '业主评价：满意']],
  [['delivery_overdue', 200, '逾期 12 天交付成果'], ['owner_rating_poor', 120, '业主评价：成果多处返工']],
  [['award_abandoned', 330, '中选后未签订合同'], ['violation_minor', 100, '报名材料与事实不符'], ['objection_upheld', 45, '投诉成立：超资质范围承接业务']],
  [['delivery_on_time', 60, '按合同约定时间交付']],
];

/** Credit events for the first demo firms and one blacklist entry, so the pages have something to show. */
export const creditDemoLoader: DemoLoader = {
  name: 'credit and blacklist',
  load: async (deps) => {
    const staff: CurrentUser = { id: 0, username: 'system', role: 'staff', organizationId: null, displayName: 'demo', via: 'token' };
    const { items } = await listFirms(deps, staff, { status: 'admitted' }, { page: 1, pageSize: 10 });
    const now = deps.clock.now().getTime();
    await deps.database.transaction(async (tx) => {
      for (const [index, story] of STORIES.entries()) {
        const firm = items[index];
        if (!firm) break;
        for (const [kind, daysAgo, note] of story) {
          await recordEvent(tx, deps, 'system:demo', { firmId: firm.id, kind, occurredAt: new Date(now - daysAgo * DAY_MS), source: 'demo', note });
        }
      }
    });
    const listed = items[4];
    if (listed) {
      await publishEntry(deps, staff, {
        firmId: listed.id,
        reason: '在中介服务中出具虚假评估报告',
        basis: '《国务院办公厅关于清理规范投资项目报建审批事项的通知》及本市中介服务超市管理办法第三十条',
        evidence: '市住建局行政处罚决定书（演示数据）',
        endsAt: new Date(now + 365 * DAY_MS).toISOString(),
      });
    }
  },
};
