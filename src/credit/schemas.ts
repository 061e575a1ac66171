import { z } from 'zod';
import { CREDIT_KINDS, GRADES } from './score.js';
import { entityId, text } from '../platform/text.js';

const id = entityId();
const reason = text().trim().min(2, 'give a reason').max(1000);

export const firmParams = z.object({ id });
export const eventParams = z.object({ id });
export const disputeParams = z.object({ id });

/** Points with at most two decimals: stored as integer hundredths. */
const points = z
  .number()
  .min(-100)
  .max(100)
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'at most two decimals');

/** A correction is not a rule kind: it names the event it compensates. */
export const EVENT_KINDS = [...CREDIT_KINDS, 'correction'] as const;
export const DISPUTE_OUTCOMES = ['upheld', 'dismissed'] as const;

const creditRuleSchema = z.object({ kind: z.enum(CREDIT_KINDS), points, windowDays: z.number().int().min(1).max(3650) });

export const rulesSchema = z.object({
  rules: z.array(creditRuleSchema).min(1).max(50),
  note: text().trim().min(2).max(1000).describe('Why the rules change'),
});

export const eventSchema = z.object({
  kind: z.enum(EVENT_KINDS),
  occurredAt: z.iso.datetime({ offset: true }).optional().describe('Default: now'),
  note: text().trim().min(2).max(2000),
  correctsEventId: id.optional().describe('For kind correction: the event it compensates'),
});

export const disputeSchema = z.object({ grounds: text().trim().min(2).max(5000) });
export const disputeDecisionSchema = z.object({ decision: z.enum(['uphold', 'dismiss']), reason });

// ---- responses ----

const int = z.number().int();
const score = z.number().describe('0–100, two decimals');

export const ruleVersionResponse = z.object({
  version: int,
  effectiveFrom: text().nullable().describe('null for version 1, the built-in table'),
  rules: z.array(creditRuleSchema),
});
export const rulesResponse = z.object({ current: ruleVersionResponse, versions: z.array(ruleVersionResponse).describe('Every version, oldest first') });

/** Score, grade and blacklist flag now, as the directory shows them. */
export const creditSummaryResponse = z.object({ score, grade: z.enum(GRADES), blacklisted: z.boolean() });

export const creditEventResponse = z.object({
  id: int,
  firmId: int,
  kind: z.enum(EVENT_KINDS),
  occurredAt: text(),
  source: text().describe('staff:<user id>, dispute:<id> or the system process that recorded it'),
  note: text(),
  correctsEventId: int.nullable().describe('Only a correction names the event it compensates'),
});

export const disputeResponse = z.object({
  id: int,
  eventId: int,
  firmId: int,
  grounds: text(),
  filedAt: text(),
  decision: z.enum(DISPUTE_OUTCOMES).nullable().describe('null while waiting for a decision'),
  decisionReason: text().nullable(),
  decidedAt: text().nullable(),
});
export const disputeListResponse = z.array(disputeResponse).describe('Newest first');

export const firmCreditResponse = creditSummaryResponse.extend({
  firmId: int,
  ruleVersion: int.describe('The rule version in force now'),
  events: z
    .array(
      creditEventResponse.omit({ firmId: true }).extend({
        points: z.number().describe('What the event counts under the rule version in force now; 0 for a correction'),
        counts: z.boolean(),
        countsUntil: text().nullable().describe('null for a correction'),
        corrected: z.boolean(),
        state: z.enum(['counts', 'expired', 'corrected', 'correction']),
        dispute: disputeResponse.pick({ id: true, decision: true }).nullable(),
      }),
    )
    .describe('Events that have occurred, newest first'),
  history: z.array(z.object({ month: text().describe('YYYY-MM'), at: text(), score, grade: z.enum(GRADES) })).describe('The end of each of the last 12 months, oldest first'),
});
