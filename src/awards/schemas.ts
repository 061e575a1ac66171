import { z } from 'zod';
import { entityId, text } from '../platform/text.js';
import { PROJECT_STATUSES, voidedSchema } from '../projects/schemas.js';

export const AWARD_STATUSES = ['offered', 'accepted', 'declined', 'lapsed', 'skipped'] as const;
export const OBJECTION_STATUSES = ['pending', 'upheld', 'dismissed'] as const;
export const OBJECTION_OUTCOMES = ['reselect', 'fail'] as const;

export const declineBody = z.object({ reason: text().trim().min(2).max(1000) });

export const objectionBody = z.object({
  grounds: text().trim().min(10).max(5000).describe('The facts and reasons of the objection (异议)'),
  fileIds: z.array(entityId()).max(10).default([]).describe('Attachments already uploaded to the file store'),
});

export const objectionIdParams = z.object({ id: entityId() });

export const objectionListQuery = z.object({ status: z.enum(['pending', 'decided']).optional() });

export const objectionDecisionBody = z
  .object({
    decision: z.enum(['uphold', 'dismiss']),
    reason: text().trim().min(2).max(2000),
    outcome: z.enum(OBJECTION_OUTCOMES).optional().describe('Required when upholding: re-select from the ranking, or fail the project'),
  })
  .refine((body) => body.decision === 'dismiss' || body.outcome !== undefined, { path: ['outcome'], message: 'An upheld objection needs an outcome: reselect or fail' })
  .refine((body) => body.decision === 'uphold' || body.outcome === undefined, { path: ['outcome'], message: 'A dismissed objection has no outcome' });
export type ObjectionDecision = z.infer<typeof objectionDecisionBody>;

const int = () => z.number().int();

/** An award offer (中选通知); amountFen and promisedDays are null for a result without prices. */
export const awardResponse = z.strictObject({
  id: int(),
  firmId: int(),
  firmName: text().optional().describe('In the overview'),
  rank: int(),
  amountFen: int().nullable(),
  promisedDays: int().nullable(),
  status: z.enum(AWARD_STATUSES),
  offeredAt: text().nullable(),
  respondBy: text().nullable().describe('Null while the year of the working calendar is missing'),
  respondedAt: text().nullable(),
  reason: text().nullable(),
});

/** An objection as everyone sees it; who objected and why only for staff and the objector. */
export const objectionResponse = z.strictObject({
  id: int(),
  projectId: int(),
  status: z.enum(OBJECTION_STATUSES),
  filedAt: text(),
  decisionReason: text().nullable(),
  outcome: z.enum(OBJECTION_OUTCOMES).nullable(),
  decidedAt: text().nullable(),
  firmId: int().optional(),
  firmName: text().optional(),
  grounds: text().optional(),
  fileIds: z.array(int()).optional(),
});

export const objectionQueueResponse = z.strictObject({
  items: z.array(objectionResponse.extend({ projectTitle: text(), publicityEndsAt: text().nullable() })),
});

export const awardOverviewResponse = z.strictObject({
  projectId: int(),
  status: z.enum(PROJECT_STATUSES),
  publishedAt: text().nullable(),
  publicityEndsAt: text().nullable(),
  winners: z.array(int()),
  alternates: z.array(int()),
  voided: voidedSchema,
  offers: z.array(awardResponse),
  myOffer: awardResponse.nullable().describe("The calling firm's own offer"),
  objections: z.array(objectionResponse),
});
