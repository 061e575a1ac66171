import { z } from 'zod';

/** PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate cannot be encoded as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const BAD_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

export const isWellFormedText = (value: string): boolean => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

/** The one string type of every schema: refuses what the database would choke on, with a 400. */
export const text = (params?: Parameters<typeof z.string>[0]) => z.string(params).refine(isWellFormedText, BAD_TEXT_MESSAGE);

/** serial / integer columns are int4. */
export const INT4_MAX = 2_147_483_647;

const DIGITS = /^\d{1,20}$/;

/**
 * Every id in a path, query or body: a positive int4, so a larger value is a 400, never a 500.
 * Path and query values arrive as digit strings; anything else (arrays, `1e3`, `0x10`) is refused.
 */
export const entityId = () =>
  z.preprocess((value) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value), z.number().int().positive().max(INT4_MAX));

/** The first place in a parsed request (query, body, params) holding text the database refuses. */
export function findBadText(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return isWellFormedText(value) ? undefined : path;
  if (depth > 64 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const where = `${path}.${key}`;
    if (!isWellFormedText(key)) return where;
    const found = findBadText(inner, where, depth + 1);
    if (found) return found;
  }
  return undefined;
}
