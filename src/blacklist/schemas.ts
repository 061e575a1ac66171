import { z } from 'zod';
import { pageOf, pageQuery } from '../audit/schemas.js';
import { entityId, text } from '../platform/text.js';

const id = entityId();
const reason = text().trim().min(2, 'give a reason').max(1000);
const instant = z.iso.datetime({ offset: true });

export const entryParams = z.object({ id });
export const appealParams = z.object({ id, appealId: id });

/** Computed from the clock at read time, never stored (see statusAt). */
export const BLACKLIST_STATUSES = ['active', 'scheduled', 'expired', 'revoked'] as const;

export const blacklistQuery = pageQuery.extend({
  status: z.enum([...BLACKLIST_STATUSES, 'all']).default('active'),
  q: text().trim().max(100).optional(),
});

export const entrySchema = z.object({
  firmId: id,
  reason: text().trim().min(2).max(1000).describe('列入事由'),
  basis: text().trim().min(2).max(1000).describe('Legal basis (法律依据)'),
  evidence: text().trim().min(2).max(5000),
  startsAt: instant.optional().describe('Default: now'),
  endsAt: instant.nullable().optional().describe('None or null: indefinite'),
});

export const reasonSchema = z.object({ reason });
export const appealSchema = z.object({ grounds: text().trim().min(2).max(5000) });
export const appealDecisionSchema = z.object({ decision: z.enum(['uphold', 'dismiss']), reason });

export const entryResponse = z.object({
  id: z.number().int(),
  firmId: z.number().int(),
  firmName: text(),
  firmUscc: text(),
  reason: text(),
  basis: text(),
  evidence: text(),
  startsAt: text(),
  endsAt: text().nullable().describe('null: indefinite'),
  decidedBy: text(),
  publishedAt: text(),
  appealDeadline: text(),
  status: z.enum(BLACKLIST_STATUSES),
  revokedAt: text().nullable(),
  revokeReason: text().nullable(),
});

export const appealResponse = z.object({
  id: z.number().int(),
  filedAt: text(),
  grounds: text(),
  decision: z.enum(['upheld', 'dismissed']).nullable().describe('null while waiting for a decision'),
  decisionReason: text().nullable(),
  decidedAt: text().nullable(),
});

export const entryListResponse = pageOf(entryResponse);

export const entryDetailResponse = entryResponse.extend({
  appeals: z
    .array(appealResponse.extend({ grounds: text().optional() }))
    .describe('Staff and the listed firm see every appeal with its grounds; others only decided ones, without grounds'),
});
