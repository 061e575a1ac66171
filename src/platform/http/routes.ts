import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { ZodType } from 'zod';
import { validationFailed } from '../errors.js';
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

export const API_PREFIX = '/api/v1';

/**
 * Every route is declared here with who may call it; the table is what the router mounts, what
 * the OpenAPI document describes, and what the authorization test walks.
 */
export class RouteTable {
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
        if (result !== undefined && !res.headersSent) {
          res.status(route.response.status).json(result);
        } else if (!res.headersSent) {
          res.status(route.response.status === 200 ? 204 : route.response.status).end();
        }
      }));
    }
    for (const route of this.pageRoutes) {
      router[route.method](route.path, wrap(async (req, res) => {
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

function wrap(handler: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };
}
