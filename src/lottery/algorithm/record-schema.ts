import * as z from 'zod/mini';
import type { LotteryRecord } from './record.js';

// zod/mini keeps the in-browser verifier bundle small (the classic API adds ~90 KB).

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Date.parse rolls 2025-02-30 over to March, so each field is range-checked too. */
function isTimestamp(value: string): boolean {
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second = '0', zoneHour = '0', zoneMinute = '0'] = match.slice(1).map((part) => part ?? '0');
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(zoneHour) <= 23 &&
    Number(zoneMinute) <= 59
  );
}

const nonEmptyText = z.string().check(z.minLength(1, 'must not be empty'));
const hex64 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'));
const positiveInt = z.int().check(z.positive('must be a positive integer'));
const nonNegativeInt = z.int().check(z.nonnegative('must be a non-negative integer'));
const timestamp = z.string().check(z.refine(isTimestamp, 'must be an ISO 8601 date and time with a zone, e.g. 2025-08-18T12:30:00Z'));

const candidate = z.object({ uscc: nonEmptyText, weight: positiveInt, name: z.optional(z.string()) });
const candidates = z.array(candidate);
const usccList = z.array(nonEmptyText);

const declaration = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('manual'), description: nonEmptyText }),
  z.object({ kind: z.literal('drand'), chainHash: hex64, round: positiveInt }),
], "must be 'none', 'manual' or 'drand'");

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

const lotteryRecord = z.discriminatedUnion('algorithm', [lotteryV1Record, rfc3797Record], "must be 'lottery-v1' or 'rfc3797'");

export type RecordShapeResult = { ok: true; record: LotteryRecord } | { ok: false; field: string; message: string };

export function parseRecordShape(input: unknown): RecordShapeResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, field: '', message: 'a lottery record must be a JSON object' };
  }
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
