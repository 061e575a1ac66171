import { candidatesHash, canonicaliseCandidates, type LotteryCandidate } from './candidates.js';
import { drawOrder } from './draw-order.js';
import { canonicaliseEntropy, entropyLines, type EntropyByUscc } from './entropy.js';
import { LotteryInputError } from './errors.js';
import { deriveSeedHex } from './seed.js';
import { createDrawRng } from './uniform-int.js';

export interface LotteryV1Input {
  lotteryId: string;
  candidates: readonly LotteryCandidate[];
  serverSeed: string;
  /** Value of the declared external source; '' for source `none`. */
  external: string;
  /** Entropy by uscc as registrants typed it; normalised to NFC here, empty strings dropped. */
  entropy: EntropyByUscc;
  /** How many winners; the rest of the order are ranked alternates. */
  winners: number;
}

export interface LotteryV1Result {
  candidates: LotteryCandidate[];
  candidatesHash: string;
  entropy: Record<string, string>;
  entropyLines: string;
  seedHex: string;
  order: string[];
  winners: string[];
  alternates: string[];
}

export function assertWinnerCount(winners: number): void {
  if (!Number.isSafeInteger(winners) || winners < 0) {
    throw new LotteryInputError('invalid_winner_count', `winners must be a non-negative integer, got ${String(winners)}`);
  }
}

/** Draws the full ranked order over canonical candidates from seedHex. */
export function drawUsccOrder(canonicalCandidates: readonly LotteryCandidate[], seedHex: string): string[] {
  const weights = canonicalCandidates.map((candidate) => candidate.weight);
  return drawOrder(weights, createDrawRng(seedHex)).map((index) => canonicalCandidates[index]!.uscc);
}

export function runLotteryV1(input: LotteryV1Input): LotteryV1Result {
  assertWinnerCount(input.winners);
  const candidates = canonicaliseCandidates(input.candidates);
  const hash = candidatesHash(candidates);
  const entropy = canonicaliseEntropy(candidates, input.entropy);
  const lines = entropyLines(candidates, entropy);
  const seedHex = deriveSeedHex({
    lotteryId: input.lotteryId,
    candidatesHash: hash,
    serverSeed: input.serverSeed,
    external: input.external,
    entropyLines: lines,
  });
  const order = drawUsccOrder(candidates, seedHex);
  return {
    candidates,
    candidatesHash: hash,
    entropy,
    entropyLines: lines,
    seedHex,
    order,
    winners: order.slice(0, input.winners),
    alternates: order.slice(input.winners),
  };
}
