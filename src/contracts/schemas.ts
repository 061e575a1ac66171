import { z } from 'zod';
import { isCalendarDate } from '../platform/time.js';
import { entityId, text } from '../platform/text.js';
import { planFileSchema } from '../projects/schemas.js';

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

// ---------------------------------------------------------------------------------------------
// Responses

const int = () => z.number().int();

/** A rating as presentRating shows it: the comment is null once staff hid it. */
export const ratingResponse = z.strictObject({
  id: int(),
  projectId: int(),
  contractId: int(),
  firmId: int(),
  scores: ratingScores,
  mean: z.number().describe('Of the five scores, one decimal'),
  comment: text().nullable(),
  commentHidden: z.boolean(),
  commentHiddenReason: text().nullable(),
  ratedAt: text(),
  reply: text().nullable(),
  repliedAt: text().nullable(),
});

export const contractResponse = z.strictObject({ id: int(), awardId: int(), firmId: int(), amountFen: int(), signedOn: text(), promisedDays: int(), fileId: int() });
export const deliveryResponse = z.strictObject({ id: int(), deliveredAt: text() });

/** The service timer (服务计时) in working days; null parts while the year's calendar is missing. */
const timerSchema = z.strictObject({
  signedOn: text(),
  promisedDays: int(),
  dueOn: text().nullable(),
  dueAt: text().nullable(),
  elapsedWorkingDays: int().nullable(),
  running: z.boolean(),
  stoppedOn: text().nullable(),
  overdue: z.boolean().nullable(),
});

const fileSummarySchema = planFileSchema.extend({ sizeBytes: int(), mediaType: text() });

export const projectContractsResponse = z.strictObject({
  items: z.array(
    contractResponse.omit({ fileId: true }).extend({
      firmName: text(),
      recordedAt: text(),
      deliveredAt: text().nullable(),
      completedAt: text().nullable(),
      timer: timerSchema,
      rating: ratingResponse.nullable(),
      file: fileSummarySchema.nullable().optional().describe('The owner, the firm and staff only'),
      deliveryNote: text().nullable().optional().describe('The owner, the firm and staff only'),
      deliveryFiles: z.array(fileSummarySchema).optional().describe('The owner, the firm and staff only'),
    }),
  ),
});

const average = z.number().nullable().describe('One decimal; null without ratings');
export const firmRatingsResponse = z.strictObject({
  count: int(),
  averages: z.strictObject(Object.fromEntries(RATING_ASPECTS.map((aspect) => [aspect, average])) as Record<(typeof RATING_ASPECTS)[number], typeof average>),
  mean: average,
  items: z.array(ratingResponse.extend({ projectTitle: text(), ownerName: text() })),
});
