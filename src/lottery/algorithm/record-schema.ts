import * as z from 'zod/mini';
import type { LotteryRecord } from './record.js';

// zod/mini keeps the in-browser verifier bundle small (the classic API adds ~90 KB).

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const nonEmptyText = z.string().check(z.minLength(1, 'must not be empty'));
const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'));
const positiveInt = z.int().check(z.positive('must be a positive integer'));
const nonNegativeInt = z.int().check(z.nonnegative('must be a non-negative integer'));
const timestamp = z.string().check(
  z.regex(ISO_TIMESTAMP, 'must be an ISO 8601 timestamp with a zone'),
  z.refine((value) => !Number.isNaN(Date.parse(value)), 'must be a real date and time'),
);

const candidate = z.object({ uscc: nonEmptyText, weight: positiveInt, name: z.optional(z.string()) });
const candidates = z.array(candidate);
const usccList = z.array(nonEmptyText);

const declaration = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('manual'), description: nonEmptyText }),
  z.object({ kind: z.literal('drand'), chainHash: hex64, round: positiveInt }),
], "kind must be 'none', 'manual' or 'drand'");

const beacon = z.object({ round: positiveInt, signature: z.string(), randomness: z.string() });

const external = z.object({
  declaration,
  value: z.string(),
  reference: z.optional(z.string()),
  beacon: z.optional(beacon),
});

const lotteryV1Record = z.object({
  algorithm: z.literal('lottery-v1'),
  lotteryId: nonEmptyText,
  candidates,
  candidatesHash: hex64,
  seedCommitment: hex64,
  commitmentPublishedAt: timestamp,
  registrationClosedAt: z.optional(timestamp),
  serverSeed: hex64,
  entropy: z.record(z.string(), z.string()),
  external,
  weakSource: z.boolean(),
  seedHex: hex64,
  order: usccList,
  winnerCount: nonNegativeInt,
  winners: usccList,
  drawnAt: timestamp,
});

const rfc3797Source = z.union([
  z.object({ numbers: z.array(z.union([z.number(), z.string()])).check(z.minLength(1, 'needs at least one value')) }),
  z.object({ text: nonEmptyText }),
]);

const rfc3797Record = z.object({
  algorithm: z.literal('rfc3797'),
  lotteryId: nonEmptyText,
  candidates,
  candidatesHash: hex64,
  sourcesDeclaration: nonEmptyText,
  sourcesDeclaredAt: timestamp,
  registrationClosedAt: z.optional(timestamp),
  sources: z.array(rfc3797Source).check(z.minLength(1, 'needs at least one source')),
  key: z.string(),
  order: usccList,
  winnerCount: nonNegativeInt,
  winners: usccList,
  drawnAt: timestamp,
});

const lotteryRecord = z.discriminatedUnion('algorithm', [lotteryV1Record, rfc3797Record], "algorithm must be 'lottery-v1' or 'rfc3797'");

export type RecordShapeResult = { ok: true; record: LotteryRecord } | { ok: false; field: string; message: string };

export function parseRecordShape(input: unknown): RecordShapeResult {
  const parsed = lotteryRecord.safeParse(input);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  const message = issue?.message && issue.message !== 'Invalid input' ? issue.message : describeIssue(issue);
  return { ok: false, field, message: field ? `${field}: ${message}` : message };
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'not a lottery record';
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  return issue.code.replace(/_/g, ' ');
}
