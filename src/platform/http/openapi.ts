import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodType } from 'zod';
import { API_PREFIX, type RouteTable } from './routes.js';

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
    const problem = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    registry.registerPath({
      method: route.method,
      path: API_PREFIX + toOpenApiPath(route.path),
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
        400: problem,
        ...(route.access === 'public' ? {} : { 401: problem, 403: problem }),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { ...info, description: '中介超市 · Intermediary Service Marketplace API' },
    servers: [{ url: '/' }],
  });
}
