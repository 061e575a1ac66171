import { appendAudit } from '../audit/service.js';
import { summariesOf } from '../credit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import { AppError, conflict, forbidden, notFound, type FieldError } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import * as repository from '../projects/repository.js';
import { announce, isOwnerOf, type ProjectOptions } from '../projects/service.js';
import type { OpeningResult } from '../selection/opening.js';
import { publishResult, settleProject } from '../selection/settle.js';
import type { Comparison, ComparisonResult, ComparisonRow } from './model.js';
import { automaticScores, formatMilli, planScore, toTenths } from './scoring.js';

const SYSTEM = 'system:selection';

export interface PlanScoreInput {
  firmId: number;
  planPoints: number;
  justification: string;
}

/**
 * After the opening of a comparison: price, time and credit are scored at once (credit as it
 * stands at the opening instant, recorded so it never changes) and the project waits for the
 * owner's plan scores.
 */
export async function startEvaluation(tx: Tx, deps: PlatformDeps, project: repository.ProjectRow, opening: OpeningResult) {
  const now = deps.clock.now();
  const options = project.options as ProjectOptions;
  const weights = options.weights!;
  const credit = await summariesOf(tx, opening.ranking.map((quote) => quote.firmId), now);
  const proposals = opening.ranking.map((quote) => ({
    firmId: quote.firmId,
    amountFen: quote.amountFen,
    promisedDays: quote.promisedDays!,
    creditHundredths: credit.get(quote.firmId)!.hundredths,
  }));
  const scores = automaticScores(weights, proposals);
  const rows: ComparisonRow[] = opening.ranking.map((quote, index) => ({
    firmId: quote.firmId,
    name: quote.name,
    uscc: quote.uscc,
    amountFen: quote.amountFen,
    promisedDays: proposals[index]!.promisedDays,
    creditHundredths: proposals[index]!.creditHundredths,
    creditGrade: credit.get(quote.firmId)!.grade,
    ...scores.get(quote.firmId)!,
  }));
  const comparison: Comparison = {
    weights,
    ...(options.planCriteria ? { planCriteria: options.planCriteria } : {}),
    creditAt: now.toISOString(),
    lowestFen: Math.min(...proposals.map((p) => p.amountFen)),
    shortestDays: Math.min(...proposals.map((p) => p.promisedDays)),
    rows,
  };
  const updated = await repository.updateProject(tx, project.id, { status: 'evaluating', result: { ...opening, comparison }, updatedAt: now });
  await appendAudit(tx, deps.clock, {
    actor: SYSTEM,
    action: 'project.evaluation_started',
    entityType: 'project',
    entityId: project.id,
    data: { creditAt: comparison.creditAt, rows: rows.map(({ firmId, creditHundredths, priceScore, timeScore, creditScore }) => ({ firmId, creditHundredths, priceScore, timeScore, creditScore })) },
  });
  await announce(tx, deps, updated, 'comparison_opened', `比选开标：${project.title}`, `有效方案 ${rows.length} 份，价格、工期、信用分已计算，待业主评审方案。`);
  return updated;
}

const invalidScores = (message: string, errors: FieldError[]) => new AppError(400, 'invalid_evaluation', message, errors);

/** Checks the owner's scores against the proposals and weights; returns plan points in tenths by firm. */
function checkScores(comparison: Comparison, scores: PlanScoreInput[]): Map<number, { tenths: number; justification: string }> {
  const expected = new Set(comparison.rows.map((row) => row.firmId));
  const seen = new Set<number>();
  const errors: FieldError[] = [];
  const byFirm = new Map<number, { tenths: number; justification: string }>();
  scores.forEach((score, index) => {
    if (!expected.has(score.firmId)) errors.push({ path: `body.scores.${index}.firmId`, message: 'the firm has no valid proposal here' });
    else if (seen.has(score.firmId)) errors.push({ path: `body.scores.${index}.firmId`, message: 'the firm is scored twice' });
    seen.add(score.firmId);
    const tenths = toTenths(score.planPoints);
    if (tenths === undefined || tenths < 0 || tenths > comparison.weights.plan * 10) {
      errors.push({ path: `body.scores.${index}.planPoints`, message: 'must be between 0 and the plan weight with at most one decimal', params: { maximum: comparison.weights.plan } });
    } else {
      byFirm.set(score.firmId, { tenths, justification: score.justification.trim() });
    }
  });
  const missing = [...expected].filter((firmId) => !seen.has(firmId));
  if (missing.length) errors.push({ path: 'body.scores', message: 'every valid proposal must be scored once' });
  if (errors.length) throw invalidScores('The evaluation must score every valid proposal exactly once, within the plan weight', errors);
  return byFirm;
}

/**
 * The owner's evaluation (评审): plan points with a justification per proposal, submitted once
 * and then locked. Totals rank the proposals; equal totals go to the tie-break lottery committed
 * at publication, and the result goes into publicity.
 */
export async function evaluateProposals(deps: PlatformDeps, user: CurrentUser, projectId: number, scores: PlanScoreInput[]) {
  await settleProject(deps, projectId);
  const evaluated = await deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: true });
    if (!project || project.status === 'draft') throw notFound('Project');
    if (project.method !== 'comparison') throw conflict('not_comparison', 'This project is not an online comparison');
    if (!isOwnerOf(user, project)) throw forbidden('Only the project owner evaluates the proposals');
    const result = project.result as ComparisonResult | null;
    if (result?.comparison?.evaluation) throw conflict('evaluation_locked', 'The evaluation was submitted and is locked');
    if (project.status !== 'evaluating' || !result?.comparison) {
      throw conflict('not_evaluating', `Proposals are evaluated after the opening; the project is ${project.status}`).with({ status: project.status });
    }
    const byFirm = checkScores(result.comparison, scores);
    const now = deps.clock.now();
    const rows = result.comparison.rows.map((row) => {
      const given = byFirm.get(row.firmId)!;
      const plan = planScore(given.tenths);
      return { ...row, planTenths: given.tenths, planScore: plan, justification: given.justification, total: row.priceScore + row.timeScore + row.creditScore + plan };
    });
    const comparison: Comparison = { ...result.comparison, rows, evaluation: { evaluatedAt: now.toISOString(), evaluatedBy: user.id } };
    await appendAudit(tx, deps.clock, {
      actor: `user:${user.id}`,
      action: 'project.evaluated',
      entityType: 'project',
      entityId: projectId,
      data: { scores: rows.map((row) => ({ firmId: row.firmId, planTenths: row.planTenths, justification: row.justification, total: row.total })) },
    });
    const totals = rows.map((row) => row.total);
    const tied = rows.filter((row) => totals.indexOf(row.total) !== totals.lastIndexOf(row.total)).map((row) => row.firmId);
    if (tied.length > 0) {
      // equal totals are ordered by the tie-break lottery committed at publication, never by hand
      return repository.updateProject(tx, projectId, { status: 'drawing', result: { ...result, comparison, tieBreak: { firmIds: tied } }, updatedAt: now });
    }
    return finishComparison(tx, deps, project, { ...result, comparison }, []);
  });
  return evaluated.status === 'drawing' ? (await settleProject(deps, projectId))! : evaluated;
}

/** Ranks by total (highest first), equal totals by the tie-break draw, and publishes the result. */
export async function finishComparison(tx: Tx, deps: PlatformDeps, project: repository.ProjectRow, result: ComparisonResult, drawOrder: string[]) {
  const position = new Map(drawOrder.map((uscc, index) => [uscc, index]));
  const rows = [...result.comparison.rows]
    .sort((a, b) => b.total! - a.total! || (position.get(a.uscc) ?? 0) - (position.get(b.uscc) ?? 0))
    .map((row, index) => ({ ...row, rank: index + 1 }));
  const quoteOf = new Map(result.ranking.map((quote) => [quote.firmId, quote]));
  const ranking = rows.map((row) => ({ ...quoteOf.get(row.firmId)!, rank: row.rank }));
  const winners = rows.slice(0, project.winners).map((row) => row.firmId);
  await appendAudit(tx, deps.clock, {
    actor: SYSTEM,
    action: 'project.comparison_ranked',
    entityType: 'project',
    entityId: project.id,
    data: { ranking: rows.map((row) => ({ firmId: row.firmId, total: formatMilli(row.total!), rank: row.rank })), tieBreakLotteryId: result.tieBreak ? project.tieBreakLotteryId : undefined },
  });
  return publishResult(tx, deps, project, {
    ...result,
    comparison: { ...result.comparison, rows },
    ranking,
    tieBreak: result.tieBreak ? { ...result.tieBreak, lotteryId: project.tieBreakLotteryId!, order: drawOrder } : undefined,
    winners,
    alternates: rows.slice(project.winners).map((row) => row.firmId),
  });
}

/** What the owner's evaluation form shows: every valid proposal with its plan and automatic scores. */
export async function evaluationSheet(deps: PlatformDeps, user: CurrentUser, projectId: number) {
  const project = await settleProject(deps, projectId);
  if (!project || project.status === 'draft') throw notFound('Project');
  if (project.method !== 'comparison') throw conflict('not_comparison', 'This project is not an online comparison');
  if (!isOwnerOf(user, project)) throw forbidden('Only the project owner evaluates the proposals');
  const result = project.result as ComparisonResult | null;
  if (result?.comparison?.evaluation) throw conflict('evaluation_locked', 'The evaluation was submitted and is locked');
  if (project.status !== 'evaluating' || !result?.comparison) throw conflict('not_evaluating', `Proposals are evaluated after the opening; the project is ${project.status}`).with({ status: project.status });
  const quotes = new Map(result.ranking.map((quote) => [quote.firmId, quote]));
  return { project, comparison: result.comparison, planOf: (firmId: number) => quotes.get(firmId)?.plan, planFilesOf: (firmId: number) => quotes.get(firmId)?.planFiles ?? [] };
}
