import { z } from 'zod';
import { INT4_MAX } from '../platform/text.js';

export const bidBody = z
  .object({
    amountFen: z.number().int().positive().max(1e13).optional().describe('The new price in fen: at most your current price less minStepFen'),
    pass: z.literal(true).optional().describe('Keep your price and end your turn'),
    withdraw: z.literal(true).optional().describe('Leave the auction (at any time); your later turns are skipped and you are out of the result'),
  })
  .strict()
  .refine((body) => [body.amountFen !== undefined, body.pass, body.withdraw].filter(Boolean).length === 1, 'give exactly one of amountFen, pass or withdraw');

export const eventsQuery = z.object({
  lastEventId: z.coerce.number().int().min(0).max(INT4_MAX).optional().describe('Alternative to the Last-Event-ID header'),
});

export const lastEventIdHeader = z.coerce.number().int().min(0).max(INT4_MAX);
