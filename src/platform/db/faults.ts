/**
 * Errors that mean "the database (or Redis) is away for the moment", not "this request is bad":
 * they are answered with 503 and Retry-After, and the pool reconnects by itself when it returns.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '57P01', '57P02', '57P03', // admin / crash shutdown, cannot connect now
  '53300', // too many connections
]);

const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Client was closed and is not queryable/,
  /^Connection is closed/, // ioredis
  /^Reached the max retries per request limit/, // ioredis
  /^Stream isn't writeable/, // ioredis with the offline queue off
];

export function isUnavailable(error: unknown): boolean {
  for (let current = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 8; depth += 1) {
    if (typeof current.code === 'string' && (UNAVAILABLE_SQLSTATES.has(current.code) || UNAVAILABLE_ERRNOS.has(current.code))) return true;
    if (typeof current.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(current!.message as string))) return true;
    current = current.cause as typeof current;
  }
  return false;
}

/** How long a client should wait before trying again while the database is away. */
export const UNAVAILABLE_RETRY_SECONDS = 5;
