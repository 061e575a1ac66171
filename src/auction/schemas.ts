import { z } from 'zod';
import { INT4_MAX, text } from '../platform/text.js';
import { PROJECT_STATUSES, projectResultSchema } from '../projects/schemas.js';
import { ACTION_KINDS, TURN_OUTCOMES } from './schedule.js';

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

const int = () => z.number().int();

/** What a bid, pass or withdrawal stored; round and turn are null for a withdrawal off turn. */
export const bidReceiptSchema = z.strictObject({
  actionId: int(),
  projectId: int(),
  label: text(),
  kind: z.enum(ACTION_KINDS),
  round: int().nullable(),
  turn: int().nullable(),
  amountFen: int().nullable(),
  at: text(),
});

const auctionBase = {
  projectId: int(),
  title: text(),
  projectStatus: z.enum(PROJECT_STATUSES),
  budgetFen: int(),
  serverTime: text(),
  rounds: int(),
  turnSeconds: int(),
  minStepFen: int(),
  lastEventId: int(),
};

const bidderSchema = z.strictObject({ label: text(), initialFen: int(), currentFen: int(), withdrawn: z.boolean() });
const logEntrySchema = z.strictObject({ round: int(), turn: int(), label: text(), outcome: z.enum(TURN_OUTCOMES), amountFen: int().nullable(), at: text() });

/**
 * The auction as everyone sees it: `pending` until the opening starts one (and on a bidding
 * project that never had one), then `running` and `ended`. Names appear only in the result.
 */
export const publicAuctionResponse = z.discriminatedUnion('phase', [
  z.strictObject({
    ...auctionBase,
    phase: z.literal('pending'),
    opensAt: text().nullable(),
    bidders: z.array(bidderSchema).max(0),
    log: z.array(logEntrySchema).max(0),
    you: z.null(),
    current: z.null(),
    result: z.null(),
  }),
  z.strictObject({
    ...auctionBase,
    phase: z.enum(['running', 'ended']),
    startsAt: text(),
    endedAt: text().nullable(),
    current: z
      .strictObject({ round: int(), turn: int(), turnsInRound: int(), label: text(), startedAt: text(), deadline: text(), secondsLeft: int() })
      .nullable(),
    bidders: z.array(bidderSchema),
    log: z.array(logEntrySchema),
    you: z.strictObject({ label: text(), yourTurn: z.boolean(), withdrawn: z.boolean(), maxBidFen: int() }).nullable().describe("A bidder's own label and the most it may bid"),
    result: projectResultSchema.nullable().describe('Once the auction is over and its result is out'),
  }),
]);
