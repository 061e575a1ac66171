import { z } from 'zod';
import { pageOf, pageQuery } from '../audit/schemas.js';
import { entityId, text } from '../platform/text.js';

export const CN_MOBILE = /^1[3-9]\d{9}$/;

export const notificationParams = z.object({ id: entityId() });
export const mineQuery = pageQuery.extend({ unread: z.enum(['true', 'false']).optional() });
export const mobileBody = z.object({
  mobile: text().trim().regex(CN_MOBILE, 'must be a mainland China mobile number, 11 digits starting 13–19').nullable(),
});
/** near: within 2 working days; overdue: past, the step not done. */
export const DEADLINE_STATES = ['near', 'overdue'] as const;
export const monitoringQuery = z.object({ state: z.enum(DEADLINE_STATES).default('near') });

export const notificationResponse = z.object({
  id: z.number().int(),
  kind: text(),
  subject: text(),
  body: text(),
  link: text().nullable(),
  createdAt: text(),
  readAt: text().nullable(),
});

export const mineResponse = pageOf(notificationResponse).extend({ unread: z.number().int().describe('All my unread notifications, whatever the page') });

export const mobileResponse = z.object({ mobile: text().nullable() });

const outboxItem = z.object({
  id: z.number().int(),
  deliveryId: z.number().int(),
  userId: z.number().int(),
  username: text(),
  address: text().nullable(),
  subject: text(),
  body: text(),
  createdAt: text(),
});

const unsentDelivery = z.object({
  id: z.number().int(),
  channel: z.enum(['outbox', 'smtp', 'sms']),
  address: text().nullable(),
  status: z.enum(['pending', 'failed', 'skipped']),
  attempts: z.number().int(),
  lastError: text().nullable(),
  nextAttemptAt: text(),
  subject: text(),
  username: text(),
});

export const outboxResponse = pageOf(outboxItem).extend({
  unsent: z.array(unsentDelivery).describe('The latest 100 deliveries pending a retry, failed or skipped'),
});

export const deadlinesResponse = z.object({
  state: z.enum(DEADLINE_STATES),
  asOf: text(),
  items: z.array(
    z.object({
      projectId: z.number().int(),
      projectTitle: text(),
      kind: text().describe('The deadline source, e.g. registration_close, question_answer'),
      ref: text().nullable().describe('Tells apart several deadlines of one kind in a project'),
      at: text(),
      hoursLeft: z.number().describe('One decimal; negative once overdue'),
      mustAct: z.array(
        z.union([
          z.object({ organizationId: z.number().int(), name: text() }),
          z.object({ userId: z.number().int(), name: text() }),
        ]),
      ).describe("Who must act; of a sealed project only the owner before the opening"),
      participantsSealed: z.boolean().describe('The firms that must act are a sealed project\'s participants: secret until the opening'),
    }),
  ),
});
