import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodType } from 'zod';
import { API_PREFIX, type ApiRoute, type RouteTable } from './routes.js';

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid (each failing field in errors)',
  401: 'Not logged in, or the API token is unknown or revoked',
  403: 'Not allowed for this role, or a missing CSRF token',
  404: 'No such resource',
  409: 'Not possible in the current state or at this time',
  413: 'The request body or file is too large',
  415: 'The body is not in an accepted media type',
  422: 'Understood but refused by a business rule',
  429: 'Too many requests; Retry-After says when to try again',
  503: 'The database or queue is unreachable for the moment; Retry-After says when to try again',
};

const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/**
 * What any operation of this shape can answer: 400 (every request is checked for text the
 * database refuses), 401 (a bad bearer token is refused anywhere), 403 (role, or CSRF on an
 * unsafe cookie request), 404 with a path id, 413/415 with a body, 503 while the database is
 * away; plus what the route declares.
 */
export function errorStatuses(route: ApiRoute): number[] {
  const statuses = new Set([400, 401, 503, ...(route.errors ?? [])]);
  if (route.access !== 'public' || UNSAFE.has(route.method)) statuses.add(403);
  if (route.path.includes(':')) statuses.add(404);
  if (UNSAFE.has(route.method)) {
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort((a, b) => a - b);
}

/** A stable, unique name per operation: `get /projects/:id/auction/events` → `getProjectsByIdAuctionEvents`. */
export function operationId(route: Pick<ApiRoute, 'method' | 'path'>): string {
  const words = route.path
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[-_]/))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return route.method + words.join('');
}

/** OpenAPI 3.1 built from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(table: RouteTable, info: { title: string; version: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('schemas', 'Problem', problemSchema as never);
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'zjcs.sid',
  });
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const route of table.apiRoutes) {
    const problem = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    registry.registerPath({
      method: route.method,
      path: API_PREFIX + toOpenApiPath(route.path),
      operationId: operationId(route),
      summary: route.summary,
      tags: route.tags,
      description:
        route.access === 'public'
          ? 'Public.'
          : route.access === 'authenticated'
            ? 'Any logged-in user.'
            : `Roles: ${route.access.join(', ')}.`,
      ...(route.access === 'public' ? {} : { security: [{ session: [] }, { bearer: [] }] }),
      request: {
        ...(route.params ? { params: route.params as ZodObject } : {}),
        ...(route.query ? { query: route.query as ZodObject } : {}),
        ...(route.body
          ? { body: { content: { 'application/json': { schema: route.body as ZodType } } } }
          : {}),
      },
      responses: {
        [route.response.status]: {
          description: route.response.description,
          ...(route.response.schema
            ? { content: { [route.response.contentType ?? 'application/json']: { schema: route.response.schema } } }
            : {}),
        },
        ...Object.fromEntries(errorStatuses(route).map((status) => [status, { ...problem, description: ERROR_DESCRIPTIONS[status] ?? 'Problem details (RFC 9457)' }])),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { ...info, description: '中介超市 · Intermediary Service Marketplace API' },
    servers: [{ url: '/' }],
  });
}
