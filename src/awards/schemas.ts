import { z } from 'zod';
import { entityId, text } from '../platform/text.js';

export const declineBody = z.object({ reason: text().trim().min(2).max(1000) });

export const objectionBody = z.object({
  grounds: text().trim().min(10).max(5000).describe('The facts and reasons of the objection (异议)'),
  fileIds: z.array(z.number().int().positive()).max(10).default([]).describe('Attachments already uploaded to the file store'),
});

export const objectionIdParams = z.object({ id: entityId() });

export const objectionListQuery = z.object({ status: z.enum(['pending', 'decided']).optional() });

export const objectionDecisionBody = z
  .object({
    decision: z.enum(['uphold', 'dismiss']),
    reason: text().trim().min(2).max(2000),
    outcome: z.enum(['reselect', 'fail']).optional().describe('Required when upholding: re-select from the ranking, or fail the project'),
  })
  .refine((body) => body.decision === 'dismiss' || body.outcome !== undefined, { path: ['outcome'], message: 'An upheld objection needs an outcome: reselect or fail' })
  .refine((body) => body.decision === 'uphold' || body.outcome === undefined, { path: ['outcome'], message: 'A dismissed objection has no outcome' });
export type ObjectionDecision = z.infer<typeof objectionDecisionBody>;
