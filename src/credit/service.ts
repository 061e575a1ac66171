import { appendAudit } from '../audit/service.js';
import { activeFirmIds } from '../blacklist/repository.js';
import { blacklistedFirms } from '../blacklist/service.js';
import * as firms from '../firms/repository.js';
import type { PlatformDeps } from '../platform/deps.js';
import type { Executor } from '../platform/db/index.js';
import { badRequest, conflict, forbidden, notFound } from '../platform/errors.js';
import { isStaff, type CurrentUser } from '../platform/http/access.js';
import { isoShanghai } from '../platform/time.js';
import * as repository from './repository.js';
import {
  CREDIT_KINDS,
  correctionsOf,
  countingSince,
  gradeAtLeast,
  gradeOf,
  ruleMap,
  scoreAt,
  standingOf,
  toPoints,
  versionAt,
  type CreditKind,
  type CreditRule,
  type EventKind,
  type Grade,
  type RuleVersion,
} from './score.js';

export type CreditDeps = Pick<PlatformDeps, 'database' | 'clock'>;

const actorOf = (user: CurrentUser) => `user:${user.id}`;
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const HISTORY_MONTHS = 12;

function presentVersion(version: RuleVersion) {
  return {
    version: version.version,
    effectiveFrom: version.version === 1 ? null : isoShanghai(version.effectiveFrom),
    rules: version.rules.map((rule) => ({ kind: rule.kind, points: toPoints(rule.points), windowDays: rule.windowDays })),
  };
}

/** The public rule table: the version in force and every earlier one. */
export async function creditRules(deps: CreditDeps) {
  const versions = await repository.ruleVersions(deps.database.db);
  return { current: presentVersion(versionAt(versions, deps.clock.now())), versions: versions.map(presentVersion) };
}

/** Staff edit the rules: a new version, in force from now; earlier scores keep their version. */
export async function replaceRules(deps: CreditDeps, staff: CurrentUser, input: { rules: { kind: CreditKind; points: number; windowDays: number }[]; note: string }) {
  const kinds = new Set(input.rules.map((rule) => rule.kind));
  const missing = CREDIT_KINDS.filter((kind) => !kinds.has(kind));
  if (kinds.size !== input.rules.length || missing.length) {
    throw badRequest('validation_failed', 'Give every kind exactly once', [{ path: 'body.rules', message: 'every kind exactly once', params: { missing: missing.join(', ') } }]);
  }
  const rules: CreditRule[] = input.rules.map((rule) => ({ kind: rule.kind, points: Math.round(rule.points * 100), windowDays: rule.windowDays }));
  return deps.database.transaction(async (tx) => {
    const version = await repository.insertRuleVersion(tx, { rules, note: input.note, effectiveFrom: deps.clock.now(), createdBy: actorOf(staff) });
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: 'credit.rules_changed', entityType: 'credit_rules', entityId: version, data: { rules, note: input.note } });
    return presentVersion({ version, effectiveFrom: deps.clock.now(), rules });
  });
}

/** The end of each of the last `months` Shanghai calendar months; the current month ends now. */
export function monthEnds(now: Date, months = HISTORY_MONTHS): { month: string; at: Date }[] {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const ends: { month: string; at: Date }[] = [];
  for (let back = months - 1; back >= 0; back -= 1) {
    const year = local.getUTCFullYear();
    const month = local.getUTCMonth() - back;
    const start = new Date(Date.UTC(year, month, 1));
    const nextStart = Date.UTC(year, month + 1, 1) - SHANGHAI_OFFSET_MS;
    const label = start.toISOString().slice(0, 7);
    ends.push({ month: label, at: new Date(Math.min(now.getTime(), nextStart - 1000)) });
  }
  return ends;
}

export interface CreditSummary {
  score: number;
  grade: Grade;
  blacklisted: boolean;
}

/** Score and grade of many firms at once, from one read of their events. */
export async function summariesOf(db: Executor, firmIds: number[], at: Date): Promise<Map<number, { hundredths: number; grade: Grade }>> {
  const versions = await repository.ruleVersions(db);
  const byFirm = await repository.eventsByFirm(db, firmIds, countingSince(versions, at));
  const result = new Map<number, { hundredths: number; grade: Grade }>();
  for (const firmId of firmIds) {
    const hundredths = scoreAt(byFirm.get(firmId) ?? [], versions, at);
    result.set(firmId, { hundredths, grade: gradeOf(hundredths) });
  }
  return result;
}

/** Score, grade and blacklist flag of many firms now (the directory shows them). */
export async function creditSummaries(deps: CreditDeps, firmIds: number[]): Promise<Map<number, CreditSummary>> {
  const at = deps.clock.now();
  const scores = await summariesOf(deps.database.db, firmIds, at);
  const blacklisted = await blacklistedFirms(deps, firmIds, at);
  return new Map(firmIds.map((id) => [id, { score: toPoints(scores.get(id)!.hundredths), grade: scores.get(id)!.grade, blacklisted: blacklisted.has(id) }]));
}

/** Firms whose grade now meets `minimum` (the directory filter), as an id filter on all firms. */
export async function gradeFilter(deps: CreditDeps, minimum: Grade): Promise<{ only?: number[]; except?: number[] }> {
  const db = deps.database.db;
  const versions = await repository.ruleVersions(db);
  const at = deps.clock.now();
  const byFirm = await repository.eventsByFirm(db, undefined, countingSince(versions, at));
  const passing: number[] = [];
  const failing: number[] = [];
  // a blacklisted firm meets no minimum, whatever its score
  const blacklisted = new Set(await activeFirmIds(db, at));
  for (const [firmId, events] of byFirm) {
    if (blacklisted.has(firmId)) continue;
    (gradeAtLeast(gradeOf(scoreAt(events, versions, at)), minimum) ? passing : failing).push(firmId);
  }
  // a firm without events has the base score
  return gradeAtLeast(gradeOf(scoreAt([], versions, at)), minimum) ? { except: [...failing, ...blacklisted] } : { only: passing };
}

/** A firm's credit: score and grade now, every event with its standing, and a 12-month history. */
export async function firmCredit(deps: CreditDeps, firmId: number) {
  const db = deps.database.db;
  const firm = await firms.findFirm(db, firmId);
  if (!firm) throw notFound('Firm');
  const now = deps.clock.now();
  const versions = await repository.ruleVersions(db);
  const events = await repository.eventsOf(db, firmId);
  const corrections = correctionsOf(events);
  const current = versionAt(versions, now);
  const rules = ruleMap(current);
  const hundredths = scoreAt(events, versions, now, corrections);
  const blacklisted = (await blacklistedFirms(deps, [firmId], now)).has(firmId);
  const disputes = await repository.disputesOf(db, firmId);
  return {
    firmId,
    score: toPoints(hundredths),
    grade: gradeOf(hundredths),
    blacklisted,
    ruleVersion: current.version,
    events: events
      .filter((event) => event.occurredAt <= now)
      .map((event) => {
        const standing = event.kind === 'correction' ? undefined : standingOf(event, rules, corrections.get(event.id), now);
        const dispute = disputes.find((candidate) => candidate.eventId === event.id);
        return {
          id: event.id,
          kind: event.kind as EventKind,
          occurredAt: isoShanghai(event.occurredAt),
          source: event.source,
          note: event.note,
          correctsEventId: event.correctsEventId,
          points: standing ? toPoints(standing.points) : 0,
          counts: standing?.counts ?? false,
          countsUntil: standing ? isoShanghai(standing.until) : null,
          corrected: standing?.corrected ?? false,
          state: !standing ? 'correction' : standing.corrected ? 'corrected' : standing.counts ? 'counts' : 'expired',
          dispute: dispute ? { id: dispute.id, decision: dispute.decision } : null,
        };
      })
      .reverse(),
    history: monthEnds(now).map(({ month, at }) => {
      const score = scoreAt(events, versions, at, corrections);
      return { month, at: isoShanghai(at), score: toPoints(score), grade: gradeOf(score) };
    }),
  };
}

export type FirmCredit = Awaited<ReturnType<typeof firmCredit>>;

/**
 * Records one event. Staff call it through the API; the project lifecycle (delivery, declines,
 * upheld objections) calls it inside its own transaction with a `system:` actor.
 */
export async function recordEvent(
  tx: Executor,
  deps: Pick<PlatformDeps, 'clock'>,
  actor: string,
  input: { firmId: number; kind: EventKind; occurredAt?: Date; source: string; note: string; correctsEventId?: number },
) {
  const now = deps.clock.now();
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt > now) throw badRequest('validation_failed', 'An event cannot be in the future', [{ path: 'body.occurredAt', message: 'is in the future' }]);
  if (input.kind === 'correction') {
    const corrected = input.correctsEventId ? await repository.findEvent(tx, input.correctsEventId) : undefined;
    if (!corrected || corrected.firmId !== input.firmId || corrected.kind === 'correction') {
      throw badRequest('validation_failed', 'A correction names an event of the same firm', [{ path: 'body.correctsEventId', message: 'is not an event of this firm' }]);
    }
  }
  const event = await repository.insertEvent(tx, {
    firmId: input.firmId,
    kind: input.kind,
    occurredAt,
    source: input.source,
    note: input.note,
    correctsEventId: input.kind === 'correction' ? input.correctsEventId! : null,
    recordedBy: actor,
    recordedAt: now,
  });
  await appendAudit(tx, deps.clock, { actor, action: 'credit.event_recorded', entityType: 'firm', entityId: input.firmId, data: { eventId: event.id, kind: event.kind, occurredAt: isoShanghai(occurredAt), source: input.source, correctsEventId: event.correctsEventId } });
  return { id: event.id, firmId: event.firmId, kind: event.kind, occurredAt: isoShanghai(event.occurredAt), source: event.source, note: event.note, correctsEventId: event.correctsEventId };
}

export async function recordStaffEvent(
  deps: CreditDeps,
  staff: CurrentUser,
  firmId: number,
  input: { kind: EventKind; occurredAt?: string; note: string; correctsEventId?: number },
) {
  return deps.database.transaction(async (tx) => {
    if (!(await firms.findFirm(tx, firmId))) throw notFound('Firm');
    return recordEvent(tx, deps, actorOf(staff), {
      firmId,
      kind: input.kind,
      occurredAt: input.occurredAt ? new Date(input.occurredAt) : undefined,
      source: `staff:${staff.id}`,
      note: input.note,
      correctsEventId: input.correctsEventId,
    });
  });
}

function presentDispute(dispute: repository.CreditDisputeRow) {
  return {
    id: dispute.id,
    eventId: dispute.eventId,
    firmId: dispute.firmId,
    grounds: dispute.grounds,
    filedAt: isoShanghai(dispute.filedAt),
    decision: dispute.decision,
    decisionReason: dispute.decisionReason,
    decidedAt: dispute.decidedAt ? isoShanghai(dispute.decidedAt) : null,
  };
}

/** The firm disputes one of its own events, once. */
export async function disputeEvent(deps: CreditDeps, user: CurrentUser, eventId: number, grounds: string) {
  return deps.database.transaction(async (tx) => {
    const event = await repository.findEvent(tx, eventId);
    if (!event) throw notFound('Credit event');
    if (user.role !== 'agency' || user.organizationId !== event.firmId) throw forbidden("Only the firm itself may dispute its events");
    if (event.kind === 'correction') throw conflict('not_disputable', 'A correction cannot be disputed');
    if (await repository.disputeOfEvent(tx, eventId)) throw conflict('already_disputed', 'This event was already disputed');
    const dispute = await repository.insertDispute(tx, { eventId, firmId: event.firmId, grounds, filedBy: actorOf(user), filedAt: deps.clock.now() });
    await appendAudit(tx, deps.clock, { actor: actorOf(user), action: 'credit.dispute_filed', entityType: 'firm', entityId: event.firmId, data: { disputeId: dispute.id, eventId } });
    return presentDispute(dispute);
  });
}

/** Staff decide a dispute with a reason; upheld adds a correction that cancels the event. */
export async function decideDispute(deps: CreditDeps, staff: CurrentUser, disputeId: number, decision: 'uphold' | 'dismiss', reason: string) {
  return deps.database.transaction(async (tx) => {
    const dispute = await repository.findDispute(tx, disputeId, { lock: true });
    if (!dispute) throw notFound('Dispute');
    if (dispute.decision) throw conflict('dispute_already_decided', `The dispute was already ${dispute.decision}`);
    const outcome = decision === 'uphold' ? 'upheld' : 'dismissed';
    const now = deps.clock.now();
    await repository.updateDispute(tx, disputeId, { decision: outcome, decisionReason: reason, decidedBy: actorOf(staff), decidedAt: now });
    await appendAudit(tx, deps.clock, { actor: actorOf(staff), action: `credit.dispute_${outcome}`, entityType: 'firm', entityId: dispute.firmId, data: { disputeId, eventId: dispute.eventId, reason } });
    if (outcome === 'upheld') {
      await recordEvent(tx, deps, actorOf(staff), { firmId: dispute.firmId, kind: 'correction', source: `dispute:${disputeId}`, note: reason, correctsEventId: dispute.eventId });
    }
    return presentDispute({ ...dispute, decision: outcome, decisionReason: reason, decidedBy: actorOf(staff), decidedAt: now });
  });
}

/** Disputes are between the firm and staff. */
export async function listDisputes(deps: CreditDeps, viewer: CurrentUser, firmId: number) {
  if (!(await firms.findFirm(deps.database.db, firmId))) throw notFound('Firm');
  if (!isStaff(viewer) && !(viewer.role === 'agency' && viewer.organizationId === firmId)) throw forbidden("Only the firm itself and staff see its disputes");
  return (await repository.disputesOf(deps.database.db, firmId)).map(presentDispute);
}
