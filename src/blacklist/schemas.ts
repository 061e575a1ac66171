import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';
import { entityId, text } from '../platform/text.js';

const id = entityId();
const reason = text().trim().min(2, 'give a reason').max(1000);
const instant = z.iso.datetime({ offset: true });

export const entryParams = z.object({ id });
export const appealParams = z.object({ id, appealId: id });

export const blacklistQuery = pageQuery.extend({
  status: z.enum(['active', 'scheduled', 'expired', 'revoked', 'all']).default('active'),
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
