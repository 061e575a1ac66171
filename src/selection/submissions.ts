import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import { AppError, conflict, forbidden, notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import * as repository from '../projects/repository.js';
import { eligibilityOfMany, notEligible } from '../projects/registration.js';
import { GroupCommit, type Outcome } from '../platform/group-commit.js';
import { isOwnerOf, isStaff, SEALED_METHODS } from '../projects/service.js';
import { auditParticipation } from '../projects/secrecy.js';
import { quotedAmount, type OpeningResult } from './opening.js';
import { receiptHash, seal, sealBinding, unseal, type SealedContent } from './sealing.js';
import { proposalExtras } from '../comparison/proposals.js';
import { findAuction } from '../auction/repository.js';
import { selectionStepDue, settleProject } from './settle.js';

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

const receiptOf = (row: Pick<repository.SubmissionRow, 'id' | 'projectId' | 'receivedAt' | 'receiptHash'>): Receipt => ({
  submissionId: row.id,
  projectId: row.projectId,
  receivedAt: isoShanghai(row.receivedAt),
  receiptHash: row.receiptHash,
});

function requireFirm(user: CurrentUser): number {
  if (user.role !== 'agency' || !user.organizationId) throw forbidden('Only intermediary firms submit');
  return user.organizationId;
}

export interface SubmissionResult {
  receipt: Receipt;
  replayed: boolean;
}

interface SubmissionRequest {
  user: CurrentUser;
  firmId: number;
  input: SubmissionInput;
  idempotencyKey?: string;
}

/**
 * Two batches of one project may commit at once: while one waits for its fsync the next is
 * checked and sealed (they meet only on the audit head, at the very end).
 */
const BATCHES_PER_PROJECT = 2;

/** One group-commit intake per running platform (its deps), batching by project. */
const intakes = new WeakMap<PlatformDeps, GroupCommit<number, SubmissionRequest, SubmissionResult>>();

function intakeOf(deps: PlatformDeps) {
  let intake = intakes.get(deps);
  if (!intake) {
    intake = new GroupCommit((projectId, requests) => acceptSubmissions(deps, projectId, requests), { concurrency: BATCHES_PER_PROJECT });
    intakes.set(deps, intake);
  }
  return intake;
}

/**
 * Accepts a sealed submission until the deadline (the second of the deadline is already too
 * late). The last one counts; a retry with the same Idempotency-Key gets the same receipt.
 * Submissions to one project that arrive together are committed together (group commit): each
 * firm still gets its own receipt, only after the commit, and its own refusal if it has one.
 */
export async function submitSealed(
  deps: PlatformDeps,
  user: CurrentUser,
  projectId: number,
  input: SubmissionInput,
  idempotencyKey?: string,
): Promise<SubmissionResult> {
  const firmId = requireFirm(user);
  return intakeOf(deps).submit(projectId, { user, firmId, input, ...(idempotencyKey ? { idempotencyKey } : {}) });
}

const refused = (error: unknown): Outcome<SubmissionResult> => ({ ok: false, error });

/** The checks of one request that need no write: a refusal, or the content to seal. */
function quoteOf(project: repository.ProjectRow, request: SubmissionRequest): SealedContent & { discountRateBp?: number } {
  const { input } = request;
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
    throw new AppError(400, 'above_budget', `The quote (${amount} fen) is above the project's upper limit (${project.budgetFen} fen)`, [{ path: input.amountFen !== undefined ? 'body.amountFen' : 'body.discountRateBp', message: 'is above the upper limit' }]).with({ amountFen: amount, budgetFen: project.budgetFen });
  }
  return content;
}

/**
 * One transaction for a batch of submissions to one project. The project row is share-locked,
 * so the opening (which locks it for update) waits for every submission already under way and
 * sees it. The firms' registrations are locked, so a firm's own quotes stay in order across
 * processes. Refusals are decided before anything is written; the accepted ones are sealed,
 * stored and audited with one statement each for the whole batch.
 */
async function acceptSubmissions(deps: PlatformDeps, projectId: number, requests: SubmissionRequest[]): Promise<Outcome<SubmissionResult>[]> {
  const outcomes = await acceptSubmissionsOnce(deps, projectId, requests, false);
  if (outcomes) return outcomes;
  await settleProject(deps, projectId);
  return (await acceptSubmissionsOnce(deps, projectId, requests, true))!;
}

type Outcomes = (Outcome<SubmissionResult> | undefined)[];

/**
 * A retry gets its receipt back, even after the deadline. Marks the requests answered by an
 * earlier submission; returns, for a key repeated within the batch, the request it repeats.
 */
function matchRetries(requests: SubmissionRequest[], earlier: repository.SubmissionRow[], outcomes: Outcomes): Map<number, number> {
  const firstWithKey = new Map<string, number>();
  const repeats = new Map<number, number>();
  requests.forEach((request, index) => {
    if (!request.idempotencyKey) return;
    const stored = earlier.find((row) => row.firmId === request.firmId && row.idempotencyKey === request.idempotencyKey);
    if (stored) {
      outcomes[index] = { ok: true, value: { receipt: receiptOf(stored), replayed: true } };
      return;
    }
    const key = JSON.stringify([request.firmId, request.idempotencyKey]);
    const first = firstWithKey.get(key);
    if (first === undefined) firstWithKey.set(key, index);
    else repeats.set(index, first);
  });
  return repeats;
}

/** Why nobody may submit to this project now, if so. */
function closedFor(project: repository.ProjectRow, now: Date): AppError | undefined {
  if (!SEALED_METHODS.has(project.method)) return conflict('no_sealed_submissions', `Method ${project.method} takes no sealed submissions`);
  if (project.status !== 'submitting' || !project.submissionClosesAt || project.submissionClosesAt <= now) {
    return conflict('submissions_closed', project.status === 'registering' ? 'Submissions open when registration closes' : 'The submission deadline has passed');
  }
  return undefined;
}

/** Undefined when the project must be settled first (and `settled` is false). */
async function acceptSubmissionsOnce(deps: PlatformDeps, projectId: number, requests: SubmissionRequest[], settled: boolean) {
  return deps.database.transaction(async (tx): Promise<Outcome<SubmissionResult>[] | undefined> => {
    const locked = await repository.lockProjectForSubmissions(tx, projectId, requests.length);
    if (!locked || locked.project.status === 'draft') return requests.map(() => refused(notFound('Project')));
    const { project, submissionIds } = locked;
    if (!settled && selectionStepDue(project, deps.clock.now())) return undefined;
    const outcomes: Outcomes = requests.map(() => undefined);
    const registered = new Set(await repository.lockActiveRegistrationsOf(tx, projectId, [...new Set(requests.map((request) => request.firmId))]));
    const keyed = requests.flatMap((request) => (request.idempotencyKey ? [{ firmId: request.firmId, key: request.idempotencyKey }] : []));
    const repeats = matchRetries(requests, await repository.findSubmissionsByKeys(tx, projectId, keyed), outcomes);
    const pending = () => requests.flatMap((request, index) => (outcomes[index] || repeats.has(index) ? [] : [index]));

    const now = deps.clock.now();
    const closed = closedFor(project, now);
    const drawn = (project.result as { drawn?: number[] } | null)?.drawn ?? [];
    for (const index of pending()) {
      const { firmId } = requests[index]!;
      if (closed) outcomes[index] = refused(closed);
      else if (!registered.has(firmId)) outcomes[index] = refused(forbidden('Only registered firms may submit'));
      else if (project.method === 'lottery_inquiry' && !drawn.includes(firmId)) outcomes[index] = refused(forbidden('Only the firms drawn by the lottery may submit quotes'));
    }
    // a firm blacklisted, suspended or flagged since registration closed may not quote either
    const eligibility = await eligibilityOfMany(tx, deps, project, [...new Set(pending().map((index) => requests[index]!.firmId))]);
    const contents = new Map<number, SealedContent>();
    for (const index of pending()) {
      const request = requests[index]!;
      const answer = eligibility.get(request.firmId)!;
      try {
        if (!answer.eligible) throw notEligible(answer.failures, 'submit');
        contents.set(index, { ...quoteOf(project, request), ...(await proposalExtras(tx, project, request.firmId, request.input)) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        outcomes[index] = refused(error);
      }
    }

    const accepted = pending();
    const receipts = await storeSealed(tx, deps, project, now, accepted.map((index, i) => ({ request: requests[index]!, id: submissionIds[i]!, content: contents.get(index)! })));
    accepted.forEach((index, i) => {
      outcomes[index] = { ok: true, value: { receipt: receipts[i]!, replayed: false } };
    });
    for (const [index, first] of repeats) {
      const outcome = outcomes[first]!;
      outcomes[index] = outcome.ok ? { ok: true, value: { ...outcome.value, replayed: true } } : outcome;
    }
    return outcomes.map((outcome) => outcome!);
  });
}

/**
 * Seals, stores and audits the accepted submissions of a batch: one statement for the rows (the
 * firms' earlier quotes become `replaced`), one for their audit events.
 */
async function storeSealed(tx: Tx, deps: PlatformDeps, project: repository.ProjectRow, now: Date, accepted: { request: SubmissionRequest; id: number; content: SealedContent }[]) {
  const lastOfFirm = new Map(accepted.map((entry, i) => [entry.request.firmId, i]));
  const rows = accepted.map(({ request, id, content }, i) => {
    const { firmId, idempotencyKey } = request;
    const sealed = seal(deps.submissionKey, content, sealBinding(project.id, firmId, id));
    return {
      id,
      projectId: project.id,
      firmId,
      sealed,
      receivedAt: now,
      termsVersion: project.termsVersion,
      receiptHash: receiptHash({ submissionId: id, projectId: project.id, firmId, receivedAt: isoShanghai(now), termsVersion: project.termsVersion, sealed }),
      idempotencyKey: idempotencyKey ?? null,
      // two quotes of one firm in one batch: the later replaces the earlier, as it would one by one
      status: lastOfFirm.get(firmId) === i ? 'current' : 'replaced',
    };
  });
  await repository.storeSubmissions(tx, project.id, rows);
  await auditParticipation(
    tx,
    deps.clock,
    project,
    rows.map((row, i) => ({
      actor: `user:${accepted[i]!.request.user.id}`,
      action: 'submission.received',
      entityType: 'submission',
      entityId: row.id,
      data: { projectId: project.id, firmId: row.firmId, receiptHash: row.receiptHash, termsVersion: project.termsVersion },
    })),
  );
  return rows.map(receiptOf);
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
