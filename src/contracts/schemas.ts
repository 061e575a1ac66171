import { z } from 'zod';
import { isCalendarDate } from '../platform/time.js';
import { entityId, text } from '../platform/text.js';

const id = entityId();
export const idParams = z.object({ id });

export const contractBody = z
  .object({
    awardId: id.optional(),
    amountFen: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    signedOn: text().refine(isCalendarDate, 'a date YYYY-MM-DD'),
    fileId: id,
  })
  .strict();
export type ContractInput = z.infer<typeof contractBody>;

export const deliveryBody = z
  .object({
    note: text().trim().min(2).max(2000),
    fileIds: z.array(id).min(1).max(20),
  })
  .strict();
export type DeliveryInput = z.infer<typeof deliveryBody>;

const score = z.number().int().min(1).max(5);
export const RATING_ASPECTS = ['quality', 'timeliness', 'attitude', 'fees', 'conduct'] as const;
export const ratingScores = z.object({ quality: score, timeliness: score, attitude: score, fees: score, conduct: score }).strict();
export type RatingScores = z.infer<typeof ratingScores>;

export const completionBody = z
  .object({
    /** Needed only when several delivered contracts of the project await acceptance. */
    contractId: id.optional(),
    ratings: ratingScores,
    comment: text().trim().min(2).max(2000),
  })
  .strict();
export type CompletionInput = z.infer<typeof completionBody>;

export const replyBody = z.object({ reply: text().trim().min(2).max(2000) }).strict();
export const hideBody = z.object({ reason: text().trim().min(2).max(1000) }).strict();
