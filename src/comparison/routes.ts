import type { PlatformDeps } from '../platform/deps.js';
import { translatorFor } from '../platform/i18n/index.js';
import type { RouteTable } from '../platform/http/routes.js';
import { presentProject } from '../projects/presenter.js';
import { projectIdParams, projectResponse } from '../projects/schemas.js';
import { evaluateProposals } from './evaluation.js';
import { comparisonCsv, comparisonXlsx } from './export.js';
import { registerComparisonPages } from './pages.js';
import { registerPlanFileRule } from './proposals.js';
import { comparisonTableResponse, evaluationBody } from './schemas.js';
import { comparisonTable } from './table.js';
import { text } from '../platform/text.js';

const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8';
const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Content-Disposition with an ASCII fallback and the Chinese name (RFC 6266 / 5987). */
const attachment = (ascii: string, chinese: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(chinese)}`;

/** Exports are in Chinese, like the headers. */
const zh = translatorFor('zh-CN');

export function registerComparisonRoutes(routes: RouteTable, deps: PlatformDeps): void {
  const tags = ['comparison'];
  routes.api({
    method: 'post', path: '/projects/:id/evaluation', access: ['owner'], tags, params: projectIdParams, body: evaluationBody,
    summary: 'The owner scores every valid plan once, with a justification (网上比选); then the ranking is published and the evaluation locked',
    response: { status: 200, description: 'The project, in publicity with the ranking', schema: projectResponse }, errors: [409],
    handler: async ({ params, body, user }) => presentProject(await evaluateProposals(deps, user!, params.id, body.scores), user),
  });
  routes.api({
    method: 'get', path: '/projects/:id/comparison', access: 'public', tags, params: projectIdParams,
    summary: 'The side-by-side comparison table: price, promised days, credit, partial scores, total, rank and the formula (403 before the opening)',
    response: { status: 200, description: 'The comparison table', schema: comparisonTableResponse }, errors: [403],
    handler: ({ params, user }) => comparisonTable(deps, user, params.id, zh),
  });
  routes.api({
    method: 'get', path: '/projects/:id/comparison.csv', access: 'public', tags, params: projectIdParams,
    summary: 'The comparison table as CSV (UTF-8 with BOM, Chinese headers, formula below)',
    response: { status: 200, description: 'CSV file', schema: text(), contentType: 'text/csv' }, errors: [403],
    handler: async ({ params, user, res }) => {
      const csv = comparisonCsv(await comparisonTable(deps, user, params.id, zh));
      res.status(200).type(CSV_MEDIA_TYPE).set('Content-Disposition', attachment(`comparison-${params.id}.csv`, `比选对照表-${params.id}.csv`)).send(csv);
      return undefined;
    },
  });
  routes.api({
    method: 'get', path: '/projects/:id/comparison.xlsx', access: 'public', tags, params: projectIdParams,
    summary: 'The comparison table as xlsx',
    response: { status: 200, description: 'xlsx file', schema: text(), contentType: XLSX_MEDIA_TYPE }, errors: [403],
    handler: async ({ params, user, res }) => {
      const xlsx = await comparisonXlsx(await comparisonTable(deps, user, params.id, zh), deps.clock.now());
      res.status(200).type(XLSX_MEDIA_TYPE).set('Content-Disposition', attachment(`comparison-${params.id}.xlsx`, `比选对照表-${params.id}.xlsx`)).send(xlsx);
      return undefined;
    },
  });
  registerComparisonPages(routes, deps);
  registerPlanFileRule();
}
