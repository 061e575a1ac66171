import { z } from 'zod';
import { LOTTERY_ALGORITHMS, LOTTERY_STATUSES, MAX_WITNESSES } from './service.js';
import { text } from '../platform/text.js';

export const lotteryIdParams = z.object({
  id: text().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a lottery id such as LOT-2026-000001'),
});

const oneLine = (max: number) =>
  text()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/[\n\r\u0085\u2028\u2029]/.test(value), 'must be one line');

export const commitLotteryBody = z.object({
  algorithm: z.enum(LOTTERY_ALGORITHMS).default('lottery-v1'),
  winners: z.number().int().min(1).max(100_000).describe('How many winners; the rest of the order are ranked alternates'),
  subject: z
    .object({ entityType: text().regex(/^[a-z_]{1,64}$/), entityId: text().min(1).max(128) })
    .optional()
    .describe('What the draw is for, e.g. {"entityType": "project", "entityId": "12"}'),
  external: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }),
      z.object({
        kind: z.literal('manual'),
        description: oneLine(500).describe('The public figure, named in advance, e.g. 中国福利彩票3D 第2026318期开奖号码'),
      }),
      z.object({
        kind: z.literal('drand'),
        round: z.number().int().positive().optional().describe('A future quicknet round'),
        after: z.iso.datetime({ offset: true }).optional().describe('Or: use the first round published after this time'),
      }),
    ])
    .describe('The external randomness source, declared now and shown from now on'),
});

const candidate = z.object({
  uscc: text().min(1).max(64),
  weight: z.number().int().min(1).default(1),
  name: text().trim().max(200).optional(),
});

export const candidatesBody = z.object({
  candidates: z.array(candidate).min(1).max(100_000).describe('The eligible registrants; sorted into canonical order by the server'),
  entropy: z.record(text(), text().max(1000)).default({}).describe('Each registrant’s entropy by uscc (NFC, at most 64 characters)'),
});

export const externalFigureBody = z.object({
  figure: oneLine(500).describe('The declared figure as published, e.g. "3 8 1"; rfc3797: "9319 / 2 5 12 8 10 / 9 18 26 34 41 45"'),
  reference: oneLine(500).describe('Where it was published: URL or bulletin reference'),
});

export const witnessesBody = z.object({
  witnesses: z.array(oneLine(60)).max(MAX_WITNESSES).describe('Up to three people present at the draw (replaces the list)'),
});

export const invalidateBody = z.object({ reason: oneLine(500) });

/** Any JSON object: a malformed record is answered with a `format` mismatch, not a 400. */
export const verifyBody = z.record(text(), z.unknown()).describe('A lottery record, e.g. as served by GET /api/v1/lotteries/{id}');

export const mismatchSchema = z.object({
  check: z.enum(['format', 'commitment', 'candidatesHash', 'entropy', 'seed', 'order', 'winners']),
  position: z.number().int().optional(),
  field: text().optional(),
  expected: z.union([text(), z.number(), z.boolean(), z.null()]),
  actual: z.union([text(), z.number(), z.boolean(), z.null()]),
  message: text(),
});

export const verifyResponse = z.object({ consistent: z.boolean(), mismatch: mismatchSchema.optional() });

export const lotteryResponse = z
  .looseObject({
    lotteryId: text(),
    algorithm: z.enum(LOTTERY_ALGORITHMS),
    status: z.enum(LOTTERY_STATUSES),
  })
  .describe('After the draw: the public draw record (docs/lottery.md §5) plus status, subject, witnesses, invalidation. Before: the commitment and declaration, never the seed.');

export const lotterySummary = z.object({
  lotteryId: text(),
  algorithm: z.enum(LOTTERY_ALGORITHMS),
  status: z.enum(LOTTERY_STATUSES),
  subject: z.object({ entityType: text(), entityId: text() }).nullable(),
  externalKind: z.enum(['none', 'manual', 'drand']),
  winnerCount: z.number().int(),
  candidateCount: z.number().int().nullable(),
  commitmentPublishedAt: text(),
  drawnAt: text().nullable(),
});
