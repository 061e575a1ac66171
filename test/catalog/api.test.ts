import request from 'supertest';
import { findPublishedService } from '../../src/catalog/service.js';
import { loggedInAs, type LoggedIn, post as postAs } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aPublishedService, aServiceInput, asJson } from './builders.js';

describe('catalogue API', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform();
    staff = await loggedInAs(platform, 'staff');
  });
  afterAll(() => platform.close());

  const post = (path: string, body: unknown = {}) => postAs(staff, `/api/v1${path}`, body as object);
  const put = (path: string, body: unknown) => staff.agent.put(`/api/v1${path}`).set('X-CSRF-Token', staff.csrfToken).send(body as object);

  describe('staff lifecycle: draft, publish, revise, publish again, retire', () => {
    it('keeps a draft out of public view until it is published as version 1', async () => {
      const input = aServiceInput({ name: '建设项目环境影响报告书编制' });
      const created = await post('/services', asJson(input)).expect(201);
      expect(created.body.item).toMatchObject({ code: input.code, status: 'draft', version: 0, publishedAt: null });
      await request(platform.app).get(`/api/v1/services/${input.code}`).expect(404);
      const listed = await request(platform.app).get('/api/v1/services').query({ q: input.code }).expect(200);
      expect(listed.body.total).toBe(0);

      const published = await post(`/services/${input.code}/publish`).expect(200);
      expect(published.body.item).toMatchObject({ status: 'published', version: 1 });
      const detail = await request(platform.app).get(`/api/v1/services/${input.code}`).expect(200);
      expect(detail.body.history).toHaveLength(1);
      expect(detail.body.history[0]).toMatchObject({ version: 1, publishedAt: '2026-11-25T09:00:00.000+08:00' });
      expect(detail.body.history[0].changedFields).toContain('name');
    });

    it('shows the history of two publications with what changed and when', async () => {
      const input = aServiceInput();
      await post('/services', asJson(input)).expect(201);
      await post(`/services/${input.code}/publish`).expect(200);
      platform.clock.advance(20 * 60 * 1000);
      const revised = { ...asJson(input), code: undefined, timeLimitDays: 7, fee: { mode: 'guided', minFen: 100_000, maxFen: 500_000, basis: '政府指导价' } };
      const saved = await put(`/services/${input.code}`, revised).expect(200);
      expect(saved.body.item).toMatchObject({ status: 'published', version: 1, timeLimitDays: 10 });
      expect(saved.body.revision).toMatchObject({ timeLimitDays: 7 });

      // the public still sees version 1 while the revision waits
      const before = await request(platform.app).get(`/api/v1/services/${input.code}`).expect(200);
      expect(before.body).toMatchObject({ version: 1, timeLimitDays: 10 });
      expect(before.body).not.toHaveProperty('revision');

      await post(`/services/${input.code}/publish`).expect(200);
      const detail = await request(platform.app).get(`/api/v1/services/${input.code}`).expect(200);
      expect(detail.body).toMatchObject({ version: 2, timeLimitDays: 7, fee: { mode: 'guided', minFen: 100_000, maxFen: 500_000 } });
      expect(detail.body.history.map((entry: { version: number }) => entry.version)).toEqual([1, 2]);
      expect(detail.body.history[1]).toMatchObject({
        publishedAt: '2026-11-25T09:20:00.000+08:00',
        changedFields: ['timeLimitDays', 'fee.mode', 'fee.minFen', 'fee.maxFen', 'fee.basis'],
      });
      expect(detail.body.history[0].content.timeLimitDays).toBe(10);
    });

    it('refuses to publish nothing (409), and retires an item that then leaves the list but keeps its page', async () => {
      const input = await aPublishedService(platform, { name: '土地勘测定界' });
      const nothing = await post(`/services/${input.code}/publish`).expect(409);
      expect(nothing.body.code).toBe('nothing_to_publish');
      await post(`/services/${input.code}/retire`, { reason: '审批事项取消' }).expect(200);
      const list = await request(platform.app).get('/api/v1/services').query({ q: input.code }).expect(200);
      expect(list.body.total).toBe(0);
      const detail = await request(platform.app).get(`/api/v1/services/${input.code}`).expect(200);
      expect(detail.body).toMatchObject({ status: 'retired', retiredAt: expect.stringMatching(/\+08:00$/) });
      expect((await put(`/services/${input.code}`, { ...asJson(input), code: undefined })).status).toBe(409);
      expect(await findPublishedService(platform.database.db, input.code)).toBeUndefined();
    });

    it('discards a pending revision', async () => {
      const input = await aPublishedService(platform);
      await put(`/services/${input.code}`, { ...asJson(input), code: undefined, name: '改过的名称' }).expect(200);
      const discarded = await staff.agent.delete(`/api/v1/services/${input.code}/revision`).set('X-CSRF-Token', staff.csrfToken).expect(200);
      expect(discarded.body.revision).toBeNull();
      await staff.agent.delete(`/api/v1/services/${input.code}/revision`).set('X-CSRF-Token', staff.csrfToken).expect(409);
    });

    it('answers 409 with the field for a code already taken, whatever its case', async () => {
      const input = await aPublishedService(platform);
      const again = await post('/services', { ...asJson(aServiceInput()), code: input.code.toLowerCase() }).expect(409);
      expect(again.body).toMatchObject({ code: 'code_taken', errors: [{ path: 'code' }] });
    });

    it('records every command in the public audit trail of the item', async () => {
      const input = await aPublishedService(platform);
      await post(`/services/${input.code}/retire`).expect(200);
      const trail = await request(platform.app).get(`/api/v1/audit/trail/service_item/${input.code}`).expect(200);
      expect(trail.body.items.map((event: { action: string }) => event.action).reverse()).toEqual([
        'service_item.created',
        'service_item.published',
        'service_item.retired',
      ]);
    });

    it('lists working copies of every status for staff', async () => {
      const draft = await aPublishedService(platform, {}, false);
      const response = await staff.agent.get('/api/v1/services/working-copies').query({ status: 'draft', q: draft.code }).expect(200);
      expect(response.body.items).toEqual([expect.objectContaining({ item: expect.objectContaining({ code: draft.code, status: 'draft' }), revision: null })]);
      const copy = await staff.agent.get(`/api/v1/services/${draft.code.toLowerCase()}/working-copy`).expect(200);
      expect(copy.body.item.code).toBe(draft.code);
    });
  });

  describe('validation', () => {
    it('answers 400 with the path of every invalid field', async () => {
      const response = await post('/services', {
        code: 'not a code',
        name: '',
        category: '未知类',
        basis: '依据',
        timeLimitDays: 2.5,
        fee: { mode: 'government', minFen: 10.5, basis: '' },
        relatedApproval: '审批',
      }).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      const paths = response.body.errors.map((error: { path: string }) => error.path).sort();
      expect(paths).toEqual(expect.arrayContaining(['body.code', 'body.name', 'body.category', 'body.timeLimitDays', 'body.fee.minFen', 'body.fee.basis']));
    });

    it('requires a maximum for government and guided prices and min ≤ max', async () => {
      const noMax = await post('/services', { ...asJson(aServiceInput()), fee: { mode: 'guided', minFen: 100, basis: '指导价' } }).expect(400);
      expect(noMax.body.errors).toEqual([expect.objectContaining({ path: 'body.fee.maxFen' })]);
      const inverted = await post('/services', { ...asJson(aServiceInput()), fee: { mode: 'market', minFen: 500, maxFen: 100, basis: '市场' } }).expect(400);
      expect(inverted.body.errors).toEqual([expect.objectContaining({ path: 'body.fee.maxFen', message: 'must not be below minFen' })]);
      const badMode = await post('/services', { ...asJson(aServiceInput()), fee: { mode: 'free', basis: 'x' } }).expect(400);
      expect(badMode.body.errors[0].path).toBe('body.fee.mode');
    });

    it('answers 400 for a malformed code in the path and 404 for an unknown one', async () => {
      await request(platform.app).get('/api/v1/services/%E7%8E%AF').expect(400);
      await request(platform.app).get('/api/v1/services/ZZ-999').expect(404);
    });
  });

  describe('access', () => {
    it.each(['owner', 'agency'] as const)('refuses every change to %s with 403', async (role) => {
      const outsider = await loggedInAs(platform, role);
      const input = await aPublishedService(platform);
      const send = (call: request.Test) => call.set('X-CSRF-Token', outsider.csrfToken);
      expect((await send(outsider.agent.post('/api/v1/services').send(asJson(aServiceInput())))).status).toBe(403);
      expect((await send(outsider.agent.put(`/api/v1/services/${input.code}`).send(asJson(input)))).status).toBe(403);
      expect((await send(outsider.agent.post(`/api/v1/services/${input.code}/publish`))).status).toBe(403);
      expect((await send(outsider.agent.post(`/api/v1/services/${input.code}/retire`))).status).toBe(403);
      expect((await send(outsider.agent.post('/api/v1/services/import').type('text/csv').send('编码\n'))).status).toBe(403);
      expect((await outsider.agent.get('/api/v1/services/working-copies')).status).toBe(403);
    });

    it('asks anonymous callers to log in (401) for changes', async () => {
      await request(platform.app).post('/api/v1/services').send(asJson(aServiceInput())).expect(401);
    });
  });

  describe('findPublishedService, for projects', () => {
    it('returns the published item with its time limit and fee standard, and nothing for drafts', async () => {
      const input = await aPublishedService(platform, { fee: { mode: 'guided', minFen: 1000, maxFen: 9000, basis: '指导价' }, timeLimitDays: 12 });
      const found = await findPublishedService(platform.database.db, input.code);
      expect(found).toMatchObject({ code: input.code, timeLimitDays: 12, fee: { mode: 'guided', minFen: 1000, maxFen: 9000 } });
      const draft = await aPublishedService(platform, {}, false);
      expect(await findPublishedService(platform.database.db, draft.code)).toBeUndefined();
    });
  });
});

describe('catalogue search', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
    await aPublishedService(platform, {
      code: 'ZJ-001',
      name: '建设项目环境影响报告书编制',
      basis: '《中华人民共和国环境影响评价法》第十六条',
      relatedApproval: '建设项目环境影响评价文件审批',
    });
    await aPublishedService(platform, {
      code: 'ZJ-012',
      name: '建设工程规划放线测量',
      basis: '《中华人民共和国测绘法》第二十七条',
      relatedApproval: '建设工程规划核实',
    });
    await aPublishedService(platform, {
      code: 'SS-001',
      name: '资产评估',
      category: '商事类',
      basis: '《中华人民共和国资产评估法》第三条',
      relatedApproval: '国有资产评估项目核准',
    });
    await aPublishedService(platform, { code: 'CG-001', name: '草稿里的环境测绘事项', basis: '草稿' }, false);
    for (let i = 1; i <= 25; i += 1) {
      await aPublishedService(platform, { code: `PG-${String(i).padStart(3, '0')}`, name: `分页测试事项${i}`, category: '综合类' });
    }
  });
  afterAll(() => platform.close());

  const search = (query: Record<string, string | number>) => request(platform.app).get('/api/v1/services').query(query);
  const codes = (body: { items: { code: string }[] }) => body.items.map((item) => item.code);

  it.each([
    ['环境', ['ZJ-001']],
    ['影响', ['ZJ-001']],
    ['放线', ['ZJ-012']],
    ['评估', ['SS-001']],
  ])('finds an item by two consecutive characters of its name (%s)', async (q, expected) => {
    const response = await search({ q }).expect(200);
    expect(codes(response.body)).toEqual(expected);
  });

  it.each([
    ['测绘', ['ZJ-012']],
    ['六条', ['ZJ-001']],
    ['共和', ['SS-001', 'ZJ-001', 'ZJ-012']],
  ])('finds an item by two consecutive characters of its legal basis (%s)', async (q, expected) => {
    const response = await search({ q }).expect(200);
    expect(codes(response.body).sort()).toEqual(expected);
  });

  it('needs the characters consecutive and in order, not merely present', async () => {
    // 环境 and 影响 are both in ZJ-001's name, but not as 境影响环
    expect((await search({ q: '境影响环' }).expect(200)).body.total).toBe(0);
    expect((await search({ q: '境影' }).expect(200)).body.total).toBe(1);
  });

  it('finds by code (any case, full-width too), by category name and by one character', async () => {
    expect(codes((await search({ q: 'zj-012' }).expect(200)).body)).toEqual(['ZJ-012']);
    expect(codes((await search({ q: 'ＺＪ－００１' }).expect(200)).body)).toEqual(['ZJ-001']);
    expect(codes((await search({ q: '商事' }).expect(200)).body)).toEqual(['SS-001']);
    expect(codes((await search({ q: '绘' }).expect(200)).body)).toEqual(['ZJ-012']);
  });

  it('treats LIKE wildcards in the query as text', async () => {
    expect((await search({ q: '%' }).expect(200)).body.total).toBe(0);
    expect((await search({ q: '_' }).expect(200)).body.total).toBe(0);
  });

  it('never shows drafts', async () => {
    expect((await search({ q: '草稿' }).expect(200)).body.total).toBe(0);
  });

  it('filters by category, alone and with a query', async () => {
    const business = await search({ category: '商事类' }).expect(200);
    expect(codes(business.body)).toEqual(['SS-001']);
    const both = await search({ category: '投资建设类', q: '建设' }).expect(200);
    expect(codes(both.body)).toEqual(['ZJ-001', 'ZJ-012']);
    await search({ category: '不存在的类' }).expect(400);
    // a search form's "all categories" sends the parameter empty
    expect((await search({ category: '', q: '' }).expect(200)).body.total).toBe(28);
  });

  it('pages through results with total, page and pageSize', async () => {
    const first = await search({ category: '综合类', pageSize: 10 }).expect(200);
    expect(first.body).toMatchObject({ total: 25, page: 1, pageSize: 10 });
    expect(codes(first.body)[0]).toBe('PG-001');
    const third = await search({ category: '综合类', pageSize: 10, page: 3 }).expect(200);
    expect(codes(third.body)).toEqual(['PG-021', 'PG-022', 'PG-023', 'PG-024', 'PG-025']);
    const beyond = await search({ category: '综合类', pageSize: 10, page: 9 }).expect(200);
    expect(beyond.body).toMatchObject({ items: [], total: 25 });
    const defaults = await search({}).expect(200);
    expect(defaults.body).toMatchObject({ page: 1, pageSize: 20, total: 28 });
  });

  it('answers 400 for pageSize above 100 and for a bad page', async () => {
    const tooBig = await search({ pageSize: 101 }).expect(400);
    expect(tooBig.body.errors[0].path).toBe('query.pageSize');
    await search({ pageSize: 100 }).expect(200);
    await search({ page: 0 }).expect(400);
    await search({ page: 'x' }).expect(400);
    await search({ q: '长'.repeat(101) }).expect(400);
  });
});
