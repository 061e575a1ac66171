import { appendAudit } from '../audit/service.js';
import { findEvents } from '../audit/repository.js';
import { committedSealedData, revealSealedAudit } from '../audit/sealed.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import { isoShanghai } from '../platform/time.js';
import * as repository from '../projects/repository.js';
import { eligibilityOfMany } from '../projects/registration.js';
import { finishOpening, fail } from './settle.js';
import { startEvaluation } from '../comparison/evaluation.js';
import { startAuction } from '../auction/service.js';
import { receiptHash, sealBinding, SealBrokenError, unseal, type SealedContent } from './sealing.js';
import { clockAt } from '../platform/clock.js';

/** Below this share of the mean of the other valid quotes, a quote is flagged as abnormally low. */
export const ABNORMALLY_LOW_SHARE_PERCENT = 70;

export interface RankedQuote {
  rank: number;
  firmId: number;
  name: string;
  uscc: string;
  amountFen: number;
  discountRateBp?: number;
  promisedDays?: number;
  plan?: string;
  planFiles?: { id: number; sha256: string; filename: string }[];
  receivedAt: string;
  receiptHash: string;
  flags: string[];
}

export interface OpeningResult {
  kind: 'opening';
  openedAt: string;
  ranking: RankedQuote[];
  invalid: { firmId: number; name: string; amountFen: number; reason: string }[];
  tampered: { submissionId: number; firmId: number; reason: string }[];
  tieBreak?: { firmIds: number[]; lotteryId?: string; order?: string[] };
  winners: number[];
  alternates: number[];
}

/** The amount a quote stands for: given directly, or as a discount rate off the base. */
export function quotedAmount(project: repository.ProjectRow, content: SealedContent & { discountRateBp?: number }): number {
  if (project.quoteMode === 'discount' && content.discountRateBp !== undefined) {
    return Math.floor((project.quoteBaseFen! * (10_000 - content.discountRateBp) + 5_000) / 10_000);
  }
  return content.amountFen;
}

/**
 * The receipt hash the chain holds for a submission: in its sealed entry, if that entry still
 * matches its commitment; for a submission stored before events were sealed, in its plain event.
 */
async function recordedReceipt(tx: Tx, projectId: number, submissionId: number): Promise<string | undefined> {
  const [sealed] = await committedSealedData(tx, projectId, 'submission', String(submissionId));
  if (sealed) return (sealed as { receiptHash?: string }).receiptHash;
  const { items } = await findEvents(tx, { entityType: 'submission', entityId: String(submissionId), action: 'submission.received' }, { offset: 0, limit: 1 });
  return (items[0]?.data as { receiptHash?: string } | undefined)?.receiptHash;
}

/**
 * The opening (开标): every stored submission is checked against the receipt hash given to the
 * firm (and kept in the audit chain); a row that does not match, or whose seal does not open, is
 * reported and excluded, never used. Then quotes are ranked, lowest first.
 */
export async function openSubmissions(deps: PlatformDeps, projectId: number) {
  return deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: true });
    const now = deps.clock.now();
    if (!project || project.status !== 'submitting' || !project.submissionClosesAt || project.submissionClosesAt > now) return project;
    const rows = await repository.currentSubmissions(tx, projectId);
    const firms = await repository.findOrganizationsByIds(tx, rows.map((row) => row.firmId));
    const firmOf = (id: number) => firms.find((firm) => firm.id === id)!;
    // a firm blacklisted (or otherwise barred) since it quoted is out at the opening
    const eligibility = await eligibilityOfMany(tx, { clock: clockAt(project.submissionClosesAt) }, project, rows.map((row) => row.firmId));
    const tampered: OpeningResult['tampered'] = [];
    const opened: (RankedQuote & { valid: boolean; reason?: string })[] = [];
    for (const row of rows) {
      const hash = receiptHash({ submissionId: row.id, projectId, firmId: row.firmId, receivedAt: isoShanghai(row.receivedAt), termsVersion: row.termsVersion, sealed: row.sealed });
      const recorded = await recordedReceipt(tx, projectId, row.id);
      if (hash !== row.receiptHash || hash !== recorded) {
        tampered.push({ submissionId: row.id, firmId: row.firmId, reason: 'the stored submission does not match the receipt hash given at submission' });
        continue;
      }
      let content: SealedContent & { discountRateBp?: number };
      try {
        content = unseal(deps.submissionKey, row.sealed, sealBinding(projectId, row.firmId, row.id));
      } catch (error) {
        if (!(error instanceof SealBrokenError)) throw error;
        tampered.push({ submissionId: row.id, firmId: row.firmId, reason: error.message });
        continue;
      }
      const amountFen = quotedAmount(project, content);
      const answer = eligibility.get(row.firmId)!;
      const barred = answer.eligible ? undefined : answer.failures.map((failure) => failure.rule).join(', ');
      opened.push({
        rank: 0,
        firmId: row.firmId,
        name: firmOf(row.firmId).name,
        uscc: firmOf(row.firmId).uscc,
        amountFen,
        ...(content.discountRateBp !== undefined ? { discountRateBp: content.discountRateBp } : {}),
        ...(content.promisedDays !== undefined ? { promisedDays: content.promisedDays } : {}),
        ...(content.plan !== undefined ? { plan: content.plan } : {}),
        ...(content.planFiles !== undefined ? { planFiles: content.planFiles } : {}),
        receivedAt: isoShanghai(row.receivedAt),
        receiptHash: row.receiptHash,
        flags: [],
        valid: amountFen <= project.budgetFen && !barred,
        reason: barred ? `not_eligible: ${barred}` : amountFen > project.budgetFen ? 'above_budget' : undefined,
      });
    }
    const valid = opened.filter((quote) => quote.valid);
    for (const quote of valid) {
      const others = valid.filter((other) => other !== quote);
      if (others.length === 0) continue;
      const meanOthers = others.reduce((sum, other) => sum + other.amountFen, 0) / others.length;
      if (quote.amountFen * 100 < ABNORMALLY_LOW_SHARE_PERCENT * meanOthers) quote.flags.push('abnormally_low');
    }
    const ranking = valid
      .sort((a, b) => a.amountFen - b.amountFen || a.uscc.localeCompare(b.uscc))
      .map(({ valid: _valid, reason: _reason, ...quote }, index) => ({ ...quote, rank: index + 1 }));
    const invalid = opened.filter((quote) => !quote.valid).map((quote) => ({ firmId: quote.firmId, name: quote.name, amountFen: quote.amountFen, reason: quote.reason! }));
    // who registered, quoted and replaced a quote, and when, becomes public now
    await revealSealedAudit(tx, deps.clock, projectId);
    await appendAudit(tx, deps.clock, {
      actor: 'system:selection',
      action: 'project.submissions_opened',
      entityType: 'project',
      entityId: projectId,
      data: { submissions: rows.length, valid: ranking.length, invalid: invalid.length, tampered },
    });
    const opening: OpeningResult = { kind: 'opening', openedAt: now.toISOString(), ranking, invalid, tampered, winners: [], alternates: [] };
    const required = project.method === 'inquiry' || project.method === 'comparison' || project.method === 'bidding' ? project.minRespondents : 1;
    if (ranking.length < required) {
      // the opening report (every price, every excluded row) is published with the failure
      return fail(tx, deps, project, `开标后有效报价 ${ranking.length} 份，少于 ${required} 份`, 'insufficient_valid_submissions', opening);
    }
    // a comparison is ranked by total score after the owner's evaluation, not by price
    if (project.method === 'comparison') return startEvaluation(tx, deps, project, opening);
    // a bidding project's initial bids open a reverse auction instead of deciding
    if (project.method === 'bidding') return startAuction(tx, deps, project, opening);
    const amounts = ranking.map((quote) => quote.amountFen);
    const tiedFirmIds = ranking.filter((quote) => amounts.indexOf(quote.amountFen) !== amounts.lastIndexOf(quote.amountFen)).map((quote) => quote.firmId);
    if (tiedFirmIds.length > 0) {
      // equal quotes are ordered by the tie-break lottery committed at publication, never by time
      const pending = { ...opening, tieBreak: { firmIds: tiedFirmIds } };
      return repository.updateProject(tx, projectId, { status: 'drawing', result: pending, updatedAt: now });
    }
    return finishOpening(tx, deps, project, opening, []);
  });
}
