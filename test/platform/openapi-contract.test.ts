import request from 'supertest';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

type Operation = { operationId?: string; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };

describe('the OpenAPI document as the contract', () => {
  let platform: TestPlatform;
  let operations: [string, Operation][];
  beforeAll(async () => {
    platform = await createTestPlatform();
    const document = (await request(platform.app).get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [`${method} ${path}`, operation] as [string, Operation]));
  });
  afterAll(() => platform.close());

  it('gives every operation a unique operationId', () => {
    const ids = operations.map(([, operation]) => operation.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents a schema for every success body', () => {
    const missing = operations
      .filter(([, operation]) => Object.entries(operation.responses).some(([status, response]) => status.startsWith('2') && status !== '204' && !Object.values(response.content ?? {}).some((media) => media.schema)))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it('lists problem+json for 400, 401 and 503 on every operation', () => {
    for (const [name, operation] of operations) {
      for (const status of ['400', '401', '503']) {
        expect([name, operation.responses[status]?.content?.['application/problem+json']?.schema]).toEqual([name, { $ref: '#/components/schemas/Problem' }]);
      }
    }
  });
});
