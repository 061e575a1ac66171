import { LotteryInputError } from './errors.js';
import { FenwickTree } from './fenwick-tree.js';
import { MAX_UNIFORM_RANGE, uniformInt, type Int32Source } from './uniform-int.js';

/** Below this many candidates the plain walk is as fast as building the tree. */
export const FENWICK_THRESHOLD = 32;

function assertWeights(weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new LotteryInputError('invalid_candidate', `weights must be positive integers, got ${String(weight)}`);
    }
    total += weight;
  }
  if (total > MAX_UNIFORM_RANGE) {
    throw new LotteryInputError('total_weight_too_large', `total weight ${total} exceeds 2^32 − 1`);
  }
  return total;
}

/**
 * §7 step 6 as written: draw r below the remaining total, walk the remaining candidates in
 * candidate order and take the first whose running sum exceeds r. Returns candidate indices.
 */
export function drawOrderLinear(weights: readonly number[], rng: Int32Source): number[] {
  let total = assertWeights(weights);
  const remaining = weights.map((_, index) => index);
  const order: number[] = [];
  while (remaining.length > 0) {
    const r = uniformInt(rng, total);
    let runningSum = 0;
    let taken = 0;
    while (taken < remaining.length) {
      runningSum += weights[remaining[taken]!]!;
      if (runningSum > r) break;
      taken += 1;
    }
    const [index] = remaining.splice(taken, 1);
    order.push(index!);
    total -= weights[index!]!;
  }
  return order;
}

/** Same result as drawOrderLinear in O(n log n): a removed candidate's weight becomes 0 in the tree. */
export function drawOrderFenwick(weights: readonly number[], rng: Int32Source): number[] {
  let total = assertWeights(weights);
  const tree = new FenwickTree(weights);
  const order: number[] = [];
  for (let drawn = 0; drawn < weights.length; drawn += 1) {
    const index = tree.firstPrefixAbove(uniformInt(rng, total));
    order.push(index);
    tree.add(index, -weights[index]!);
    total -= weights[index]!;
  }
  return order;
}

export function drawOrder(weights: readonly number[], rng: Int32Source): number[] {
  return weights.length > FENWICK_THRESHOLD ? drawOrderFenwick(weights, rng) : drawOrderLinear(weights, rng);
}
