import type { PlatformDeps } from '../platform/deps.js';
import { notFound } from '../platform/errors.js';
import type { CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import { presentProject } from '../projects/presenter.js';
import { settleProject } from '../selection/settle.js';
import { biddingOptionsOf } from './options.js';
import * as repository from './repository.js';
import { auctionState, type Bidder } from './schedule.js';

/**
 * The live auction as everyone may see it: bidders as "Bidder N" with their prices, whose turn
 * it is and until when, computed from the clock now. A firm also learns its own label and the
 * most it may bid. Names appear only in the result.
 */
export async function publicAuction(deps: PlatformDeps, viewer: CurrentUser | undefined, projectId: number) {
  const project = await settleProject(deps, projectId);
  if (!project || project.status === 'draft' || project.method !== 'bidding') throw notFound('Auction');
  const db = deps.database.db;
  const now = deps.clock.now();
  const auction = await repository.findAuction(db, projectId);
  const options = biddingOptionsOf(project);
  const base = {
    projectId,
    title: project.title,
    projectStatus: project.status,
    budgetFen: project.budgetFen,
    serverTime: isoShanghai(now),
    rounds: auction?.rounds ?? options.rounds,
    turnSeconds: auction?.turnSeconds ?? options.turnSeconds,
    minStepFen: auction?.minStepFen ?? options.minStepFen,
    lastEventId: await repository.lastEventSeq(db, projectId),
  };
  // before the opening (or without an auction): the schedule so far, no bidders
  if (!auction) {
    return { ...base, phase: 'pending' as const, opensAt: project.submissionClosesAt ? isoShanghai(project.submissionClosesAt) : null, bidders: [], log: [], you: null, current: null, result: null };
  }
  const actions = (await repository.listActions(db, projectId)).map(repository.actionOf);
  const state = auctionState(repository.frameOf(auction), actions, now);
  const bidders = auction.bidders as Bidder[];
  const mine = viewer?.role === 'agency' ? bidders.find((b) => b.firmId === viewer.organizationId) : undefined;
  const current = state.current;
  const over = project.status !== 'auction';
  return {
    ...base,
    phase: over ? ('ended' as const) : state.phase,
    startsAt: isoShanghai(auction.startsAt),
    endedAt: state.endedAt ? isoShanghai(state.endedAt) : null,
    current: current && !over
      ? {
          round: current.round,
          turn: current.turn,
          turnsInRound: current.turnsInRound,
          label: current.label,
          startedAt: isoShanghai(current.startedAt),
          deadline: isoShanghai(current.deadline),
          secondsLeft: Math.max(0, Math.ceil((current.deadline.getTime() - now.getTime()) / 1000)),
        }
      : null,
    bidders: bidders.map((bidder) => ({
      label: bidder.label,
      initialFen: bidder.initialFen,
      currentFen: state.prices.get(bidder.firmId)!.fen,
      withdrawn: state.withdrawn.has(bidder.firmId),
    })),
    log: state.turns.map((turn) => ({ round: turn.round, turn: turn.turn, label: turn.label, outcome: turn.outcome, amountFen: turn.amountFen ?? null, at: isoShanghai(turn.endedAt) })),
    you: mine
      ? {
          label: mine.label,
          yourTurn: !over && current?.firmId === mine.firmId,
          withdrawn: state.withdrawn.has(mine.firmId),
          maxBidFen: state.prices.get(mine.firmId)!.fen - auction.minStepFen,
        }
      : null,
    // the result, with names, once published (a pending tie-break shows nothing yet)
    result: over ? presentProject(project, viewer).result : null,
  };
}

export type PublicAuction = Awaited<ReturnType<typeof publicAuction>>;
