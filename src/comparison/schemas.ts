import { z } from 'zod';

export const evaluationBody = z.object({
  scores: z
    .array(
      z.object({
        firmId: z.number().int().positive(),
        planPoints: z.number().min(0).max(100).describe('0 to weights.plan, at most one decimal place'),
        justification: z.string().trim().min(10).max(2000),
      }),
    )
    .min(1)
    .max(200),
});
