import { monthEnds } from '../../src/credit/service.js';
import { DEFAULT_VERSION, gradeOf, scoreAt, type RuleVersion, type ScoredEvent } from '../../src/credit/score.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);
let nextId = 1;
const event = (kind: string, occurredAt: string, correctsEventId: number | null = null): ScoredEvent => ({ id: nextId++, kind, occurredAt: at(occurredAt), correctsEventId });

/** One rule version where owner_rating_good is worth `points` hundredths for 30 days. */
const versionWith = (points: number, version = 2, effectiveFrom = '2026-01-01T00:00:00+08:00'): RuleVersion => ({
  version,
  effectiveFrom: at(effectiveFrom),
  rules: DEFAULT_VERSION.rules.map((rule) => (rule.kind === 'owner_rating_good' ? { ...rule, points, windowDays: 30 } : rule)),
});

describe('credit grades', () => {
  it.each([
    [10000, 'AAA'],
    [9000, 'AAA'],
    [8999, 'AA'],
    [8000, 'AA'],
    [7999, 'A'],
    [7000, 'A'],
    [6999, 'B'],
    [6000, 'B'],
    [5999, 'C'],
    [0, 'C'],
  ])('grades %i hundredths as %s', (hundredths, grade) => {
    expect(gradeOf(hundredths)).toBe(grade);
  });

  it('scores 89.99 as AA and 90.00 as AAA with exact arithmetic', () => {
    const events = [event('owner_rating_good', '2026-03-01T10:00:00+08:00')];
    const when = at('2026-03-02T00:00:00+08:00');
    const below = scoreAt(events, [DEFAULT_VERSION, versionWith(999)], when);
    const exact = scoreAt(events, [DEFAULT_VERSION, versionWith(1000)], when);
    expect([below, gradeOf(below)]).toEqual([8999, 'AA']);
    expect([exact, gradeOf(exact)]).toEqual([9000, 'AAA']);
  });

  it('sums 0.1-point events without floating-point drift', () => {
    const events = Array.from({ length: 10 }, () => event('owner_rating_good', '2026-03-01T10:00:00+08:00'));
    expect(scoreAt(events, [DEFAULT_VERSION, versionWith(100)], at('2026-03-02T00:00:00+08:00'))).toBe(9000);
  });

  it('clamps to 0 and 100', () => {
    const bad = Array.from({ length: 5 }, () => event('violation_serious', '2026-03-01T10:00:00+08:00'));
    const good = Array.from({ length: 20 }, () => event('owner_rating_good', '2026-03-01T10:00:00+08:00'));
    expect(scoreAt(bad, [DEFAULT_VERSION], at('2026-03-02T00:00:00+08:00'))).toBe(0);
    expect(scoreAt(good, [DEFAULT_VERSION], at('2026-03-02T00:00:00+08:00'))).toBe(10000);
  });
});

describe('windows and corrections', () => {
  it('stops counting an event at the exact second its window ends', () => {
    const occurred = '2026-03-01T10:00:00+08:00';
    const events = [event('owner_rating_good', occurred)];
    const versions = [DEFAULT_VERSION, versionWith(500)];
    const end = at(occurred).getTime() + 30 * DAY_MS;
    expect(scoreAt(events, versions, new Date(end - 1000))).toBe(8500);
    expect(scoreAt(events, versions, new Date(end - 1))).toBe(8500);
    expect(scoreAt(events, versions, new Date(end))).toBe(8000);
  });

  it('does not count an event before it happened', () => {
    const events = [event('violation_minor', '2026-03-01T10:00:00+08:00')];
    expect(scoreAt(events, [DEFAULT_VERSION], at('2026-03-01T09:59:59+08:00'))).toBe(8000);
    expect(scoreAt(events, [DEFAULT_VERSION], at('2026-03-01T10:00:00+08:00'))).toBe(7000);
  });

  it('cancels an event from the moment a correction names it, not before', () => {
    const wrong = event('violation_minor', '2026-03-01T10:00:00+08:00');
    const correction = event('correction', '2026-03-10T10:00:00+08:00', wrong.id);
    const events = [wrong, correction];
    expect(scoreAt(events, [DEFAULT_VERSION], at('2026-03-05T00:00:00+08:00'))).toBe(7000);
    expect(scoreAt(events, [DEFAULT_VERSION], at('2026-03-10T10:00:00+08:00'))).toBe(8000);
  });

  it('scores each moment under the rule version in force then (a rule change reproduces history)', () => {
    const events = [event('delivery_overdue', '2026-02-01T10:00:00+08:00')];
    const stricter: RuleVersion = { version: 2, effectiveFrom: at('2026-04-01T00:00:00+08:00'), rules: DEFAULT_VERSION.rules.map((rule) => (rule.kind === 'delivery_overdue' ? { ...rule, points: -1234 } : rule)) };
    const before = scoreAt(events, [DEFAULT_VERSION], at('2026-03-31T23:59:59+08:00'));
    const versions = [DEFAULT_VERSION, stricter];
    expect(scoreAt(events, versions, at('2026-03-31T23:59:59+08:00'))).toBe(before);
    expect(before).toBe(7500);
    expect(scoreAt(events, versions, at('2026-04-01T00:00:00+08:00'))).toBe(6766);
  });
});

describe('history months', () => {
  it('ends each of the last 12 Shanghai months at its last second, the current one now', () => {
    const now = at('2026-11-25T09:00:00+08:00');
    const ends = monthEnds(now);
    expect(ends).toHaveLength(12);
    expect(ends[0]!.month).toBe('2025-12');
    expect(ends[0]!.at.toISOString()).toBe(at('2025-12-31T23:59:59+08:00').toISOString());
    expect(ends[10]!.at.toISOString()).toBe(at('2026-10-31T23:59:59+08:00').toISOString());
    expect(ends[11]).toEqual({ month: '2026-11', at: now });
  });
});
