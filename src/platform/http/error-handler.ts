import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, asAppError, toProblem } from '../errors.js';
import { errorText } from '../i18n/error-text.js';
import type { Translate } from '../i18n/index.js';
import type { Logger } from '../logging.js';
import { API_PREFIX } from './routes.js';

const wantsProblemJson = (path: string, accept: string | undefined) =>
  path.startsWith(API_PREFIX) ||
  path === '/healthz' ||
  path === '/readyz' ||
  (accept?.includes('json') ?? false) && !(accept?.includes('text/html') ?? false);

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

/** One place maps every error to problem+json (API) or the error page (HTML). */
export function errorHandler(logger: Logger, exposeDetails: boolean): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = asAppError(error);
    const requestId = String((req as { id?: unknown }).id ?? '');
    if (appError.status >= 500) {
      logger.error({ err: error, requestId }, 'request failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
    const problem = toProblem(appError, requestId || undefined);
    if (appError.status >= 500 && exposeDetails && error instanceof Error) {
      problem.detail = `${problem.detail}: ${error.message}`;
    }
    res.status(appError.status);
    if (wantsProblemJson(req.path, req.get('accept'))) {
      res.type('application/problem+json').send(JSON.stringify(problem));
      return;
    }
    const t = res.locals.t as Translate | undefined;
    const detail = t ? errorText(t, appError) : problem.detail;
    res.render('errors/error', { problem, detail, title: t?.('pages.error.title') }, (renderError, html) => {
      if (renderError) {
        res.type('text/plain').send(`${problem.status} ${problem.title}`);
        return;
      }
      res.type('html').send(html);
    });
  };
}

/**
 * Unsafe API requests with a body must send JSON: anything else is a 415, not a silent `{}`.
 * The one exception is a route that mounted its own raw parser before this (a file upload): its
 * body arrives here already read as a Buffer.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (Buffer.isBuffer(req.body)) return next();
  const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) && hasBody && !req.is('application/json')) {
    next(new AppError(415, 'unsupported_media_type', 'Send the request body as application/json'));
    return;
  }
  next();
};
