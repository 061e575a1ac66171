/**
 * The auction as a pure function of its frame, the stored actions and the clock. Nothing about
 * turns is stored except what bidders did: who is on turn, until when, and every price follow
 * from these, so any process (or a restarted one) computes the same state.
 *
 * Rules (SPEC §6 `bidding`, Prozorro model):
 * - the auction starts at `startsAt`; `rounds` rounds follow each other without a pause;
 * - each round's order is fixed when the round starts: highest current price first; on equal
 *   prices the bidder whose price was set later goes first (in round 1: the later initial bid);
 * - a turn lasts `turnSeconds` from its start and ends early when its bidder bids, passes or
 *   withdraws; the next turn starts at that moment. The deadline itself belongs to the next
 *   turn: an action at exactly the deadline is too late;
 * - a bidder who has withdrawn is skipped (its turns take no time) and is out of the result.
 */

export interface Bidder {
  label: string;
  firmId: number;
  initialFen: number;
  /** ISO time of the initial (sealed) bid, for the tie rule of round 1. */
  initialAt: string;
}

export interface AuctionFrame {
  startsAt: Date;
  rounds: number;
  turnSeconds: number;
  minStepFen: number;
  bidders: Bidder[];
}

export const ACTION_KINDS = ['bid', 'pass', 'withdraw'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export interface Action {
  firmId: number;
  round: number | null;
  turn: number | null;
  kind: ActionKind;
  amountFen: number | null;
  at: Date;
}

export const TURN_OUTCOMES = [...ACTION_KINDS, 'timeout'] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];

export interface FinishedTurn {
  round: number;
  turn: number;
  label: string;
  firmId: number;
  startedAt: Date;
  endedAt: Date;
  outcome: TurnOutcome;
  amountFen?: number;
}

export interface CurrentTurn {
  round: number;
  turn: number;
  turnsInRound: number;
  label: string;
  firmId: number;
  startedAt: Date;
  deadline: Date;
}

export interface Price {
  fen: number;
  setAt: Date;
}

export interface AuctionState {
  phase: 'running' | 'ended';
  turns: FinishedTurn[];
  current?: CurrentTurn;
  endedAt?: Date;
  prices: Map<number, Price>;
  /** Firms that have withdrawn by now, with the moment. */
  withdrawn: Map<number, Date>;
}

/** The key of a turn ("round:turn"), or "end". */
export const turnKey = (turn: { round: number; turn: number } | undefined) => (turn ? `${turn.round}:${turn.turn}` : 'end');

export function roundOrder(bidders: Bidder[], prices: Map<number, Price>): Bidder[] {
  return [...bidders].sort((a, b) => {
    const pa = prices.get(a.firmId)!;
    const pb = prices.get(b.firmId)!;
    return pb.fen - pa.fen || pb.setAt.getTime() - pa.setAt.getTime() || bidders.indexOf(a) - bidders.indexOf(b);
  });
}

export function auctionState(frame: AuctionFrame, actions: Action[], now: Date): AuctionState {
  const prices = new Map<number, Price>(frame.bidders.map((b) => [b.firmId, { fen: b.initialFen, setAt: new Date(b.initialAt) }]));
  const withdrawAt = new Map<number, Date>();
  for (const action of actions) {
    if (action.kind === 'withdraw' && !withdrawAt.has(action.firmId)) withdrawAt.set(action.firmId, action.at);
  }
  const byTurn = new Map(actions.filter((a) => a.round !== null).map((a) => [`${a.round}:${a.turn}`, a]));
  const withdrawnBy = (firmId: number, at: Date) => {
    const when = withdrawAt.get(firmId);
    return when !== undefined && when.getTime() <= at.getTime();
  };
  const withdrawnNow = new Map([...withdrawAt].filter(([, at]) => at.getTime() <= now.getTime()));
  const turns: FinishedTurn[] = [];
  const turnMs = frame.turnSeconds * 1000;
  let t = frame.startsAt;
  for (let round = 1; round <= frame.rounds; round += 1) {
    const order = roundOrder(frame.bidders.filter((b) => !withdrawnBy(b.firmId, t)), prices);
    for (const [index, bidder] of order.entries()) {
      if (withdrawnBy(bidder.firmId, t)) continue;
      const turn = index + 1;
      const deadline = new Date(t.getTime() + turnMs);
      const action = byTurn.get(`${round}:${turn}`);
      if (action && action.at.getTime() < deadline.getTime()) {
        turns.push({ round, turn, label: bidder.label, firmId: bidder.firmId, startedAt: t, endedAt: action.at, outcome: action.kind, ...(action.kind === 'bid' ? { amountFen: action.amountFen! } : {}) });
        if (action.kind === 'bid') prices.set(bidder.firmId, { fen: action.amountFen!, setAt: action.at });
        t = action.at;
      } else if (now.getTime() >= deadline.getTime()) {
        turns.push({ round, turn, label: bidder.label, firmId: bidder.firmId, startedAt: t, endedAt: deadline, outcome: 'timeout' });
        t = deadline;
      } else {
        const current = { round, turn, turnsInRound: order.length, label: bidder.label, firmId: bidder.firmId, startedAt: t, deadline };
        return { phase: 'running', turns, current, prices, withdrawn: withdrawnNow };
      }
    }
  }
  return { phase: 'ended', turns, endedAt: t, prices, withdrawn: withdrawnNow };
}

/** Labels "Bidder 1, 2, …" follow the first round's order: highest initial price first. */
export function labelBidders(entries: { firmId: number; initialFen: number; initialAt: string }[]): Bidder[] {
  const provisional = entries.map((entry, index) => ({ ...entry, label: String(index) }));
  const prices = new Map(provisional.map((b) => [b.firmId, { fen: b.initialFen, setAt: new Date(b.initialAt) }]));
  return roundOrder(provisional, prices).map((bidder, index) => ({ ...bidder, label: `Bidder ${index + 1}` }));
}
