import { z } from 'zod';
import { entityId, text } from '../platform/text.js';

const id = entityId();
export const projectParams = z.object({ id });
export const questionParams = z.object({ id });
export const ownerParams = z.object({ id });
export const textBody = z.object({ text: text().trim().min(2).max(2000) });

/** Never who asked. */
export const questionResponse = z.object({
  id: z.number().int(),
  projectId: z.number().int(),
  text: text(),
  askedAt: text(),
  answerDueAt: text(),
  answer: text().nullable(),
  answeredAt: text().nullable(),
  answeredOnTime: z.boolean().nullable().describe('null while unanswered; an answer at the limit itself is late'),
  overdue: z.boolean(),
});

export const questionListResponse = z.object({
  items: z.array(questionResponse),
  open: z.boolean().describe('Whether questions are taken now'),
});

const rate = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  percent: z.number().int().nullable().describe('Rounded down; null with nothing judged'),
});

export const ownerQuestionStatsResponse = z.object({
  ownerId: z.number().int(),
  ownerName: text(),
  asked: z.number().int(),
  answered: z.number().int(),
  answeredOnTime: z.number().int(),
  unansweredOverdue: z.number().int(),
  pending: z.number().int(),
  replyRate: rate,
  onTimeReplyRate: rate,
});
