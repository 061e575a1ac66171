import { appendAudit } from '../audit/service.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Tx } from '../platform/db/index.js';
import { AppError, conflict, forbidden, notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import * as projects from '../projects/repository.js';
import { eligibilityFor, notEligible } from '../projects/registration.js';
import { announce } from '../projects/service.js';
import type { OpeningResult } from '../selection/opening.js';
import { fail, finishOpening, publishResult, settleProject } from '../selection/settle.js';
import { publishEvents } from './bus.js';
import { biddingOptionsOf } from './options.js';
import * as repository from './repository.js';
import { auctionState, labelBidders, turnKey, type AuctionState, type Bidder, type CurrentTurn } from './schedule.js';

const SYSTEM = 'system:auction';
export const AUCTION_TURN_JOB = 'auction.turn-deadline';

interface PendingEvent {
  type: string;
  data: Record<string, unknown>;
  at: Date;
}

/**
 * At the opening of a bidding project (inside its transaction): the valid initial bids become the
 * bidders of an auction starting now, or — with a single valid bid the project allows — the
 * result without an auction.
 */
export async function startAuction(tx: Tx, deps: PlatformDeps, project: projects.ProjectRow, opening: OpeningResult) {
  const options = biddingOptionsOf(project);
  if (opening.ranking.length === 1) {
    if (!options.allowSingleBid) {
      return fail(tx, deps, project, '开标后仅有 1 份有效报价，本项目不允许单一报价成交', 'single_bid_not_allowed', opening);
    }
    const only = opening.ranking[0]!;
    return publishResult(tx, deps, project, { ...opening, kind: 'auction', single: true, log: [], winners: [only.firmId], alternates: [] });
  }
  const bidders = labelBidders(opening.ranking.map((quote) => ({ firmId: quote.firmId, initialFen: quote.amountFen, initialAt: quote.receivedAt })));
  const startsAt = deps.clock.now();
  const auction = { projectId: project.id, startsAt, rounds: options.rounds, turnSeconds: options.turnSeconds, minStepFen: options.minStepFen, bidders, opening, announcedTurn: null, endedAt: null };
  await repository.insertAuction(tx, auction);
  const updated = await projects.updateProject(tx, project.id, { status: 'auction', result: null, updatedAt: startsAt });
  await appendAudit(tx, deps.clock, {
    actor: SYSTEM,
    action: 'project.auction_started',
    entityType: 'project',
    entityId: project.id,
    data: { startsAt, rounds: options.rounds, turnSeconds: options.turnSeconds, minStepFen: options.minStepFen, bidders: bidders.length },
  });
  await announce(tx, deps, updated, 'auction_started', `竞价开始：${project.title}`, `${bidders.length} 家机构参加竞价，共 ${options.rounds} 轮，每次出价限时 ${options.turnSeconds} 秒。`);
  const started: PendingEvent = {
    type: 'started',
    data: { startsAt: isoShanghai(startsAt), rounds: options.rounds, turnSeconds: options.turnSeconds, minStepFen: options.minStepFen, bidders: bidders.map((b) => ({ label: b.label, initialFen: b.initialFen })) },
    at: startsAt,
  };
  const { next } = await progress(tx, deps, updated, { ...auction, announcedTurn: null, endedAt: null }, [], [started]);
  await scheduleTurnJob(deps, project.id, next);
  return updated;
}

/**
 * Announces what the clock and the stored actions say happened since the last announcement
 * (turns that began, ended by an action or by their deadline) and ends the auction when its last
 * turn is over. The caller holds the project row lock.
 */
async function progress(tx: Tx, deps: PlatformDeps, project: projects.ProjectRow, auction: repository.AuctionRow, actions: repository.ActionRow[], pending: PendingEvent[] = []) {
  const state = auctionState(repository.frameOf(auction), actions.map(repository.actionOf), deps.clock.now());
  const [doneText = '0', announcedKey = ''] = (auction.announcedTurn ?? '0|').split('|');
  let lastKey = announcedKey;
  for (const turn of state.turns.slice(Number(doneText))) {
    if (turnKey(turn) !== lastKey) pending.push({ type: 'turn', data: { round: turn.round, turn: turn.turn, label: turn.label, startedAt: isoShanghai(turn.startedAt), deadline: isoShanghai(new Date(turn.startedAt.getTime() + auction.turnSeconds * 1000)) }, at: turn.startedAt });
    pending.push({ type: turn.outcome, data: { round: turn.round, turn: turn.turn, label: turn.label, ...(turn.amountFen !== undefined ? { amountFen: turn.amountFen } : {}) }, at: turn.endedAt });
    lastKey = turnKey(turn);
  }
  const current = state.current;
  if (current && turnKey(current) !== lastKey) {
    pending.push({ type: 'turn', data: { round: current.round, turn: current.turn, turnsInRound: current.turnsInRound, label: current.label, startedAt: isoShanghai(current.startedAt), deadline: isoShanghai(current.deadline) }, at: current.startedAt });
  }
  let updated = project;
  if (state.phase === 'ended' && project.status === 'auction') {
    const finished = await finishAuction(tx, deps, project, auction, actions, state);
    updated = finished.project;
    pending.push({ type: 'ended', data: finished.summary, at: state.endedAt! });
  }
  const marker = `${state.turns.length}|${turnKey(current)}`;
  if (marker !== auction.announcedTurn) await repository.updateAuction(tx, project.id, { announcedTurn: marker, ...(state.phase === 'ended' ? { endedAt: state.endedAt } : {}) });
  // stable: events of one moment keep their order (a turn's end before the next one's start)
  pending.sort((x, y) => x.at.getTime() - y.at.getTime());
  const events = await repository.appendEvents(tx, project.id, pending);
  return { events, project: updated, next: current, state };
}

/** Final prices rank the bidders still in; barred firms are out; equal prices go to the tie-break lottery. */
async function finishAuction(tx: Tx, deps: PlatformDeps, project: projects.ProjectRow, auction: repository.AuctionRow, actions: repository.ActionRow[], state: AuctionState) {
  const opening = auction.opening as OpeningResult;
  const bidders = auction.bidders as Bidder[];
  const quoteOf = new Map(opening.ranking.map((quote) => [quote.firmId, quote]));
  const labelOf = new Map(bidders.map((bidder) => [bidder.firmId, bidder.label]));
  const named = (firmId: number) => ({ label: labelOf.get(firmId)!, firmId, name: quoteOf.get(firmId)!.name, uscc: quoteOf.get(firmId)!.uscc });
  const log = [
    ...state.turns.map((turn) => ({ ...named(turn.firmId), round: turn.round, turn: turn.turn, outcome: turn.outcome, ...(turn.amountFen !== undefined ? { amountFen: turn.amountFen } : {}), startedAt: isoShanghai(turn.startedAt), at: isoShanghai(turn.endedAt) })),
    ...actions.filter((action) => action.kind === 'withdraw' && action.round === null).map((action) => ({ ...named(action.firmId), outcome: 'withdraw', at: isoShanghai(action.at) })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const ranking: (OpeningResult['ranking'][number] & { label: string; initialFen: number })[] = [];
  const invalid: OpeningResult['invalid'] = [];
  const withdrawn: { firmId: number; name: string; label: string; amountFen: number }[] = [];
  for (const bidder of bidders) {
    const quote = quoteOf.get(bidder.firmId)!;
    const amountFen = state.prices.get(bidder.firmId)!.fen;
    if (state.withdrawn.has(bidder.firmId)) {
      withdrawn.push({ firmId: bidder.firmId, name: quote.name, label: bidder.label, amountFen });
      continue;
    }
    // a firm barred (blacklisted …) during the auction is out, as at the opening
    const answer = await eligibilityFor(tx, deps, project, bidder.firmId);
    if (!answer.eligible) {
      invalid.push({ firmId: bidder.firmId, name: quote.name, amountFen, reason: `not_eligible: ${answer.failures.map((f) => f.rule).join(', ')}` });
      continue;
    }
    ranking.push({ rank: 0, firmId: bidder.firmId, name: quote.name, uscc: quote.uscc, label: bidder.label, amountFen, initialFen: bidder.initialFen, receivedAt: quote.receivedAt, receiptHash: quote.receiptHash, flags: [] });
  }
  ranking.sort((a, b) => a.amountFen - b.amountFen || a.uscc.localeCompare(b.uscc)).forEach((entry, index) => (entry.rank = index + 1));
  const result = {
    ...opening,
    kind: 'auction' as const,
    startedAt: isoShanghai(auction.startsAt),
    endedAt: isoShanghai(state.endedAt!),
    rounds: auction.rounds,
    turnSeconds: auction.turnSeconds,
    minStepFen: auction.minStepFen,
    ranking,
    invalid: [...opening.invalid, ...invalid],
    withdrawn,
    log,
    winners: [],
    alternates: [],
  };
  await appendAudit(tx, deps.clock, { actor: SYSTEM, action: 'project.auction_ended', entityType: 'project', entityId: project.id, data: { endedAt: state.endedAt, turns: state.turns.length, valid: ranking.length, withdrawn: withdrawn.length, invalid: invalid.length } });
  let updated: projects.ProjectRow;
  const amounts = ranking.map((entry) => entry.amountFen);
  const tied = ranking.filter((entry) => amounts.indexOf(entry.amountFen) !== amounts.lastIndexOf(entry.amountFen)).map((entry) => entry.firmId);
  if (ranking.length === 0) {
    updated = await fail(tx, deps, project, '竞价结束时没有有效报价', 'no_valid_final_bid', result);
  } else if (tied.length > 0) {
    // equal final prices are ordered by the tie-break lottery committed at publication
    updated = await projects.updateProject(tx, project.id, { status: 'drawing', result: { ...result, tieBreak: { firmIds: tied } }, updatedAt: deps.clock.now() });
  } else {
    updated = await finishOpening(tx, deps, project, result as unknown as OpeningResult, []);
  }
  const winners = ((updated.result as { winners?: number[] } | null)?.winners ?? []).map((firmId) => labelOf.get(firmId));
  const summary = {
    outcome: updated.status,
    ranking: ranking.map((entry) => ({ rank: entry.rank, label: entry.label, name: entry.name, amountFen: entry.amountFen })),
    winners,
    tieBreakPending: updated.status === 'drawing',
  };
  return { project: updated, summary };
}

export async function scheduleTurnJob(deps: PlatformDeps, projectId: number, turn: CurrentTurn | undefined) {
  if (!turn) return;
  await deps.jobs.schedule(AUCTION_TURN_JOB, { projectId }, { runAt: turn.deadline, jobId: `auction:${projectId}:${turn.round}:${turn.turn}:${turn.deadline.getTime()}` });
}

/**
 * The settle step of a project in `auction`: only takes the lock when there is something to
 * announce (a turn ended by its deadline) or the auction is over.
 */
export async function settleAuction(deps: PlatformDeps, project: projects.ProjectRow): Promise<projects.ProjectRow | undefined> {
  const db = deps.database.db;
  const auction = await repository.findAuction(db, project.id);
  if (!auction) return undefined;
  const state = auctionState(repository.frameOf(auction), (await repository.listActions(db, project.id)).map(repository.actionOf), deps.clock.now());
  if (state.phase === 'running' && `${state.turns.length}|${turnKey(state.current)}` === auction.announcedTurn) return undefined;
  const outcome = await deps.database.transaction(async (tx) => {
    const locked = await projects.findProject(tx, project.id, { lock: true });
    const fresh = await repository.findAuction(tx, project.id);
    if (!locked || locked.status !== 'auction' || !fresh) return undefined;
    return progress(tx, deps, locked, fresh, await repository.listActions(tx, project.id));
  });
  if (!outcome) return undefined;
  await publishEvents(deps, outcome.events);
  await scheduleTurnJob(deps, project.id, outcome.next);
  return outcome.project.status === 'auction' ? undefined : outcome.project;
}

export interface BidInput {
  amountFen?: number;
  pass?: boolean;
  withdraw?: boolean;
}

export interface BidReceipt {
  actionId: number;
  projectId: number;
  label: string;
  kind: string;
  round: number | null;
  turn: number | null;
  amountFen: number | null;
  at: string;
}

const receiptOf = (row: repository.ActionRow, bidders: Bidder[]): BidReceipt => ({
  actionId: row.id,
  projectId: row.projectId,
  label: bidders.find((b) => b.firmId === row.firmId)?.label ?? '',
  kind: row.kind,
  round: row.round,
  turn: row.turn,
  amountFen: row.amountFen,
  at: isoShanghai(row.at),
});

function requireFirm(user: CurrentUser): number {
  if (user.role !== 'agency' || !user.organizationId) throw forbidden('Only intermediary firms bid');
  return user.organizationId;
}

/**
 * A bid, a pass or a withdrawal. Serialised per project by the project row lock; the clock is
 * read after the lock is held, so the turn is judged at the moment the action is stored.
 * A 201 means the row is committed.
 */
export async function placeBid(deps: PlatformDeps, user: CurrentUser, projectId: number, input: BidInput, idempotencyKey?: string): Promise<{ receipt: BidReceipt; replayed: boolean }> {
  const firmId = requireFirm(user);
  await settleProject(deps, projectId);
  if (idempotencyKey) {
    const earlier = await repository.findActionByKey(deps.database.db, projectId, firmId, idempotencyKey);
    const auction = earlier && (await repository.findAuction(deps.database.db, projectId));
    if (earlier && auction) return { receipt: receiptOf(earlier, auction.bidders as Bidder[]), replayed: true };
  }
  const outcome = await deps.database.transaction(async (tx) => {
    const project = await projects.findProject(tx, projectId, { lock: true });
    if (!project || project.status === 'draft') throw notFound('Project');
    if (project.method !== 'bidding') throw conflict('not_bidding', 'This project has no auction');
    const auction = await repository.findAuction(tx, projectId);
    if (!auction) throw conflict('auction_not_started', 'The auction starts at the opening of the initial bids');
    const bidders = auction.bidders as Bidder[];
    if (idempotencyKey) {
      const raced = await repository.findActionByKey(tx, projectId, firmId, idempotencyKey);
      if (raced) return { receipt: receiptOf(raced, bidders), replayed: true as const };
    }
    if (project.status !== 'auction') throw conflict('auction_over', 'The auction is over');
    const bidder = bidders.find((b) => b.firmId === firmId);
    if (!bidder) throw forbidden('Only the bidders of this auction may bid');
    const actions = await repository.listActions(tx, projectId);
    const now = deps.clock.now();
    const state = auctionState(repository.frameOf(auction), actions.map(repository.actionOf), now);
    if (state.withdrawn.has(firmId)) throw conflict('withdrawn', 'The firm has withdrawn from this auction');
    const current = state.current;
    const mine = current?.firmId === firmId;
    if (!current) throw conflict('auction_over', 'The auction is over');
    if (!input.withdraw) {
      if (!mine) throw conflict('not_your_turn', `It is ${current.label}'s turn (round ${current.round}, turn ${current.turn})`);
      const answer = await eligibilityFor(tx, deps, project, firmId);
      if (!answer.eligible) throw notEligible(answer.failures, 'bid');
      if (!input.pass) {
        const maxFen = state.prices.get(firmId)!.fen - auction.minStepFen;
        if (input.amountFen! > maxFen) {
          const error = new AppError(409, 'bid_too_high', `A bid must be at most ${maxFen} fen (your current price less the minimum step of ${auction.minStepFen} fen)`, [{ path: 'body.amountFen', message: 'must be at most the allowed bid', params: { maxFen } }]).with({ maxFen, minStepFen: auction.minStepFen });
          error.extensions = { maxBidFen: maxFen };
          throw error;
        }
      }
    }
    const kind = input.withdraw ? 'withdraw' : input.pass ? 'pass' : 'bid';
    const row = await repository.insertAction(tx, {
      projectId,
      firmId,
      round: mine ? current!.round : null,
      turn: mine ? current!.turn : null,
      kind,
      amountFen: kind === 'bid' ? input.amountFen! : null,
      at: now,
      idempotencyKey: idempotencyKey ?? null,
    });
    await appendAudit(tx, deps.clock, { actor: `user:${user.id}`, action: `auction.${kind}`, entityType: 'auction_action', entityId: row.id, data: { projectId, firmId, label: bidder.label, round: row.round, turn: row.turn, amountFen: row.amountFen } });
    const pending: PendingEvent[] = kind === 'withdraw' && !mine ? [{ type: 'withdraw', data: { label: bidder.label }, at: now }] : [];
    const progressed = await progress(tx, deps, project, auction, [...actions, row], pending);
    return { receipt: receiptOf(row, bidders), replayed: false as const, events: progressed.events, next: progressed.next };
  });
  if (!outcome.replayed) {
    await publishEvents(deps, outcome.events);
    await scheduleTurnJob(deps, projectId, outcome.next);
  }
  return { receipt: outcome.receipt, replayed: outcome.replayed };
}
