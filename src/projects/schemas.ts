import { z } from 'zod';
import { pageQuery } from '../audit/schemas.js';
import { entityId, text } from '../platform/text.js';

export const METHODS = ['direct', 'lottery', 'inquiry', 'lottery_inquiry', 'comparison', 'bidding'] as const;
export type SelectionMethod = (typeof METHODS)[number];

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/**
 * A deadline as an instant, or as N working days (closing at 17:00 Shanghai) counted from
 * publication for registration and from registration close for submissions.
 */
const deadline = z.union([
  instant,
  z.object({ workingDays: z.number().int().min(1).max(60) }),
]);

const weight = z.number().int().min(0).max(100);
export const comparisonWeightsSchema = z.object({ price: weight, credit: weight, time: weight, plan: weight }).strict();
export const planCriterionSchema = z.object({ criterion: text().trim().min(2).max(300), maxPoints: z.number().int().min(1).max(100) }).strict();

export const projectOptionsSchema = z
  .object({
    /** lottery_inquiry: how many candidates the lottery draws (default 3). */
    drawCount: z.number().int().min(1).max(50).optional(),
    /** External randomness for the draw: none (weaker), or a figure staff will enter. */
    lotterySource: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({ kind: z.literal('manual'), description: text().trim().min(4).max(300) }),
    ]).optional(),
    /** 信用择优: before the draw, keep only this many registrants with the highest credit scores. */
    creditShortlist: z.number().int().min(1).max(500).optional(),
    /** Odds proportional to each registrant's credit score (in hundredths of a point, at least 1). */
    creditWeighted: z.boolean().optional(),
    /** 自主选择 (lottery only): the draw yields a shortlist of this size; the owner picks the winners from it with a reason. */
    ownerChoiceShortlist: z.number().int().min(2).max(20).optional(),
    /** comparison (网上比选): points of each part, integers summing to 100, fixed at publication. */
    weights: comparisonWeightsSchema.optional(),
    /** comparison: the published plan-scoring criteria; their points add up to weights.plan. */
    planCriteria: z.array(planCriterionSchema).min(1).max(20).optional(),
    /** bidding (竞价): rounds of turns (default 3), seconds per turn (default 120), the least step down. */
    rounds: z.number().int().min(1).max(10).optional(),
    turnSeconds: z.number().int().min(30).max(600).optional(),
    minStepFen: z.number().int().positive().max(1e13).optional().describe('0.5 %–3 % of budgetFen; default 1 %'),
    /** bidding: exactly one valid initial bid is selected without an auction (else the project fails). */
    allowSingleBid: z.boolean().optional(),
  })
  .strict();

export const projectTermsSchema = z.object({
  serviceCode: text().trim().min(1).max(32),
  title: text().trim().min(4).max(200),
  description: text().trim().min(1).max(5000),
  budgetFen: z.number().int().positive().max(1e13).describe('Upper limit (最高限价) in fen'),
  method: z.enum(METHODS),
  winners: z.number().int().min(1).max(10).default(1),
  minRespondents: z.number().int().min(1).max(50).default(3),
  minCreditGrade: z.enum(['AAA', 'AA', 'A', 'B']).optional(),
  quoteMode: z.enum(['amount', 'discount']).default('amount').describe('Quotes as an amount, or as a discount rate (下浮率) off quoteBaseFen'),
  quoteBaseFen: z.number().int().positive().max(1e13).optional(),
  registrationCloses: deadline,
  submissionCloses: deadline.optional(),
  options: projectOptionsSchema.default({}),
  avoidFirms: z
    .array(z.object({ firmId: entityId(), reason: text().trim().min(2).max(500) }))
    .max(50)
    .default([]),
});
export type ProjectTerms = z.infer<typeof projectTermsSchema>;

export const projectIdParams = z.object({ id: entityId() });

export const projectListQuery = pageQuery.extend({
  status: text().max(32).optional(),
  method: z.enum(METHODS).optional(),
  service: text().max(32).optional(),
});

export const reasonBody = z.object({ reason: text().trim().min(2).max(1000) });

export const registrationBody = z.object({
  entropy: text().max(256).optional().describe('Your contribution to the lottery seed (≤ 64 characters after NFC)'),
});

export const submissionBody = z
  .object({
    amountFen: z.number().int().positive().max(1e13).optional(),
    discountRateBp: z.number().int().min(0).max(10000).optional().describe('下浮率 in basis points (1250 = 12.5 %)'),
    promisedDays: z.number().int().min(1).max(3650).optional(),
    plan: text().max(20000).optional(),
    planFileIds: z.array(entityId()).max(10).optional().describe('comparison: files uploaded with purpose comparison_plan; their SHA-256 is sealed with the proposal'),
  })
  .refine((body) => (body.amountFen === undefined) !== (body.discountRateBp === undefined), 'give exactly one of amountFen or discountRateBp');

export const ownerChoiceBody = z.object({
  firmIds: z.array(entityId()).min(1).max(10).describe('The winners, chosen from the drawn shortlist'),
  reason: text().trim().min(4).max(2000),
});

export const witnessesBody = z.object({ witnesses: z.array(text().trim().min(1).max(60)).max(3) });

export const directSelectionBody = z.object({ firmId: entityId(), reason: text().trim().min(4).max(2000) });
