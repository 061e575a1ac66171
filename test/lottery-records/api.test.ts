import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../src/platform/db/index.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aLottery, firms } from './support.js';

describe('lottery HTTP API and pages', () => {
  let platform: TestPlatform;
  let drawnId: string;
  let pendingId: string;
  let record: Record<string, unknown>;

  beforeAll(async () => {
    platform = await createTestPlatform();
    drawnId = await aLottery().withCandidates(firms(10, [1, 3, 2])).drawn(platform);
    pendingId = await aLottery().withSource({ kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码' }).build(platform);
    record = (await request(platform.app).get(`/api/v1/lotteries/${drawnId}`).expect(200)).body as Record<string, unknown>;
  });
  afterAll(() => platform.close());

  const serverSeedOf = async (id: string) =>
    (await queryRows<{ server_seed: string }>(platform.database.db, sql`select server_seed from lotteries where id = ${id}`))[0]!.server_seed;

  const expectProblem = (response: request.Response, status: number, code?: string) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (code) expect(response.body).toMatchObject({ status, code });
  };

  const verify = (body: unknown) =>
    request(platform.app).post('/api/v1/lotteries/verify').set('Content-Type', 'application/json').send(JSON.stringify(body));

  describe('GET /api/v1/lotteries/:id', () => {
    it('serves the drawn record with its status, and it verifies', async () => {
      expect(record).toMatchObject({ algorithm: 'lottery-v1', lotteryId: drawnId, status: 'drawn', weakSource: true, witnesses: [] });
      expect((record.order as string[]).length).toBe(10);
      const answer = await verify(record).expect(200);
      expect(answer.body).toEqual({ consistent: true });
    });

    it('serves the commitment and declaration before the draw, never the server seed', async () => {
      const response = await request(platform.app).get(`/api/v1/lotteries/${pendingId}`).expect(200);
      expect(response.body).toMatchObject({
        lotteryId: pendingId,
        status: 'awaiting_external',
        seedCommitment: expect.stringMatching(/^[0-9a-f]{64}$/),
        external: { declaration: { kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码' } },
        candidateCount: 10,
      });
      expect(response.body.serverSeed).toBeUndefined();
      expect(response.body.candidates).toBeUndefined();
      const seed = await serverSeedOf(pendingId);
      for (const path of [`/api/v1/lotteries/${pendingId}`, '/api/v1/lotteries', `/lotteries/${pendingId}`, '/lotteries', `/api/v1/audit/trail/lottery/${pendingId}`]) {
        const page = await request(platform.app).get(path).expect(200);
        expect(page.text).not.toContain(seed);
      }
    });

    it('answers an unknown lottery with 404 and a malformed id with 400', async () => {
      expectProblem(await request(platform.app).get('/api/v1/lotteries/LOT-2026-999999'), 404, 'not_found');
      expectProblem(await request(platform.app).get('/api/v1/lotteries/bad%20id'), 400, 'validation_failed');
    });
  });

  describe('GET /api/v1/lotteries', () => {
    it('lists lotteries newest first with page metadata', async () => {
      const response = await request(platform.app).get('/api/v1/lotteries?page=1&pageSize=1').expect(200);
      expect(response.body).toMatchObject({ total: 2, page: 1, pageSize: 1, items: [{ lotteryId: pendingId, status: 'awaiting_external' }] });
    });

    it('refuses a page size over 100', async () => {
      expectProblem(await request(platform.app).get('/api/v1/lotteries?pageSize=101'), 400, 'validation_failed');
    });
  });

  describe('POST /api/v1/lotteries/verify', () => {
    it('names the first mismatch of a tampered record', async () => {
      const order = [...(record.order as string[])];
      [order[0], order[1]] = [order[1]!, order[0]!];
      const answer = await verify({ ...record, order }).expect(200);
      expect(answer.body).toMatchObject({ consistent: false, mismatch: { check: 'order', position: 0 } });
      const commitment = await verify({ ...record, seedCommitment: 'f'.repeat(64) }).expect(200);
      expect(commitment.body.mismatch.check).toBe('commitment');
    });

    it('answers a malformed record object with a format mismatch', async () => {
      expect((await verify({}).expect(200)).body).toMatchObject({ consistent: false, mismatch: { check: 'format' } });
      expect((await verify({ ...record, candidates: 'x' }).expect(200)).body.mismatch).toMatchObject({ check: 'format', field: 'candidates' });
    });

    it('answers a body that is not a JSON object with a 4xx problem', async () => {
      expectProblem(await verify([record]), 400, 'validation_failed');
      expectProblem(await verify('record'), 400, 'malformed_json');
      const broken = await request(platform.app).post('/api/v1/lotteries/verify').set('Content-Type', 'application/json').send('{"algorithm":');
      expectProblem(broken, 400, 'malformed_json');
      const text = await request(platform.app).post('/api/v1/lotteries/verify').set('Content-Type', 'text/plain').send('{}');
      expectProblem(text, 415);
    });

    it('never answers 5xx, whatever the body (fuzzed)', async () => {
      const keys = Object.keys(record);
      const mutated = fc
        .tuple(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }))
        .map(([key, value]) => ({ ...record, [key]: value }));
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 4 }), mutated, fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))), async (body) => {
          const response = await verify(body);
          expect(response.status).toBeLessThan(500);
          if (response.status === 200) expect(typeof response.body.consistent).toBe('boolean');
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('staff routes', () => {
    it.each([
      ['post', '/api/v1/lotteries'],
      ['put', '/api/v1/lotteries/LOT-2026-000001/candidates'],
      ['post', '/api/v1/lotteries/LOT-2026-000001/external'],
      ['post', '/api/v1/lotteries/LOT-2026-000001/draw'],
      ['post', '/api/v1/lotteries/LOT-2026-000001/witnesses'],
      ['post', '/api/v1/lotteries/LOT-2026-000001/invalidate'],
    ] as const)('%s %s needs a staff login (401)', async (method, path) => {
      expectProblem(await request(platform.app)[method](path).send({}), 401, 'unauthorized');
    });

    it('are described in the OpenAPI document with their roles', async () => {
      const response = await request(platform.app).get('/api/v1/openapi.json').expect(200);
      const paths = response.body.paths;
      expect(paths['/api/v1/lotteries/verify'].post.requestBody).toBeDefined();
      expect(paths['/api/v1/lotteries/{id}/draw'].post.description).toContain('staff');
      expect(paths['/api/v1/lotteries'].post.requestBody.content['application/json'].schema.properties.external).toBeDefined();
    });
  });

  describe('pages', () => {
    it('renders the drawn record with the verifier, the revealed seed and the weaker-source warning', async () => {
      const response = await request(platform.app).get(`/lotteries/${drawnId}`).expect(200);
      const html = response.text;
      expect(html).toContain('<script type="application/json" id="lottery-record">');
      expect(html).toContain('id="verify-result"');
      expect(html).toContain('<script src="/assets/lottery-verify.js" defer></script>');
      expect(html).toContain(record.serverSeed as string);
      expect(html).toContain('本次摇号未使用外部随机源');
      expect(html).toContain('测试中介机构1号有限公司');
      expect(html).toContain('第 1 候补');
      expect(html).not.toMatch(/<script>(?!<\/script>)/);
      const embedded = /<script type="application\/json" id="lottery-record">([^<]*)<\/script>/.exec(html)![1]!;
      const { status: _s, subject: _su, witnesses: _w, invalidation: _i, ...bare } = record;
      expect(JSON.parse(embedded)).toEqual(bare);
    });

    it('renders a pending lottery without the seed or the verifier, in English too', async () => {
      const response = await request(platform.app).get(`/lotteries/${pendingId}?lang=en`).expect(200);
      expect(response.text).toContain('Secret until the draw');
      expect(response.text).toContain('中国福利彩票3D 第2026318期开奖号码');
      expect(response.text).not.toContain('lottery-verify.js');
      expect(response.text).not.toContain('id="lottery-record"');
    });

    it('lists the lotteries', async () => {
      const response = await request(platform.app).get('/lotteries').expect(200);
      expect(response.text).toContain(`href="/lotteries/${drawnId}"`);
      expect(response.text).toContain('已摇号');
    });

    it('answers an unknown lottery page with the HTML 404 page', async () => {
      const response = await request(platform.app).get('/lotteries/LOT-2026-999999').set('Accept', 'text/html').expect(404);
      expect(response.text).toContain('找不到您要访问的页面');
    });

    it('serves the verifier bundle as cacheable JavaScript', async () => {
      const response = await request(platform.app).get('/assets/lottery-verify.js').expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/javascript/);
      expect(response.headers['cache-control']).toContain('max-age=3600');
      expect(response.text.length).toBeGreaterThan(1000);
    });
  });

  it('publishes the audit trail of a lottery', async () => {
    const response = await request(platform.app).get(`/api/v1/audit/trail/lottery/${drawnId}`).expect(200);
    expect(response.body.items.map((event: { action: string }) => event.action)).toEqual([
      'lottery.drawn',
      'lottery.candidates_fixed',
      'lottery.committed',
    ]);
  });
});
