import { z } from 'zod';
import { GRADES } from '../credit/score.js';
import { entityId, text } from '../platform/text.js';
import { comparisonSchema, namedFirmSchema, planCriterionSchema, planFileSchema, PROJECT_STATUSES } from '../projects/schemas.js';

export const evaluationBody = z.object({
  scores: z
    .array(
      z.object({
        firmId: entityId(),
        planPoints: z.number().min(0).max(100).describe('0 to weights.plan, at most one decimal place'),
        justification: text().trim().min(10).max(2000),
      }),
    )
    .min(1)
    .max(200),
});

const int = () => z.number().int();
const decimal = text().describe('An exact decimal with three places, e.g. "38.462"');

/** The side-by-side comparison table (比选对照表); plans only for the owner and staff. */
export const comparisonTableResponse = comparisonSchema
  .pick({ weights: true, creditAt: true, lowestFen: true, shortestDays: true })
  .extend({
    projectId: int(),
    title: text(),
    status: z.enum(PROJECT_STATUSES),
    evaluated: z.boolean(),
    openedAt: text(),
    planCriteria: z.array(planCriterionSchema),
    rows: z.array(
      namedFirmSchema.extend({
        rank: int().nullable(),
        amountFen: int(),
        promisedDays: int(),
        credit: z.strictObject({ score: text(), grade: z.enum(GRADES) }),
        scores: z.strictObject({ price: decimal, time: decimal, credit: decimal, plan: decimal.nullable() }),
        total: decimal.nullable(),
        milli: z.strictObject({ price: int(), time: int(), credit: int(), plan: int().nullable(), total: int().nullable() }),
        winner: z.boolean(),
        flags: z.array(text()),
        justification: text().optional(),
        plan: text().optional(),
        planFiles: z.array(planFileSchema).optional(),
      }),
    ),
    tieBreak: z.strictObject({ lotteryId: text(), firmIds: z.array(int()), order: z.array(text()) }).nullable(),
    formula: z.array(text()),
  });
