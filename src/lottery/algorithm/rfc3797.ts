import { md5 } from '@noble/hashes/legacy.js';
import { candidatesHash, canonicaliseCandidates, type LotteryCandidate } from './candidates.js';
import { LotteryInputError } from './errors.js';
import { assertWinnerCount } from './lottery-v1.js';
import { bytesToHex } from './text.js';

export const RFC3797 = 'rfc3797';

/**
 * One source of public randomness, in the order announced in advance.
 * `numbers`: the figures it produced (integers, or decimals written as strings such as "12.50").
 * `text`: a non-numeric result, discouraged by the RFC; see rfc3797TextSource.
 */
export type Rfc3797Source = { numbers: readonly (number | string)[] } | { text: string };

/** The 2-byte counter and the reference code's unsigned short limit the pool to 65535 names. */
export const RFC3797_MAX_POOL = 65535;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

interface DecimalParts {
  whole: string;
  fraction: string;
}

function decimalParts(value: number | string): DecimalParts {
  const text = typeof value === 'number' ? numberText(value) : value;
  const match = DECIMAL.exec(text);
  if (!match) throw new LotteryInputError('invalid_rfc3797_source', `${JSON.stringify(text)} is not a non-negative decimal number`);
  return { whole: match[1]!.replace(/^0+(?=\d)/, ''), fraction: (match[2] ?? '').replace(/0+$/, '') };
}

function numberText(value: number): string {
  const text = String(value);
  if (!Number.isFinite(value) || value < 0 || /e/i.test(text)) {
    throw new LotteryInputError('invalid_rfc3797_source', `${text} must be a non-negative number; write large or tiny decimals as strings`);
  }
  return text;
}

function compareDecimals(a: DecimalParts, b: DecimalParts): number {
  if (a.whole.length !== b.whole.length) return a.whole.length - b.whole.length;
  if (a.whole !== b.whole) return a.whole < b.whole ? -1 : 1;
  if (a.fraction === b.fraction) return 0;
  return a.fraction < b.fraction ? -1 : 1;
}

/** RFC 3797 §4: a value is written without leading zeros and ends with a period, or has one between whole and fraction. */
function decimalText({ whole, fraction }: DecimalParts): string {
  return `${whole}.${fraction}`;
}

/**
 * A text result reduced to ASCII letters and digits, upper-cased (accents stripped first). The RFC
 * expects numeric sources; this canonical form follows the votelib implementation of RFC 3797.
 */
export function rfc3797TextSource(text: string): string {
  const reduced = text
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase();
  if (reduced.length === 0) {
    throw new LotteryInputError('invalid_rfc3797_source', `text source ${JSON.stringify(text)} has no ASCII letters or digits`);
  }
  return reduced;
}

/** One source's part of the key, including its terminating "/". */
export function rfc3797SourceKey(source: Rfc3797Source): string {
  if ('text' in source) return `${rfc3797TextSource(source.text)}/`;
  if (source.numbers.length === 0) throw new LotteryInputError('invalid_rfc3797_source', 'a numeric source needs at least one value');
  const values = source.numbers.map(decimalParts).sort(compareDecimals);
  return `${values.map(decimalText).join('')}/`;
}

/** E.g. [9319], [2 5 12 8 10], [9 18 26 34 41 45] → "9319./2.5.8.10.12./9.18.26.34.41.45./". */
export function rfc3797Key(sources: readonly Rfc3797Source[]): string {
  if (sources.length === 0) throw new LotteryInputError('invalid_rfc3797_source', 'at least one source is required');
  return sources.map(rfc3797SourceKey).join('');
}

/** MD5(u16be(index) ‖ key ‖ u16be(index)) with a 0-based index. */
export function rfc3797Digest(key: string, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index > 0xffff) throw new RangeError('index must fit in two bytes');
  const keyBytes = asciiBytes(key);
  const input = new Uint8Array(keyBytes.length + 4);
  input[0] = index >>> 8;
  input[1] = index & 0xff;
  input.set(keyBytes, 2);
  input[input.length - 2] = index >>> 8;
  input[input.length - 1] = index & 0xff;
  return md5(input);
}

function asciiBytes(key: string): Uint8Array {
  const bytes = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i += 1) {
    const code = key.charCodeAt(i);
    if (code > 0x7f) throw new LotteryInputError('invalid_rfc3797_source', 'the key must be ASCII');
    bytes[i] = code;
  }
  return bytes;
}

/** The digest as a 128-bit big-endian integer modulo `divisor`, byte by byte as the reference code does. */
export function bigEndianRemainder(bytes: Uint8Array, divisor: number): number {
  let remainder = 0;
  for (const byte of bytes) remainder = (remainder * 256 + byte) % divisor;
  return remainder;
}

export interface Rfc3797Row {
  /** 1-based, as in the RFC's table. */
  index: number;
  md5Hex: string;
  /** Names still unselected before this pick. */
  remaining: number;
  remainder: number;
  /** 0-based position of the pick in the original pool. */
  poolIndex: number;
}

/** Picks `count` items from `pool` (in its announced order) and returns them with the RFC's table. */
export function rfc3797Select<T>(pool: readonly T[], key: string, count = pool.length): { selected: T[]; rows: Rfc3797Row[] } {
  if (pool.length > RFC3797_MAX_POOL) throw new LotteryInputError('rfc3797_pool_too_large', `RFC 3797 handles at most ${RFC3797_MAX_POOL} names`);
  if (!Number.isSafeInteger(count) || count < 0 || count > pool.length) throw new RangeError('count must be between 0 and the pool size');
  const unselected = pool.map((_, index) => index);
  const selected: T[] = [];
  const rows: Rfc3797Row[] = [];
  for (let i = 0; i < count; i += 1) {
    const digest = rfc3797Digest(key, i);
    const remainder = bigEndianRemainder(digest, unselected.length);
    const [poolIndex] = unselected.splice(remainder, 1);
    selected.push(pool[poolIndex!]!);
    rows.push({ index: i + 1, md5Hex: bytesToHex(digest).toUpperCase(), remaining: unselected.length + 1, remainder, poolIndex: poolIndex! });
  }
  return { selected, rows };
}

export interface Rfc3797LotteryInput {
  lotteryId: string;
  /** All weights must be 1: RFC 3797 selects uniformly. */
  candidates: readonly LotteryCandidate[];
  sources: readonly Rfc3797Source[];
  winners: number;
}

export interface Rfc3797LotteryResult {
  candidates: LotteryCandidate[];
  candidatesHash: string;
  key: string;
  order: string[];
  winners: string[];
  alternates: string[];
}

/** The pool is the candidate list in canonical (uscc byte) order, numbered from 1. */
export function runRfc3797Lottery(input: Rfc3797LotteryInput): Rfc3797LotteryResult {
  assertWinnerCount(input.winners);
  const candidates = canonicaliseCandidates(input.candidates);
  const weighted = candidates.find((candidate) => candidate.weight !== 1);
  if (weighted) throw new LotteryInputError('rfc3797_weighted_candidates', `RFC 3797 is unweighted; ${weighted.uscc} has weight ${weighted.weight}`);
  const key = rfc3797Key(input.sources);
  const order = rfc3797Select(candidates.map((candidate) => candidate.uscc), key).selected;
  return {
    candidates,
    candidatesHash: candidatesHash(candidates),
    key,
    order,
    winners: order.slice(0, input.winners),
    alternates: order.slice(input.winners),
  };
}
