import { z } from 'zod';
import type { PlatformDeps } from '../deps.js';
import { text } from '../text.js';
import { AppError } from '../errors.js';
import { buildOpenApiDocument } from './openapi.js';
import type { RouteTable } from './routes.js';

export const APP_VERSION = '0.1.0';

/** Health, readiness, the OpenAPI document and its docs page. */
export function registerSystemRoutes(routes: RouteTable, deps: PlatformDeps): void {
  routes.api({
    method: 'get',
    path: '/openapi.json',
    access: 'public',
    summary: 'This document: OpenAPI 3.1 generated from the request schemas',
    tags: ['system'],
    response: {
      status: 200,
      description: 'OpenAPI 3.1 document',
      schema: z.looseObject({ openapi: text(), info: z.looseObject({ title: text(), version: text() }), paths: z.record(text(), z.unknown()) }),
    },
    handler: async () => buildOpenApiDocument(routes, { title: '中介超市 API', version: APP_VERSION }),
  });

  routes.page({
    method: 'get',
    path: '/healthz',
    access: 'public',
    handler: async ({ res }) => {
      res.json({ status: 'ok' });
    },
  });

  routes.page({
    method: 'get',
    path: '/readyz',
    access: 'public',
    handler: async ({ res }) => {
      try {
        await deps.database.ping();
      } catch {
        throw new AppError(503, 'database_unreachable', 'The database is not reachable');
      }
      if (!(await deps.database.migrationsCurrent())) {
        throw new AppError(503, 'migrations_pending', 'Database migrations are not current');
      }
      res.json({ status: 'ready', database: deps.database.kind, jobs: deps.jobs.kind });
    },
  });

  routes.page({
    method: 'get',
    path: '/api/docs',
    access: 'public',
    handler: async ({ res }) => ({
      view: 'system/api-docs',
      data: { title: res.locals.t('pages.apiDocs.title'), bodyClass: 'api-docs' },
    }),
  });
}
