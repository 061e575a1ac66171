import { formatFen, parseYuanToFen } from '../../src/platform/money.js';
import { addCalendarDays, isCalendarDate, isoShanghai, shanghaiDate, shanghaiInstant } from '../../src/platform/time.js';

describe('money in fen', () => {
  it.each([
    [1500000, '¥15,000.00'],
    [0, '¥0.00'],
    [5, '¥0.05'],
    [123456789, '¥1,234,567.89'],
    [-250, '-¥2.50'],
  ])('shows %i fen as %s', (fen, shown) => {
    expect(formatFen(fen)).toBe(shown);
  });

  it('refuses fractional fen', () => {
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('parses typed yuan to fen without floating-point error', () => {
    expect(parseYuanToFen('15,000')).toBe(1500000);
    expect(parseYuanToFen('¥0.29')).toBe(29);
    expect(parseYuanToFen('1.1')).toBe(110);
    expect(parseYuanToFen('1.234')).toBeUndefined();
    expect(parseYuanToFen('abc')).toBeUndefined();
  });
});

describe('dates in Asia/Shanghai', () => {
  it('takes the Shanghai calendar date of an instant', () => {
    expect(shanghaiDate(new Date('2026-11-25T16:30:00Z'))).toBe('2026-11-26');
    expect(shanghaiDate(new Date('2026-11-25T15:59:59Z'))).toBe('2026-11-25');
  });

  it('writes timestamps with the +08:00 offset', () => {
    expect(isoShanghai(new Date('2026-11-25T01:00:00Z'))).toBe('2026-11-25T09:00:00.000+08:00');
    expect(shanghaiInstant('2026-11-30', '17:00').toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('adds calendar days across months and validates dates', () => {
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
  });
});
