import fc from 'fast-check';
import {
  createDrawRng,
  drawOrder,
  drawOrderFenwick,
  drawOrderLinear,
  FENWICK_THRESHOLD,
  LotteryInputError,
  runLotteryV1,
  sha256Hex,
} from '../../src/lottery/algorithm/index.js';

/** Upper 0.999 quantiles of the chi-square distribution. */
const CHI_SQUARE_999 = { 3: 16.27, 4: 18.47 } as const;

function increment(counts: number[], index: number): void {
  counts[index] = (counts[index] ?? 0) + 1;
}

function chiSquare(observed: readonly number[], expected: readonly number[]): number {
  return observed.reduce((sum, count, i) => sum + (count - expected[i]!) ** 2 / expected[i]!, 0);
}

describe('weighted draw without replacement', () => {
  it('walks the remaining candidates in order: the worked example', () => {
    // seedrandom('hello.'): 3986837235 mod 6 = 3 → index 2 (running sums 1, 3, 6); then 202575200 mod 3 = 2 → index 1; then index 0.
    expect(drawOrderLinear([1, 2, 3], createDrawRng('hello.'))).toEqual([2, 1, 0]);
  });

  it('gives the Fenwick tree exactly the linear walk’s order on random weighted lists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 300 }),
        fc.string(),
        (weights, seed) => {
          const linear = drawOrderLinear(weights, createDrawRng(seed));
          expect(drawOrderFenwick(weights, createDrawRng(seed))).toEqual(linear);
          expect(drawOrder(weights, createDrawRng(seed))).toEqual(linear);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees at the total weight limit and with many equal weights', () => {
    const lists = [
      [2 ** 31, 2 ** 31 - 2, 1],
      [1, 2 ** 32 - 2],
      Array.from({ length: 500 }, () => 1),
      Array.from({ length: 257 }, (_, i) => (i % 7) + 1),
    ];
    for (const weights of lists) {
      expect(drawOrderFenwick(weights, createDrawRng('limit'))).toEqual(drawOrderLinear(weights, createDrawRng('limit')));
    }
  });

  it('returns a permutation of every index', () => {
    const weights = Array.from({ length: FENWICK_THRESHOLD * 3 }, (_, i) => (i % 5) + 1);
    const order = drawOrder(weights, createDrawRng('perm'));
    expect([...order].sort((a, b) => a - b)).toEqual(weights.map((_, i) => i));
  });

  it('refuses a total weight above 2^32 − 1 with a clear error', () => {
    expect(() => drawOrderFenwick([2 ** 32 - 1, 1], createDrawRng('x'))).toThrow(/exceeds 2\^32 − 1/);
    expect(() =>
      runLotteryV1({
        lotteryId: 'L',
        candidates: [{ uscc: 'A', weight: 2 ** 32 - 1 }, { uscc: 'B', weight: 1 }],
        serverSeed: '0'.repeat(64),
        external: '',
        entropy: {},
        winners: 1,
      }),
    ).toThrow(LotteryInputError);
  });

  it('with all weights 1, puts each of 5 candidates at each position uniformly (χ², 20,000 draws)', () => {
    const draws = 20_000;
    const counts = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
    const candidates = ['A', 'B', 'C', 'D', 'E'].map((uscc) => ({ uscc, weight: 1 }));
    for (let i = 0; i < draws; i += 1) {
      const { order } = runLotteryV1({
        lotteryId: `chi-square-${i}`,
        candidates,
        serverSeed: sha256Hex('chi-square server seed'),
        external: '',
        entropy: {},
        winners: 1,
      });
      order.forEach((uscc, position) => increment(counts[position]!, uscc.charCodeAt(0) - 65));
    }
    const expected = Array.from({ length: 5 }, () => draws / 5);
    for (const positionCounts of counts) {
      expect(chiSquare(positionCounts, expected)).toBeLessThan(CHI_SQUARE_999[4]);
    }
  });

  it('picks first place in proportion to weight (χ², weights 1:2:3:4, 20,000 draws)', () => {
    const weights = [1, 2, 3, 4];
    const firsts = [0, 0, 0, 0];
    const draws = 20_000;
    for (let i = 0; i < draws; i += 1) increment(firsts, drawOrder(weights, createDrawRng(sha256Hex(`weighted-${i}`)))[0]!);
    const expected = weights.map((weight) => (draws * weight) / 10);
    expect(chiSquare(firsts, expected)).toBeLessThan(CHI_SQUARE_999[3]);
  });
});
