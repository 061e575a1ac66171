/**
 * The credit score, as a pure function of events, rules and an instant.
 *
 *   score(t) = clamp(BASE + Σ points_R(kind(e)), 0, 100)
 *
 * over the events e with occurredAt ≤ t < occurredAt + window_R(kind(e)) days that no correction
 * recorded by t compensates, where R is the rule version in force at t. Points are integers in
 * hundredths of a point, so 89.99 and 90.00 compare exactly.
 */

export const CREDIT_KINDS = [
  'owner_rating_good',
  'owner_rating_poor',
  'delivery_on_time',
  'delivery_overdue',
  'award_declined',
  'award_abandoned',
  'objection_upheld',
  'violation_minor',
  'violation_serious',
] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];
/** A correction is not a rule kind: it cancels the event it names from its own moment on. */
export type EventKind = CreditKind | 'correction';

export const GRADES = ['AAA', 'AA', 'A', 'B', 'C'] as const;
export type Grade = (typeof GRADES)[number];

/** 80.00 points, in hundredths. */
export const BASE_SCORE = 8000;
export const MAX_SCORE = 10000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CreditRule {
  kind: CreditKind;
  /** Hundredths of a point; negative for penalties. */
  points: number;
  windowDays: number;
}

export interface RuleVersion {
  version: number;
  effectiveFrom: Date;
  rules: CreditRule[];
}

export interface ScoredEvent {
  id: number;
  /** An EventKind; a kind the rule version does not know scores nothing. */
  kind: string;
  occurredAt: Date;
  correctsEventId: number | null;
}

export const DEFAULT_RULES: CreditRule[] = [
  { kind: 'owner_rating_good', points: 200, windowDays: 365 },
  { kind: 'owner_rating_poor', points: -300, windowDays: 365 },
  { kind: 'delivery_on_time', points: 100, windowDays: 365 },
  { kind: 'delivery_overdue', points: -500, windowDays: 730 },
  { kind: 'award_declined', points: -500, windowDays: 365 },
  { kind: 'award_abandoned', points: -1000, windowDays: 730 },
  { kind: 'objection_upheld', points: -800, windowDays: 730 },
  { kind: 'violation_minor', points: -1000, windowDays: 730 },
  { kind: 'violation_serious', points: -3000, windowDays: 1095 },
];

export const DEFAULT_VERSION: RuleVersion = { version: 1, effectiveFrom: new Date(0), rules: DEFAULT_RULES };

/** Grades from hundredths: AAA ≥ 90, AA ≥ 80, A ≥ 70, B ≥ 60, C below. */
export function gradeOf(hundredths: number): Grade {
  if (hundredths >= 9000) return 'AAA';
  if (hundredths >= 8000) return 'AA';
  if (hundredths >= 7000) return 'A';
  if (hundredths >= 6000) return 'B';
  return 'C';
}

/** True when `grade` is at least `minimum` (AAA is the best). */
export const gradeAtLeast = (grade: Grade, minimum: Grade) => GRADES.indexOf(grade) <= GRADES.indexOf(minimum);

/** The version in force at t: the latest whose effectiveFrom is not after t (versions sorted by version). */
export function versionAt(versions: readonly RuleVersion[], at: Date): RuleVersion {
  let current = versions[0] ?? DEFAULT_VERSION;
  for (const version of versions) if (version.effectiveFrom.getTime() <= at.getTime()) current = version;
  return current;
}

export interface EventStanding {
  points: number;
  counts: boolean;
  /** When it stops counting under this rule version. */
  until: Date;
  corrected: boolean;
}

/** How one event stands at t under one rule version. */
export function standingOf(event: ScoredEvent, rules: ReadonlyMap<string, CreditRule>, correctedAt: Date | undefined, at: Date): EventStanding {
  const rule = rules.get(event.kind);
  const points = rule?.points ?? 0;
  const until = new Date(event.occurredAt.getTime() + (rule?.windowDays ?? 0) * DAY_MS);
  const corrected = correctedAt !== undefined && correctedAt.getTime() <= at.getTime();
  const counts = Boolean(rule) && !corrected && event.occurredAt.getTime() <= at.getTime() && at.getTime() < until.getTime();
  return { points, counts, until, corrected };
}

export const ruleMap = (version: RuleVersion) => new Map(version.rules.map((rule) => [rule.kind, rule] as const));

/** The moment each corrected event was corrected (the first correction counts). */
export function correctionsOf(events: readonly ScoredEvent[]): Map<number, Date> {
  const corrected = new Map<number, Date>();
  for (const event of events) {
    if (event.kind !== 'correction' || event.correctsEventId === null) continue;
    const earlier = corrected.get(event.correctsEventId);
    if (!earlier || event.occurredAt < earlier) corrected.set(event.correctsEventId, event.occurredAt);
  }
  return corrected;
}

/** The score at t in hundredths, under the rule version in force at t. */
export function scoreAt(events: readonly ScoredEvent[], versions: readonly RuleVersion[], at: Date, corrections = correctionsOf(events)): number {
  const rules = ruleMap(versionAt(versions, at));
  let total = BASE_SCORE;
  for (const event of events) {
    if (event.kind === 'correction') continue;
    const standing = standingOf(event, rules, corrections.get(event.id), at);
    if (standing.counts) total += standing.points;
  }
  return Math.min(MAX_SCORE, Math.max(0, total));
}

/** Events older than this cannot count at `at` under its rule version (the widest window). */
export function countingSince(versions: readonly RuleVersion[], at: Date): Date {
  const widest = Math.max(0, ...versionAt(versions, at).rules.map((rule) => rule.windowDays));
  return new Date(at.getTime() - widest * DAY_MS);
}

/** Hundredths to a JSON number with two decimals (integer arithmetic until the last step). */
export const toPoints = (hundredths: number) => hundredths / 100;
