import type { ZodError } from 'zod';
import { isUnavailable, UNAVAILABLE_RETRY_SECONDS } from './db/faults.js';

export interface FieldError {
  path: string;
  /** English, for API clients; pages show the translation of `issue` or of the message itself. */
  message: string;
  /** The zod issue code (`too_small`, `invalid_type`, …) when the error comes from a schema. */
  issue?: string;
  /** Figures the message names (`minimum`, `maximumFen`, …), for the translated text. */
  params?: Record<string, unknown>;
  /** The service error's code when the error is about the whole form (path `(form)`). */
  code?: string;
  /** Already in the reader's language: a page's own words for the field (never sent to API clients). */
  text?: string;
}

/**
 * A failure the caller can act on. `code` is stable (clients and tests match on it); `status`
 * is the HTTP status the error handler answers with.
 */
export class AppError extends Error {
  /** Extra members of the problem document, e.g. an import's per-row report. */
  extensions?: Record<string, unknown>;
  /**
   * Figures the message names, for its translation (`errors.codes.<code>`): a name ending in
   * `Fen` is shown in yuan, one ending in `At` as a Beijing time, `status` as the status's name.
   */
  params?: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  /** Attaches the figures the message names, for its translation. */
  with(params: Record<string, unknown>): this {
    this.params = { ...this.params, ...params };
    return this;
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new AppError(400, code, message, errors);
export const unauthorized = (message = 'Authentication required') =>
  new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found`);
/** An upload over the size limit; people read the limit in megabytes. */
export const fileTooLarge = (maxBytes: number) =>
  new AppError(413, 'body_too_large', `The file is larger than ${maxBytes} bytes`).with({ maxMb: Math.round((maxBytes / 1024 / 1024) * 10) / 10 });
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_requests', 'Too many requests; try again later', undefined, {
    'Retry-After': String(retryAfterSeconds),
  });

/** The members of a zod issue a translated message can name. */
const ISSUE_PARAMS = ['origin', 'minimum', 'maximum', 'expected', 'format', 'divisor'] as const;

export function fieldErrorsFromZod(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const params = Object.fromEntries(ISSUE_PARAMS.flatMap((name) => (name in issue ? [[name, (issue as unknown as Record<string, unknown>)[name]]] : [])));
    return {
      path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
      message: issue.message,
      issue: issue.code,
      ...(Object.keys(params).length ? { params } : {}),
    };
  });
}

export const validationFailed = (error: ZodError, prefix?: string) =>
  badRequest('validation_failed', 'The request is not valid', fieldErrorsFromZod(error, prefix));

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function toProblem(error: AppError, requestId?: string): ProblemDetails {
  return {
    type: `/problems/${error.code.replace(/_/g, '-')}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.extensions ?? {}),
    ...(requestId ? { requestId } : {}),
  };
}

/** Maps anything thrown (including body-parser's errors) to an AppError; a database fault is a 503, unknowns 500. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const candidate = error as { type?: string; status?: number; statusCode?: number } | undefined;
  switch (candidate?.type) {
    case 'entity.parse.failed':
      return badRequest('malformed_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppError(413, 'body_too_large', 'The request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'unsupported_encoding', 'The request body encoding is not supported');
    case 'request.aborted':
      return badRequest('request_aborted', 'The request was aborted');
  }
  if (isUnavailable(error)) {
    return new AppError(503, 'service_unavailable', 'The database is not reachable for the moment; try again shortly', undefined, {
      'Retry-After': String(UNAVAILABLE_RETRY_SECONDS),
    });
  }
  const status = candidate?.status ?? candidate?.statusCode;
  if (status && status >= 400 && status < 500) {
    return new AppError(status, 'bad_request', 'The request could not be processed');
  }
  return new AppError(500, 'internal_error', 'Something went wrong on our side');
}
