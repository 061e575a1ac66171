import { sql } from 'drizzle-orm';
import { appendAudit } from '../audit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import { queryRows } from '../platform/db/index.js';
import { AppError, conflict, forbidden, notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import * as repository from '../projects/repository.js';
import { eligibilityFor, notEligible } from '../projects/registration.js';
import { isOwnerOf, isStaff, SEALED_METHODS } from '../projects/service.js';
import { quotedAmount, type OpeningResult } from './opening.js';
import { receiptHash, seal, sealBinding, unseal } from './sealing.js';
import { proposalExtras } from '../comparison/proposals.js';
import { findAuction } from '../auction/repository.js';
import { settleProject } from './settle.js';

export interface SubmissionInput {
  amountFen?: number;
  discountRateBp?: number;
  promisedDays?: number;
  plan?: string;
  planFileIds?: number[];
}

export interface Receipt {
  submissionId: number;
  projectId: number;
  receivedAt: string;
  receiptHash: string;
}

const receiptOf = (row: repository.SubmissionRow): Receipt => ({
  submissionId: row.id,
  projectId: row.projectId,
  receivedAt: isoShanghai(row.receivedAt),
  receiptHash: row.receiptHash,
});

function requireFirm(user: CurrentUser): number {
  if (user.role !== 'agency' || !user.organizationId) throw forbidden('Only intermediary firms submit');
  return user.organizationId;
}

/**
 * Accepts a sealed submission until the deadline (the second of the deadline is already too
 * late). The last one counts; a retry with the same Idempotency-Key gets the same receipt.
 */
export async function submitSealed(
  deps: PlatformDeps,
  user: CurrentUser,
  projectId: number,
  input: SubmissionInput,
  idempotencyKey?: string,
): Promise<{ receipt: Receipt; replayed: boolean }> {
  const firmId = requireFirm(user);
  await settleProject(deps, projectId);
  if (idempotencyKey) {
    const earlier = await repository.findSubmissionByKey(deps.database.db, projectId, firmId, idempotencyKey);
    if (earlier) return { receipt: receiptOf(earlier), replayed: true };
  }
  return deps.database.transaction(async (tx) => {
    const project = await repository.findProject(tx, projectId, { lock: false });
    if (!project || project.status === 'draft') throw notFound('Project');
    if (!SEALED_METHODS.has(project.method)) throw conflict('no_sealed_submissions', `Method ${project.method} takes no sealed submissions`);
    const now = deps.clock.now();
    if (project.status !== 'submitting' || !project.submissionClosesAt || project.submissionClosesAt <= now) {
      throw conflict('submissions_closed', project.status === 'registering' ? 'Submissions open when registration closes' : 'The submission deadline has passed');
    }
    const registration = await repository.findActiveRegistration(tx, projectId, firmId, { lock: true });
    if (!registration) throw forbidden('Only registered firms may submit');
    if (project.method === 'lottery_inquiry' && !((project.result as { drawn?: number[] } | null)?.drawn ?? []).includes(firmId)) {
      throw forbidden('Only the firms drawn by the lottery may submit quotes');
    }
    if (idempotencyKey) {
      const raced = await repository.findSubmissionByKey(tx, projectId, firmId, idempotencyKey);
      if (raced) return { receipt: receiptOf(raced), replayed: true };
    }
    // a firm blacklisted, suspended or flagged since registration closed may not quote either
    const answer = await eligibilityFor(tx, deps, project, firmId);
    if (!answer.eligible) throw notEligible(answer.failures, 'submit');
    if (project.quoteMode === 'discount' && input.discountRateBp === undefined) throw new AppError(400, 'discount_expected', 'This project asks for a discount rate (discountRateBp)', [{ path: 'body.discountRateBp', message: 'is required' }]);
    if (project.quoteMode === 'amount' && input.amountFen === undefined) throw new AppError(400, 'amount_expected', 'This project asks for an amount (amountFen)', [{ path: 'body.amountFen', message: 'is required' }]);
    const content = {
      amountFen: input.amountFen ?? 0,
      ...(input.discountRateBp !== undefined ? { discountRateBp: input.discountRateBp } : {}),
      ...(input.promisedDays !== undefined ? { promisedDays: input.promisedDays } : {}),
      ...(input.plan !== undefined ? { plan: input.plan } : {}),
    };
    const amount = quotedAmount(project, content);
    if (amount > project.budgetFen) {
      throw new AppError(400, 'above_budget', `The quote (${amount} fen) is above the project's upper limit (${project.budgetFen} fen)`, [{ path: input.amountFen !== undefined ? 'body.amountFen' : 'body.discountRateBp', message: 'is above the upper limit' }]);
    }
    Object.assign(content, await proposalExtras(tx, project, firmId, input));
    const [next] = await queryRows<{ id: number }>(tx, sql`select nextval(pg_get_serial_sequence('submissions', 'id'))::int as id`);
    const id = next!.id;
    const sealed = seal(deps.submissionKey, content, sealBinding(projectId, firmId, id));
    const receivedAt = new Date(now.getTime());
    const hash = receiptHash({ submissionId: id, projectId, firmId, receivedAt: isoShanghai(receivedAt), termsVersion: project.termsVersion, sealed });
    for (const previous of await repository.currentSubmissions(tx, projectId, firmId)) {
      await repository.updateSubmission(tx, previous.id, { status: 'replaced' });
    }
    const row = await repository.insertSubmission(tx, {
      id,
      projectId,
      firmId,
      sealed,
      receivedAt,
      termsVersion: project.termsVersion,
      receiptHash: hash,
      idempotencyKey: idempotencyKey ?? null,
      status: 'current',
    });
    await appendAudit(tx, deps.clock, {
      actor: `user:${user.id}`,
      action: 'submission.received',
      entityType: 'submission',
      entityId: id,
      data: { projectId, firmId, receiptHash: hash, termsVersion: project.termsVersion },
    });
    return { receipt: receiptOf(row), replayed: false };
  });
}

/** A firm reads its own current submission (decrypted for it alone) with its receipt. */
export async function mySubmission(deps: PlatformDeps, user: CurrentUser, projectId: number) {
  const firmId = requireFirm(user);
  const [row] = await repository.currentSubmissions(deps.database.db, projectId, firmId);
  if (!row) throw notFound('Submission');
  return { ...receiptOf(row), content: unseal(deps.submissionKey, row.sealed, sealBinding(projectId, firmId, row.id)) };
}

/**
 * Before the opening nobody sees any submission: not the owner, staff or an admin (403).
 * After it, the owner and staff see every submission with plans; the public sees prices on the
 * project page.
 */
export async function openedSubmissions(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number) {
  const project = await settleProject(deps, projectId);
  if (!project || project.status === 'draft') throw notFound('Project');
  const result = project.result as (Omit<Partial<OpeningResult>, 'kind'> & { kind?: string }) | null;
  // a reverse auction keeps its opening report (names, plans) aside until its result is out
  const opened = result?.kind === 'opening' || result?.kind === 'auction';
  if (!opened || project.status === 'drawing') {
    throw forbidden('Submissions are sealed until the opening');
  }
  if (!isStaff(viewer) && !(viewer && isOwnerOf(viewer, project))) throw forbidden('Only the owner and staff see the full submissions');
  const opening = (result.kind === 'auction' ? (await findAuction(deps.database.db, projectId))?.opening ?? result : result) as Partial<OpeningResult>;
  return { openedAt: opening.openedAt, ranking: opening.ranking, invalid: opening.invalid, tampered: opening.tampered, tieBreak: result.tieBreak };
}

export async function submissionCount(deps: PlatformDeps, projectId: number) {
  return repository.countCurrentSubmissions(deps.database.db, projectId);
}
