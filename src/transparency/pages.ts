import type { Request } from 'express';
import Handlebars from 'handlebars';
import type { PlatformDeps } from '../platform/deps.js';
import type { Translate } from '../platform/i18n/index.js';
import type { RouteTable } from '../platform/http/routes.js';
import { formatFen } from '../platform/money.js';
import { shanghaiDate } from '../platform/time.js';
import { announcementKinds, announcementsFeed, listAnnouncements } from './announcements.js';
import { barChartSvg, type Bar } from './charts.js';
import { LICENSE } from './ocds.js';
import { RISK_RULE_NAMES, RISK_RULES, riskFlags } from './risk-flags.js';
import { announcementQuery, feedKindParams, riskFlagQuery } from './schemas.js';
import { computeStatistics, type Statistics } from './statistics.js';

const tOf = (req: Request): Translate => req.res!.locals.t;
const ATOM = 'application/atom+xml; charset=utf-8';

interface ChartView {
  id: string;
  title: string;
  svg: Handlebars.SafeString;
  columns: string[];
  rows: (string | number)[][];
  note?: string;
}

function chart(id: string, title: string, bars: Bar[], columns: string[], rows: (string | number)[][], t: Translate, note?: string): ChartView {
  const description = bars.length ? bars.map((bar) => `${bar.label}: ${bar.display}`).join('; ') : t('transparency.statistics.noData');
  return { id, title, svg: new Handlebars.SafeString(barChartSvg(id, bars, { title, description })), columns, rows, note };
}

const pct = (value: string | null) => (value === null ? '—' : `${value} %`);
const num = (value: number | string | null) => (value === null ? '—' : String(value));

export function statisticsCharts(stats: Statistics, t: Translate): ChartView[] {
  const method = (key: string) => t(`projects.methods.${key}`, { defaultValue: key });
  const status = (key: string) => t(`projects.status.${key}`, { defaultValue: key });
  const s = (key: string) => t(`transparency.statistics.${key}`);
  return [
    chart('chart-methods', s('byMethod'), stats.projectsByMethod.map((row) => ({ label: method(row.key), value: row.count, display: String(row.count) })), [s('method'), s('projects')], stats.projectsByMethod.map((row) => [method(row.key), row.count]), t),
    chart('chart-statuses', s('byStatus'), stats.projectsByStatus.map((row) => ({ label: status(row.key), value: row.count, display: String(row.count) })), [s('status'), s('projects')], stats.projectsByStatus.map((row) => [status(row.key), row.count]), t),
    chart(
      'chart-savings',
      s('savings'),
      stats.savings.byMethod.map((row) => ({ label: method(row.method), value: Number(row.savingsPercent ?? 0), display: pct(row.savingsPercent) })),
      [s('method'), s('projects'), s('budget'), s('winning'), s('savingsAmount'), s('savingsPercent')],
      [
        ...stats.savings.byMethod.map((row) => [method(row.method), row.projects, formatFen(row.budgetFen), formatFen(row.winningFen), formatFen(row.savingsFen), pct(row.savingsPercent)]),
        [s('total'), stats.savings.total.projects, formatFen(stats.savings.total.budgetFen), formatFen(stats.savings.total.winningFen), formatFen(stats.savings.total.savingsFen), pct(stats.savings.total.savingsPercent)],
      ],
      t,
      s('savingsNote'),
    ),
    chart(
      'chart-time',
      s('timeToAward'),
      stats.timeToAward.byMethod.map((row) => ({ label: method(row.method), value: row.medianWorkingDays ?? 0, display: num(row.medianWorkingDays) })),
      [s('method'), s('projects'), s('medianWorkingDays')],
      [...stats.timeToAward.byMethod.map((row) => [method(row.method), row.projects, num(row.medianWorkingDays)]), [s('total'), stats.timeToAward.projects, num(stats.timeToAward.medianWorkingDays)]],
      t,
    ),
    chart(
      'chart-competition',
      s('competition'),
      stats.competition.byMethod.map((row) => ({ label: method(row.method), value: Number(row.meanRegistrants ?? 0), display: num(row.meanRegistrants) })),
      [s('method'), s('projects'), s('meanRegistrants'), s('medianRegistrants')],
      [...stats.competition.byMethod.map((row) => [method(row.method), row.projects, num(row.meanRegistrants), num(row.medianRegistrants)]), [s('total'), stats.competition.projects, num(stats.competition.meanRegistrants), num(stats.competition.medianRegistrants)]],
      t,
    ),
    chart(
      'chart-grades',
      s('creditGrades'),
      stats.creditGrades.grades.map((row) => ({ label: row.grade === 'blacklisted' ? s('blacklisted') : row.grade, value: row.count, display: String(row.count) })),
      [s('grade'), s('firms')],
      stats.creditGrades.grades.map((row) => [row.grade === 'blacklisted' ? s('blacklisted') : row.grade, row.count]),
      t,
    ),
    chart(
      'chart-delivery',
      s('onTimeDelivery'),
      [
        { label: s('onTime'), value: stats.onTimeDelivery.onTime, display: String(stats.onTimeDelivery.onTime) },
        { label: s('overdue'), value: stats.onTimeDelivery.overdue, display: String(stats.onTimeDelivery.overdue) },
      ],
      [s('deliveries'), s('onTime'), s('overdue'), s('onTimePercent')],
      [[stats.onTimeDelivery.deliveries, stats.onTimeDelivery.onTime, stats.onTimeDelivery.overdue, pct(stats.onTimeDelivery.onTimePercent)]],
      t,
    ),
    chart(
      'chart-replies',
      s('questionReplies'),
      stats.questionReplies.byOwner.map((row) => ({ label: row.ownerName, value: Number(row.replyPercent ?? 0), display: pct(row.replyPercent) })),
      [s('owner'), s('answeredOnTime'), s('answeredLate'), s('unanswered'), s('replyPercent'), s('onTimePercent')],
      [
        ...stats.questionReplies.byOwner.map((row) => [row.ownerName, row.onTime, row.late, row.unanswered, pct(row.replyPercent), pct(row.onTimePercent)]),
        [s('total'), stats.questionReplies.total.onTime, stats.questionReplies.total.late, stats.questionReplies.total.unanswered, pct(stats.questionReplies.total.replyPercent), pct(stats.questionReplies.total.onTimePercent)],
      ],
      t,
    ),
  ];
}

export function registerTransparencyPages(routes: RouteTable, deps: PlatformDeps): void {
  const db = deps.database.db;

  routes.page({
    method: 'get',
    path: '/announcements',
    access: 'public',
    query: announcementQuery,
    handler: async ({ req, query }) => {
      const { page, pageSize, ...filter } = query;
      const result = await listAnnouncements(db, filter, { page, pageSize });
      const t = tOf(req);
      const kinds = (await announcementKinds(db)).map((kind) => ({ value: kind, label: t(`transparency.kinds.${kind}`, { defaultValue: kind }), selected: kind === filter.kind }));
      const values = {
        kind: filter.kind ?? '',
        projectId: filter.projectId ?? '',
        since: typeof req.query.since === 'string' ? req.query.since : '',
        until: typeof req.query.until === 'string' ? req.query.until : '',
      };
      const params = (p: number) => new URLSearchParams({ ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '').map(([k, v]) => [k, String(v)])), page: String(p) }).toString();
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      return {
        view: 'transparency/announcements',
        data: {
          title: t('transparency.announcements.title'),
          result: { ...result, items: result.items.map((item) => ({ ...item, kindLabel: t(`transparency.kinds.${item.kind}`, { defaultValue: item.kind }) })) },
          kinds,
          values,
          pages,
          previous: page > 1 ? `/announcements?${params(page - 1)}` : null,
          next: page < pages ? `/announcements?${params(page + 1)}` : null,
          kindFeed: filter.kind ? `/feeds/announcements/${filter.kind}.atom` : null,
        },
      };
    },
  });

  routes.page({
    method: 'get',
    path: '/feeds/announcements.atom',
    access: 'public',
    handler: async ({ res }) => {
      res.status(200).type(ATOM).send(await announcementsFeed(db, deps.clock, deps.config.publicBaseUrl));
    },
  });

  routes.page({
    method: 'get',
    path: '/feeds/announcements/:kind.atom',
    access: 'public',
    params: feedKindParams,
    handler: async ({ res, params }) => {
      res.status(200).type(ATOM).send(await announcementsFeed(db, deps.clock, deps.config.publicBaseUrl, params.kind));
    },
  });

  routes.page({
    method: 'get',
    path: '/statistics',
    access: 'public',
    handler: async ({ req }) => {
      const t = tOf(req);
      const stats = await computeStatistics(db, deps.clock);
      return {
        view: 'transparency/statistics',
        data: { title: t('transparency.statistics.title'), charts: statisticsCharts(stats, t), asOf: shanghaiDate(deps.clock.now()), stylesheets: ['/assets/css/transparency.css'] },
      };
    },
  });

  routes.page({
    method: 'get',
    path: '/staff/risk-flags',
    access: ['staff', 'admin'],
    query: riskFlagQuery,
    handler: async ({ req, query }) => {
      const t = tOf(req);
      const flags = await riskFlags(db, deps.clock, query);
      return {
        view: 'transparency/risk-flags',
        data: {
          title: t('transparency.risk.title'),
          rules: RISK_RULE_NAMES.map((rule) => ({ value: rule, label: t(`transparency.risk.rules.${rule}`), threshold: RISK_RULES[rule].threshold, selected: rule === query.rule })),
          values: { projectId: query.projectId ?? '' },
          flags: flags.map((item) => ({ ...item, ruleLabel: t(`transparency.risk.rules.${item.rule}`), evidenceJson: JSON.stringify(item.evidence, null, 2) })),
        },
      };
    },
  });

  routes.page({
    method: 'get',
    path: '/ocds',
    access: 'public',
    handler: async ({ req }) => ({
      view: 'transparency/ocds',
      data: { title: tOf(req)('transparency.ocds.title'), prefix: deps.config.ocdsPrefix, license: LICENSE },
    }),
  });
}
