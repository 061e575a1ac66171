import fc from 'fast-check';
import { createDrawRng, LotteryInputError, uniformInt } from '../../src/lottery/algorithm/index.js';

// seedrandom('hello.') int32 >>> 0 starts 3986837235, 202575200, 282549050 (shared vectors).
describe('uniformInt', () => {
  it('rejects draws at or above lim = 2^32 − (2^32 mod n) and takes the next one', () => {
    const n = 3 * 2 ** 30; // lim = 3·2^30 = 3221225472, so 3986837235 is rejected
    expect(uniformInt(createDrawRng('hello.'), n)).toBe(202575200);
  });

  it('returns x mod n when the first draw is below lim', () => {
    expect(uniformInt(createDrawRng('hello.'), 7)).toBe(3986837235 % 7);
  });

  it('handles n = 2^32 − 1, where only x = 2^32 − 1 is rejected', () => {
    expect(uniformInt(createDrawRng('hello.'), 2 ** 32 - 1)).toBe(3986837235);
  });

  it('returns 0 for n = 1 and consumes one draw', () => {
    const rng = createDrawRng('hello.');
    expect(uniformInt(rng, 1)).toBe(0);
    expect(rng.int32() >>> 0).toBe(202575200);
  });

  it.each([0, -1, 1.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY])('refuses n = %p', (n) => {
    expect(() => uniformInt(createDrawRng('x'), n)).toThrow(LotteryInputError);
  });

  it('always lands in [0, n)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 2 ** 32 - 1 }), (seed, n) => {
        const rng = createDrawRng(seed);
        for (let i = 0; i < 5; i += 1) {
          const value = uniformInt(rng, n);
          if (!(Number.isInteger(value) && value >= 0 && value < n)) return false;
        }
        return true;
      }),
    );
  });
});
