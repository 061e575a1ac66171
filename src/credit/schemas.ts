import { z } from 'zod';
import { CREDIT_KINDS } from './score.js';
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

export const rulesSchema = z.object({
  rules: z.array(z.object({ kind: z.enum(CREDIT_KINDS), points, windowDays: z.number().int().min(1).max(3650) })).min(1).max(50),
  note: text().trim().min(2).max(1000).describe('Why the rules change'),
});

export const eventSchema = z.object({
  kind: z.enum([...CREDIT_KINDS, 'correction']),
  occurredAt: z.iso.datetime({ offset: true }).optional().describe('Default: now'),
  note: text().trim().min(2).max(2000),
  correctsEventId: id.optional().describe('For kind correction: the event it compensates'),
});

export const disputeSchema = z.object({ grounds: text().trim().min(2).max(5000) });
export const disputeDecisionSchema = z.object({ decision: z.enum(['uphold', 'dismiss']), reason });
