import { creditScore, divideHalfUp, formatMilli, priceScore, timeScore, toTenths } from '../../src/comparison/scoring.js';

describe('comparison arithmetic in thousandths of a point', () => {
  it('rounds half up exactly once, without floating point', () => {
    expect(divideHalfUp(5n, 2n)).toBe(3); // 2.5 → 3
    expect(divideHalfUp(5n, 4n)).toBe(1); // 1.25 → 1
    expect(divideHalfUp(7n, 4n)).toBe(2); // 1.75 → 2
    // 50 × 10,000,000 / 11,000,000 = 45.4545… points → 45454.545… thousandths → 45455
    expect(priceScore(50, 10_000_000, 11_000_000)).toBe(45_455);
    // 30 × 7 / 8 = 26.25 → 26250 exactly; 20 × 3 / 7 = 8.571428… → 8571
    expect(timeScore(30, 7, 8)).toBe(26_250);
    expect(timeScore(20, 3, 7)).toBe(8_571);
    // 15 × 83.33 / 100 = 12.4995 → 12499.5 thousandths → 12500
    expect(creditScore(15, 8333)).toBe(12_500);
    // amounts near 1e13 fen would overflow doubles in the product; BigInt keeps it exact
    expect(priceScore(100, 9_999_999_999_999, 9_999_999_999_999)).toBe(100_000);
  });

  it('reads plan points with at most one decimal and prints thousandths', () => {
    expect(toTenths(27.5)).toBe(275);
    expect(toTenths(0.3)).toBe(3);
    expect(toTenths(20.25)).toBeUndefined();
    expect(formatMilli(87_469)).toBe('87.469');
    expect(formatMilli(8_000)).toBe('8.000');
    expect(formatMilli(5)).toBe('0.005');
  });
});
