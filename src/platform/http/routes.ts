import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { ZodType } from 'zod';
import { AppError, badRequest, validationFailed } from '../errors.js';
import { BAD_TEXT_MESSAGE, findBadText } from '../text.js';
import { assertAccess, type Access, type CurrentUser } from './access.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: CurrentUser | undefined;
  req: Request;
  res: Response;
}

export interface ApiRoute<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Express path under /api/v1, e.g. `/projects/:id`. */
  path: string;
  access: Access;
  summary: string;
  tags: string[];
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** Status and schema of the success answer, for the OpenAPI document. */
  response: { status: number; description: string; schema?: ZodType; contentType?: string };
  /**
   * Error statuses this operation answers beyond those every operation of its shape can give
   * (400, 401, 403, 404 on a path with an id, 413/415 with a body, 503), e.g. 409 or 429.
   */
  errors?: number[];
  /** Returns the JSON body to send; or sends itself (CSV, SSE) and returns undefined. */
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

export interface PageResult {
  view?: string;
  data?: Record<string, unknown>;
  status?: number;
  redirect?: string;
}

export interface PageRoute<P = Record<string, string>, Q = unknown, B = unknown> {
  method: 'get' | 'post';
  path: string;
  access: Access;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  /** Forms are validated by the handler so it can re-render the page with errors. */
  handler(input: RouteInput<P, Q, B>): Promise<PageResult | void>;
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, prefix: string): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(result.error, prefix);
  return result.data;
}

/**
 * Before any schema or handler sees the request: a page form parsed by its handler, or a query a
 * page reads loosely, must not carry text PostgreSQL refuses (a 500) either.
 */
function refuseBadText(req: Request): void {
  const where = findBadText(req.params, 'params') ?? findBadText(req.query, 'query') ?? (Buffer.isBuffer(req.body) ? undefined : findBadText(req.body, 'body'));
  if (where) throw badRequest('validation_failed', 'The request is not valid', [{ path: where, message: BAD_TEXT_MESSAGE }]);
}

export const API_PREFIX = '/api/v1';

/**
 * Every route is declared here with who may call it; the table is what the router mounts, what
 * the OpenAPI document describes, and what the authorization test walks.
 */
export class RouteTable {
  /**
   * With checkResponses (tests), every JSON success body is checked against its documented
   * schema, so a body that drifts from the OpenAPI document fails the test that produced it.
   */
  constructor(private readonly options: { checkResponses?: boolean } = {}) {}

  readonly apiRoutes: ApiRoute<any, any, any>[] = [];
  readonly pageRoutes: PageRoute<any, any, any>[] = [];

  api<P, Q, B>(route: ApiRoute<P, Q, B>): void {
    this.apiRoutes.push(route);
  }

  page<P, Q, B>(route: PageRoute<P, Q, B>): void {
    this.pageRoutes.push(route);
  }

  mount(router: Router): void {
    for (const route of this.apiRoutes) {
      router[route.method](API_PREFIX + route.path, wrap(async (req, res) => {
        refuseBadText(req);
        const user = assertAccess(route.access, req);
        const input = {
          params: parse(route.params, req.params, 'params'),
          query: parse(route.query, req.query, 'query'),
          body: parse(route.body, req.body ?? {}, 'body'),
          user,
          req,
          res,
        };
        const result = await route.handler(input);
        if (this.options.checkResponses && result !== undefined) checkResponse(route, result);
        if (result !== undefined && !res.headersSent) {
          res.status(route.response.status).json(result);
        } else if (!res.headersSent) {
          res.status(route.response.status === 200 ? 204 : route.response.status).end();
        }
      }));
    }
    for (const route of this.pageRoutes) {
      router[route.method](route.path, wrap(async (req, res) => {
        refuseBadText(req);
        const user = assertAccess(route.access, req);
        const result = await route.handler({
          params: parse(route.params, req.params, 'params'),
          query: parse(route.query, req.query, 'query'),
          body: req.body ?? {},
          user,
          req,
          res,
        });
        if (!result || res.headersSent) return;
        if (result.redirect) return res.redirect(303, result.redirect);
        res.status(result.status ?? 200).render(result.view!, result.data ?? {});
      }));
    }
  }
}

function checkResponse(route: ApiRoute, body: unknown): void {
  const checked = route.response.schema?.safeParse(JSON.parse(JSON.stringify(body)));
  if (checked && !checked.success) {
    const detail = JSON.stringify(checked.error.issues.slice(0, 5));
    throw new AppError(500, 'response_contract_violated', `${route.method.toUpperCase()} ${route.path}: the body does not match its documented schema: ${detail}`);
  }
}

function wrap(handler: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}
