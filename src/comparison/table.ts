import type { PlatformDeps } from '../platform/deps.js';
import { AppError, forbidden, notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { languageOf, type Translate } from '../platform/i18n/index.js';
import { formatFen } from '../platform/money.js';
import { formatBeijing, isoShanghai } from '../platform/time.js';
import { isOwnerOf } from '../projects/service.js';
import { settleProject } from '../selection/settle.js';
import type { ComparisonResult } from './model.js';
import { formatHundredths, formatMilli } from './scoring.js';

export interface ComparisonTableRow {
  rank: number | null;
  firmId: number;
  name: string;
  uscc: string;
  amountFen: number;
  promisedDays: number;
  credit: { score: string; grade: string };
  /** Partial scores and total as exact decimals with three places ("38.462"); null before the evaluation. */
  scores: { price: string; time: string; credit: string; plan: string | null };
  total: string | null;
  /** The same in thousandths of a point, for machines. */
  milli: { price: number; time: number; credit: number; plan: number | null; total: number | null };
  winner: boolean;
  /** e.g. abnormally_low: a price under 70 % of the mean of the others, flagged for the owner. */
  flags: string[];
  justification?: string;
  /** The owner and staff only. */
  plan?: string;
  planFiles?: { id: number; sha256: string; filename: string }[];
}

export interface ComparisonTable {
  projectId: number;
  title: string;
  status: string;
  evaluated: boolean;
  openedAt: string;
  creditAt: string;
  weights: { price: number; credit: number; time: number; plan: number };
  planCriteria: { criterion: string; maxPoints: number }[];
  lowestFen: number;
  shortestDays: number;
  rows: ComparisonTableRow[];
  tieBreak: { lotteryId: string; firmIds: number[]; order: string[] } | null;
  formula: string[];
}

/** The formula printed under the table, in the reader's language, with this project's numbers. */
export function formulaLines(table: Pick<ComparisonTable, 'weights' | 'lowestFen' | 'shortestDays' | 'creditAt'>, t: Translate): string[] {
  const { weights } = table;
  return [
    t('comparison.formula.price', { weight: weights.price, lowest: formatFen(table.lowestFen) }),
    t('comparison.formula.time', { weight: weights.time, shortest: table.shortestDays }),
    t('comparison.formula.credit', { weight: weights.credit, at: formatBeijing(new Date(table.creditAt), languageOf(t)) }),
    t('comparison.formula.plan', { weight: weights.plan }),
    t('comparison.formula.total'),
  ];
}

/**
 * The side-by-side table (比选对照表) of a comparison project: public from the opening on. Plans
 * stay with the owner and staff; the owner's justifications are published with the scores.
 */
export async function comparisonTable(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number, t: Translate): Promise<ComparisonTable> {
  const project = await settleProject(deps, projectId);
  if (!project || project.status === 'draft' || project.method !== 'comparison') throw notFound('Comparison table');
  const result = project.result as ComparisonResult | null;
  if (!result?.comparison || project.status === 'drawing') {
    if (['registering', 'submitting', 'drawing'].includes(project.status)) throw forbidden('Proposals are sealed until the opening');
    throw notFound('Comparison table');
  }
  const privileged = isStaff(viewer) || (viewer !== undefined && isOwnerOf(viewer, project));
  const { comparison } = result;
  const winners = new Set(result.winners);
  const quotes = new Map(result.ranking.map((quote) => [quote.firmId, quote]));
  const rows = comparison.rows.map((row): ComparisonTableRow => ({
    rank: row.rank ?? null,
    firmId: row.firmId,
    name: row.name,
    uscc: row.uscc,
    amountFen: row.amountFen,
    promisedDays: row.promisedDays,
    credit: { score: formatHundredths(row.creditHundredths), grade: row.creditGrade },
    scores: {
      price: formatMilli(row.priceScore),
      time: formatMilli(row.timeScore),
      credit: formatMilli(row.creditScore),
      plan: row.planScore === undefined ? null : formatMilli(row.planScore),
    },
    total: row.total === undefined ? null : formatMilli(row.total),
    milli: { price: row.priceScore, time: row.timeScore, credit: row.creditScore, plan: row.planScore ?? null, total: row.total ?? null },
    winner: winners.has(row.firmId),
    flags: quotes.get(row.firmId)?.flags ?? [],
    ...(row.justification !== undefined ? { justification: row.justification } : {}),
    ...(privileged && quotes.get(row.firmId)?.plan !== undefined ? { plan: quotes.get(row.firmId)!.plan } : {}),
    ...(privileged && quotes.get(row.firmId)?.planFiles ? { planFiles: quotes.get(row.firmId)!.planFiles } : {}),
  }));
  const table = {
    projectId: project.id,
    title: project.title,
    status: project.status,
    evaluated: Boolean(comparison.evaluation),
    openedAt: isoShanghai(new Date(result.openedAt)),
    creditAt: isoShanghai(new Date(comparison.creditAt)),
    weights: comparison.weights,
    planCriteria: comparison.planCriteria ?? [],
    lowestFen: comparison.lowestFen,
    shortestDays: comparison.shortestDays,
    rows,
    tieBreak: result.tieBreak?.lotteryId ? { lotteryId: result.tieBreak.lotteryId, firmIds: result.tieBreak.firmIds, order: result.tieBreak.order ?? [] } : null,
  };
  return { ...table, formula: formulaLines(table, t) };
}

/** The table for the project page, or undefined while there is none to show. */
export async function comparisonForPage(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number, t: Translate) {
  try {
    const table = await comparisonTable(deps, viewer, projectId, t);
    return {
      ...table,
      rows: table.rows.map((row) => ({
        ...row,
        outcome: t(`comparison.outcome.${row.rank === null ? 'pending' : row.winner ? 'winner' : 'alternate'}`),
        flagLabels: row.flags.map((flag) => t(`projects.flags.${flag}`, { defaultValue: flag })),
      })),
      showPlans: table.rows.some((row) => row.plan !== undefined),
      showJustifications: table.rows.some((row) => row.justification !== undefined),
    };
  } catch (error) {
    if (error instanceof AppError && (error.status === 403 || error.status === 404)) return undefined;
    throw error;
  }
}
