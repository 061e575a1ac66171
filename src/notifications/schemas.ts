import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';
import { entityId, text } from '../platform/text.js';

export const CN_MOBILE = /^1[3-9]\d{9}$/;

export const notificationParams = z.object({ id: entityId() });
export const mineQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).optional() });
export const mobileBody = z.object({
  mobile: text().trim().regex(CN_MOBILE, 'must be a mainland China mobile number, 11 digits starting 13–19').nullable(),
});
export const monitoringQuery = z.object({ state: z.enum(['near', 'overdue']).default('near') });
