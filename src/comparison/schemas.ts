import { z } from 'zod';
import { entityId, text } from '../platform/text.js';

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
