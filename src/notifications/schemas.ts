import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';

export const CN_MOBILE = /^1[3-9]\d{9}$/;

export const notificationParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const mineQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).optional() });
export const mobileBody = z.object({
  mobile: z.string().trim().regex(CN_MOBILE, 'must be a mainland China mobile number, 11 digits starting 13–19').nullable(),
});
export const monitoringQuery = z.object({ state: z.enum(['near', 'overdue']).default('near') });
