import type { Translate } from '../platform/i18n/index.js';
import { historyChartSvg } from './chart.js';
import { firmCredit, type CreditDeps } from './service.js';

/** What the firm page's credit block shows: the credit view and its history chart as SVG. */
export async function creditPanel(deps: CreditDeps, firmId: number, t: Translate) {
  const credit = await firmCredit(deps, firmId);
  const first = credit.history[0]!;
  const last = credit.history.at(-1)!;
  const chartSvg = historyChartSvg(credit.history, {
    title: t('credit.chart.title'),
    description: t('credit.chart.description', { from: first.month, to: last.month, first: first.score.toFixed(2), last: last.score.toFixed(2) }),
  });
  return { ...credit, chartSvg };
}
