import { z } from 'zod';
import { pageOf, pageQuery } from '../audit/schemas.js';
import { TURN_OUTCOMES } from '../auction/schedule.js';
import { GRADES } from '../credit/score.js';
import { entityId, text } from '../platform/text.js';

export const METHODS = ['direct', 'lottery', 'inquiry', 'lottery_inquiry', 'comparison', 'bidding'] as const;
export type SelectionMethod = (typeof METHODS)[number];
export const PROJECT_STATUSES = ['draft', 'registering', 'submitting', 'drawing', 'choosing', 'evaluating', 'auction', 'publicity', 'awarded', 'contracted', 'delivered', 'completed', 'failed', 'cancelled'] as const;
export const REGISTRATION_STATUSES = ['active', 'invalid', 'withdrawn'] as const;

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

// ---------------------------------------------------------------------------------------------
// Responses: what the handlers answer, checked against every success body in tests. Objects are
// strict, so a key the document does not name fails the test that produced it.

const int = () => z.number().int();

/** A firm as a selection names it. */
export const namedFirmSchema = z.strictObject({ firmId: int(), name: text(), uscc: text() });
/** A drawn firm barred since registration closed, passed over in place with the rules it fails. */
const passedOverSchema = namedFirmSchema.extend({ rules: z.array(text()) });
export const planFileSchema = z.strictObject({ id: int(), sha256: text(), filename: text() });

/** What a firm sealed: the amount (0 in discount mode), and what the method asks for besides. */
export const sealedContentSchema = z.strictObject({
  amountFen: int(),
  discountRateBp: int().optional(),
  promisedDays: int().optional(),
  plan: text().optional(),
  planFiles: z.array(planFileSchema).optional(),
});

/** A valid quote at the opening, lowest first; its plan only for the owner and staff. */
export const rankedQuoteSchema = sealedContentSchema.extend({
  ...namedFirmSchema.shape,
  rank: int(),
  receivedAt: text(),
  receiptHash: text(),
  flags: z.array(text()).describe('e.g. abnormally_low'),
});

const invalidQuoteSchema = namedFirmSchema.pick({ firmId: true, name: true }).extend({ amountFen: int(), reason: text() });
const tamperedSchema = z.strictObject({ submissionId: int(), firmId: int(), reason: text() });
const tieBreakSchema = z.strictObject({
  firmIds: z.array(int()),
  lotteryId: text().optional().describe('Once drawn: the tie-break lottery committed at publication and its order (uscc)'),
  order: z.array(text()).optional(),
});

/** The opening report (开标记录): every price, every excluded or tampered row. */
export const openingReportSchema = z.strictObject({
  openedAt: text(),
  ranking: z.array(rankedQuoteSchema),
  invalid: z.array(invalidQuoteSchema),
  tampered: z.array(tamperedSchema),
});

/** Winners dropped by upheld objections, oldest first. */
export const voidedSchema = z.array(z.strictObject({ firmIds: z.array(int()), objectionId: int(), at: text() }));

/** Winners and alternates; publishedAt and publicityEndsAt once in publicity (中选公示). */
const outcomeShape = {
  winners: z.array(int()),
  alternates: z.array(int()),
  publishedAt: text().optional(),
  publicityEndsAt: text().nullable().optional().describe('Null while the next year of the working calendar is missing'),
  voided: voidedSchema.optional(),
};

/** A comparison proposal's line, scores in thousandths of a point; plan scores after the evaluation. */
const comparisonRowSchema = namedFirmSchema.extend({
  amountFen: int(),
  promisedDays: int(),
  creditHundredths: int(),
  creditGrade: z.enum(GRADES),
  priceScore: int(),
  timeScore: int(),
  creditScore: int(),
  planTenths: int().optional(),
  planScore: int().optional(),
  justification: text().optional(),
  total: int().optional(),
  rank: int().optional(),
});

export const comparisonSchema = z.strictObject({
  weights: comparisonWeightsSchema,
  planCriteria: z.array(planCriterionSchema).optional(),
  creditAt: text(),
  lowestFen: int(),
  shortestDays: int(),
  rows: z.array(comparisonRowSchema),
  evaluation: z.strictObject({ evaluatedAt: text(), evaluatedBy: int() }).optional(),
});

/** A bidder's final price in a reverse auction (竞价), with its label and initial bid. */
const auctionRankedSchema = rankedQuoteSchema
  .pick({ rank: true, firmId: true, name: true, uscc: true, amountFen: true, receivedAt: true, receiptHash: true, flags: true })
  .extend({ label: text(), initialFen: int() });

const auctionLogEntrySchema = namedFirmSchema.extend({
  label: text(),
  round: int().optional(),
  turn: int().optional(),
  outcome: z.enum(TURN_OUTCOMES),
  amountFen: int().optional(),
  startedAt: text().optional(),
  at: text(),
});

/**
 * `project.result` by kind: a lottery_inquiry draw (drawn), an owner's-choice shortlist, a
 * lottery result (or its failure), a direct selection, an opening (inquiry, comparison, bidding
 * without an auction) and an auction. Null before there is one and while a draw is pending.
 */
export const projectResultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('drawn'), lotteryId: text(), drawn: z.array(int()), order: z.array(namedFirmSchema), passedOver: z.array(passedOverSchema).optional() }),
  z.strictObject({ kind: z.literal('shortlist'), lotteryId: text(), shortlist: z.array(namedFirmSchema), passedOver: z.array(passedOverSchema).optional() }),
  z.strictObject({
    kind: z.literal('lottery'),
    lotteryId: text(),
    ranking: z.array(namedFirmSchema.extend({ rank: int().optional() })).optional(),
    passedOver: z.array(passedOverSchema).optional(),
    ownerChoice: z.strictObject({ reason: text(), chosen: z.array(int()) }).optional(),
    ...z.strictObject(outcomeShape).partial().shape,
  }).describe('Without ranking and winners when no drawn firm was still eligible'),
  z.strictObject({ kind: z.literal('direct'), reason: text(), ranking: z.array(namedFirmSchema.extend({ rank: int() })), ...outcomeShape }),
  openingReportSchema.extend({ kind: z.literal('opening'), tieBreak: tieBreakSchema.optional(), comparison: comparisonSchema.optional(), ...outcomeShape }),
  openingReportSchema.extend({
    kind: z.literal('auction'),
    ranking: z.array(z.union([auctionRankedSchema, rankedQuoteSchema])),
    single: z.literal(true).optional().describe('The only valid initial bid, selected without an auction'),
    startedAt: text().optional(),
    endedAt: text().optional(),
    rounds: int().optional(),
    turnSeconds: int().optional(),
    minStepFen: int().optional(),
    withdrawn: z.array(namedFirmSchema.pick({ firmId: true, name: true }).extend({ label: text(), amountFen: int() })).optional(),
    log: z.array(auctionLogEntrySchema),
    tieBreak: tieBreakSchema.optional(),
    ...outcomeShape,
  }),
]);

/** A project as presentProject shows it; plans and avoided firms only to the owner and staff. */
export const projectResponse = z.strictObject({
  id: int(),
  ownerId: int(),
  ownerName: text().optional().describe('On GET /projects/{id}'),
  serviceCode: text(),
  title: text(),
  description: text(),
  budgetFen: int(),
  method: z.enum(METHODS),
  winners: int(),
  minRespondents: int(),
  minCreditGrade: projectTermsSchema.shape.minCreditGrade.unwrap().nullable(),
  quoteMode: projectTermsSchema.shape.quoteMode.unwrap(),
  quoteBaseFen: int().nullable(),
  options: projectOptionsSchema.pick({ drawCount: true, lotterySource: true, weights: true, planCriteria: true, rounds: true, turnSeconds: true, minStepFen: true, allowSingleBid: true }),
  registrationClosesAt: text(),
  submissionClosesAt: text().nullable(),
  status: z.enum(PROJECT_STATUSES),
  termsVersion: int(),
  lotteryId: text().nullable(),
  tieBreakLotteryId: text().nullable(),
  publishedAt: text().nullable(),
  outcomeReason: text().nullable(),
  clonedFrom: int().nullable(),
  result: projectResultSchema.nullable(),
  avoidFirms: projectTermsSchema.shape.avoidFirms.unwrap().optional().describe('The owner and staff only'),
});

export const projectPage = pageOf(projectResponse);

/** How many quotes the change invalidated is sealed like the quotes, from the owner too. */
export const amendmentResponse = z.strictObject({ project: projectResponse });

const registrationStatus = z.enum(REGISTRATION_STATUSES);
export const registrationResponse = z.strictObject({ projectId: int(), status: registrationStatus.extract(['active']), registeredAt: text() });
export const myRegistrationResponse = registrationResponse.extend({ entropy: text().nullable() });
export const registrantsResponse = z.strictObject({
  items: z.array(namedFirmSchema.extend({ status: registrationStatus, statusReason: text().nullable() })),
});

export const receiptSchema = z.strictObject({ submissionId: int(), projectId: int(), receivedAt: text(), receiptHash: text() });
export const mySubmissionResponse = receiptSchema.extend({ content: sealedContentSchema });
export const openedSubmissionsResponse = openingReportSchema.extend({ tieBreak: tieBreakSchema.optional() });

export const witnessesResponse = z.strictObject({ projectId: int(), lotteryId: text(), witnesses: z.array(text()) });
