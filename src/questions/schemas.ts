import { z } from 'zod';

const id = z.coerce.number().int().positive().max(2_147_483_647);
export const projectParams = z.object({ id });
export const questionParams = z.object({ id });
export const ownerParams = z.object({ id });
export const textBody = z.object({ text: z.string().trim().min(2).max(2000) });
