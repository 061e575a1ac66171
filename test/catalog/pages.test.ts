import ExcelJS from 'exceljs';
import request from 'supertest';
import { catalogueDemoLoader, DEMO_SERVICES } from '../../src/catalog/demo.js';
import { loggedInAs, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aPublishedService } from './builders.js';

const form = (values: Record<string, string>) => ({
  code: 'PF-001',
  name: '建设项目节能报告编制',
  category: '投资建设类',
  basis: '《固定资产投资项目节能审查办法》第六条',
  timeLimitDays: '15',
  feeMode: 'guided',
  feeMin: '1,000.50',
  feeMax: '60000',
  feeBasis: '政府指导价',
  qualificationRequirements: '',
  relatedApproval: '固定资产投资项目节能审查',
  ...values,
});

describe('catalogue pages', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform();
    staff = await loggedInAs(platform, 'staff');
    await aPublishedService(platform, {
      code: 'ZJ-013',
      name: '房产面积测算',
      basis: '《房产测绘管理办法》（建设部、国家测绘局令第83号）',
      timeLimitDays: 10,
      fee: { mode: 'guided', minFen: 100_000, maxFen: 6_000_000, basis: '政府指导价，按建筑面积分档计费' },
      qualificationRequirements: '具有测绘资质（不动产测绘专业）',
      relatedApproval: '不动产首次登记',
    });
    await aPublishedService(platform, { code: 'SS-002', name: '专项审计', category: '商事类', basis: '《中华人民共和国注册会计师法》' });
  });
  afterAll(() => platform.close());

  const submit = (path: string, values: Record<string, string> = {}) =>
    staff.agent.post(path).type('form').send({ _csrf: staff.csrfToken, ...values });

  describe('public list', () => {
    it('lists published items with a labelled search box, a category filter and a captioned table', async () => {
      const page = await request(platform.app).get('/services').expect(200);
      expect(page.text).toContain('<h1>中介服务事项清单</h1>');
      expect(page.text).toContain('<label for="field-q">关键词</label>');
      expect(page.text).toContain('<label for="field-category">类别</label>');
      expect(page.text).toMatch(/<caption>中介服务事项（第 1 页，共 1 页）<\/caption>/);
      expect(page.text).toContain('<a href="/services/ZJ-013">房产面积测算</a>');
      expect(page.text).toContain('政府指导价<br>¥1,000.00 – ¥60,000.00');
      expect(page.text).toContain('10 个工作日');
      expect(page.text).toContain('href="/api/v1/services/export.csv"');
      expect(page.text).toContain('aria-current="page">服务清单</a>');
    });

    it('searches by two Chinese characters and filters by category', async () => {
      const found = await request(platform.app).get('/services').query({ q: '测绘' }).expect(200);
      expect(found.text).toContain('房产面积测算');
      expect(found.text).not.toContain('专项审计');
      expect(found.text).toContain('共 1 项');
      expect(found.text).toContain('value="测绘"');
      const filtered = await request(platform.app).get('/services').query({ category: '商事类' }).expect(200);
      expect(filtered.text).toContain('专项审计');
      expect(filtered.text).not.toContain('房产面积测算');
      expect(filtered.text).toMatch(/<option value="商事类" selected>/);
      const none = await request(platform.app).get('/services').query({ q: '不存在的' }).expect(200);
      expect(none.text).toContain('没有符合条件的服务事项。');
    });

    it('serves English with ?lang=en', async () => {
      const page = await request(platform.app).get('/services?lang=en').expect(200);
      expect(page.text).toContain('<h1>Catalogue of intermediary services</h1>');
      expect(page.text).toContain('Government-guided price');
    });
  });

  describe('item page', () => {
    it('shows basis, time limit in working days, fee in yuan, qualifications, approval and history', async () => {
      const page = await request(platform.app).get('/services/ZJ-013').expect(200);
      expect(page.text).toContain('<h1>房产面积测算</h1>');
      expect(page.text).toContain('《房产测绘管理办法》（建设部、国家测绘局令第83号）');
      expect(page.text).toContain('<dd>10 个工作日</dd>');
      expect(page.text).toContain('<dd>¥1,000.00 – ¥60,000.00</dd>');
      expect(page.text).toContain('具有测绘资质（不动产测绘专业）');
      expect(page.text).toContain('<dd>不动产首次登记</dd>');
      expect(page.text).toContain('<caption>ZJ-013 的历次发布版本</caption>');
      expect(page.text).toContain('首次发布');
      expect(page.text).not.toContain('action="/services/ZJ-013/publish"');
    });

    it('answers 404 to the public for a draft and 400 for a malformed code', async () => {
      const draft = await aPublishedService(platform, {}, false);
      await request(platform.app).get(`/services/${draft.code}`).expect(404);
      await request(platform.app).get('/services/%E6%B5%8B').expect(400);
    });
  });

  describe('staff', () => {
    it('creates a draft through the form, amounts typed in yuan, then publishes it', async () => {
      const created = await submit('/services/new', form({})).expect(303);
      expect(created.headers.location).toBe('/services/PF-001?done=created');
      const draft = await staff.agent.get('/services/PF-001?done=created').expect(200);
      expect(draft.text).toContain('草稿已创建。');
      expect(draft.text).toContain('这是草稿，尚未公开。');
      expect(draft.text).toContain('¥1,000.50 – ¥60,000.00');
      const copy = await staff.agent.get('/api/v1/services/PF-001/working-copy').expect(200);
      expect(copy.body.item.fee).toMatchObject({ mode: 'guided', minFen: 100050, maxFen: 6000000 });

      await submit('/services/PF-001/publish').expect(303);
      const published = await request(platform.app).get('/services/PF-001').expect(200);
      expect(published.text).toContain('首次发布');
      const again = await submit('/services/PF-001/publish').expect(409);
      expect(again.text).toContain('没有待发布的修改。');
    });

    it('re-renders the form with an error summary linking to each field, keeping the values', async () => {
      const page = await submit('/services/new', form({ code: 'bad code', name: '', feeMode: 'guided', feeMax: '', feeMin: '12.345', timeLimitDays: 'abc' })).expect(400);
      expect(page.text).toContain('class="error-summary"');
      expect(page.text).toContain('href="#field-code"');
      expect(page.text).toContain('href="#field-name"');
      expect(page.text).toContain('href="#field-timeLimitDays"');
      expect(page.text).toContain('href="#field-fee-minFen"');
      // in the order of the form
      expect(page.text.indexOf('href="#field-code"')).toBeLessThan(page.text.indexOf('href="#field-name"'));
      expect(page.text.indexOf('href="#field-timeLimitDays"')).toBeLessThan(page.text.indexOf('href="#field-fee-minFen"'));
      expect(page.text).toContain('收费下限须为以元为单位的金额');
      expect(page.text).toContain('value="bad code"');
      expect(page.text).toContain('《固定资产投资项目节能审查办法》第六条</textarea>');
      expect(page.text).toContain('id="field-fee-minFen"');
    });

    it('tells a taken code on the form', async () => {
      const page = await submit('/services/new', form({ code: 'ZJ-013' })).expect(400);
      expect(page.text).toContain('href="#field-code"');
    });

    it('edits a published item into a pending revision, then publishes version 2 with what changed', async () => {
      const input = await aPublishedService(platform, { name: '洪水影响评价报告编制' });
      const edit = await staff.agent.get(`/services/${input.code}/edit`).expect(200);
      expect(edit.text).toContain('该事项已发布');
      expect(edit.text).toContain('value="洪水影响评价报告编制"');
      await submit(`/services/${input.code}/edit`, {
        name: '洪水影响评价报告编制',
        category: '投资建设类',
        basis: input.basis,
        timeLimitDays: '18',
        feeMode: 'market',
        feeMin: '',
        feeMax: '',
        feeBasis: input.fee.basis,
        qualificationRequirements: '',
        relatedApproval: input.relatedApproval,
      }).expect(303);
      const pending = await staff.agent.get(`/services/${input.code}`).expect(200);
      expect(pending.text).toContain('待发布的修订');
      expect(pending.text).toContain('修订内容：服务时限');
      expect(pending.text).toContain('发布为第 2 版');
      const publicView = await request(platform.app).get(`/services/${input.code}`).expect(200);
      expect(publicView.text).toContain('<dd>10 个工作日</dd>');
      expect(publicView.text).not.toContain('待发布的修订');

      await submit(`/services/${input.code}/publish`).expect(303);
      const after = await request(platform.app).get(`/services/${input.code}`).expect(200);
      expect(after.text).toContain('<dd>18 个工作日</dd>');
      expect(after.text).toMatch(/<td data-label="变更内容">服务时限<\/td>/);
    });

    it('retires an item from its page', async () => {
      const input = await aPublishedService(platform);
      await submit(`/services/${input.code}/retire`).expect(303);
      const page = await request(platform.app).get(`/services/${input.code}`).expect(200);
      expect(page.text).toContain('该事项已于');
      expect(page.text).toContain('已停用');
    });

    it('lists every item with its status on the manage page', async () => {
      const page = await staff.agent.get('/services/manage').expect(200);
      expect(page.text).toContain('<h1>管理服务清单</h1>');
      expect(page.text).toContain('href="/services/new"');
      expect(page.text).toContain('catalog-status-draft');
    });

    it.each(['owner', 'agency'] as const)('keeps %s out of the staff pages (403)', async (role) => {
      const outsider = await loggedInAs(platform, role);
      await outsider.agent.get('/services/manage').expect(403);
      await outsider.agent.get('/services/new').expect(403);
      await outsider.agent.get('/services/import').expect(403);
      await outsider.agent.post('/services/ZJ-013/retire').type('form').send({ _csrf: outsider.csrfToken }).expect(403);
      const page = await outsider.agent.get('/services/ZJ-013').expect(200);
      expect(page.text).not.toContain('/retire');
    });
  });

  describe('import page (multipart upload)', () => {
    const header = '编码,名称,类别,设定依据,服务时限（工作日）,收费方式,收费下限（分）,收费上限（分）,收费依据,资质要求,对应审批事项,状态';

    it('imports a CSV and shows the per-row report', async () => {
      const csv = `\uFEFF${header}\r\nUP-001,上传的测绘事项,投资建设类,《测绘法》,5,市场调节价,,,市场,,规划核实,\r\n`;
      const page = await staff.agent.post('/services/import').field('_csrf', staff.csrfToken).attach('file', Buffer.from(csv), 'catalogue.csv').expect(201);
      expect(page.text).toContain('已导入 1 项。');
      expect(page.text).toContain('<a href="/services/UP-001">UP-001</a>');
    });

    it('imports an xlsx', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('清单');
      sheet.addRow(header.split(','));
      sheet.addRow(['UP-002', '上传的审计事项', '商事类', '《注册会计师法》', 10, '市场调节价', null, null, '市场', '', '产权转让', '已发布']);
      const file = Buffer.from(await workbook.xlsx.writeBuffer());
      const page = await staff.agent.post('/services/import').field('_csrf', staff.csrfToken).attach('file', file, 'catalogue.xlsx').expect(201);
      expect(page.text).toContain('已导入 1 项。');
      await request(platform.app).get('/services/UP-002').expect(200);
    });

    it('shows each bad row in Chinese and imports nothing', async () => {
      const csv = `${header}\nUP-010,好的一行,投资建设类,依据,5,市场调节价,,,市场,,审批,\nUP-011,坏的一行,餐饮类,依据,5,免费,,,市场,,审批,\nUP-010,重复,投资建设类,依据,5,政府指导价,900,100,价,,审批,\n`;
      const page = await staff.agent.post('/services/import').field('_csrf', staff.csrfToken).attach('file', Buffer.from(csv), 'bad.csv').expect(422);
      expect(page.text).toContain('2 行有错误，全部未导入。');
      expect(page.text).toContain('<caption>每行的校验结果（表头为第 1 行）</caption>');
      expect(page.text).toContain('收费方式须为政府定价、政府指导价或市场调节价');
      expect(page.text).toContain('请选择类别');
      expect(page.text).toContain('编码与第 2 行重复');
      expect(page.text).toContain('收费上限须为整数（分）');
      await request(platform.app).get('/services/UP-010').expect(404);
    });

    it('asks for a file when none is chosen, and explains an unreadable one', async () => {
      const none = await staff.agent.post('/services/import').field('_csrf', staff.csrfToken).expect(400);
      expect(none.text).toContain('请选择要上传的 CSV 或 xlsx 文件');
      const broken = await staff.agent.post('/services/import').field('_csrf', staff.csrfToken).attach('file', Buffer.from('编码,名称\nA-1,x\n'), 'x.csv').expect(400);
      expect(broken.text).toContain('文件无法读取：Missing columns');
    });

    it('refuses an upload without the CSRF field', async () => {
      await staff.agent.post('/services/import').attach('file', Buffer.from('x'), 'x.csv').expect(403);
    });
  });
});

describe('catalogue demo data', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
    await catalogueDemoLoader.load(platform);
  });
  afterAll(() => platform.close());

  it('publishes at least 30 real service types with legal bases, mixed fee modes, drafts, retirements and revisions', async () => {
    const published = await request(platform.app).get('/api/v1/services').query({ pageSize: 100 }).expect(200);
    expect(published.body.total).toBeGreaterThanOrEqual(30);
    const modes = new Set(published.body.items.map((item: { fee: { mode: string } }) => item.fee.mode));
    expect(modes).toEqual(new Set(['market', 'guided', 'government']));
    expect(DEMO_SERVICES.filter((item) => item.state === 'draft').length).toBeGreaterThanOrEqual(2);
    expect(DEMO_SERVICES.filter((item) => item.state === 'retired').length).toBeGreaterThanOrEqual(2);
    const revised = published.body.items.filter((item: { version: number }) => item.version >= 2);
    expect(revised.length).toBeGreaterThanOrEqual(3);
    const eia = await request(platform.app).get('/api/v1/services/ZJ-001').expect(200);
    expect(eia.body.basis).toContain('《中华人民共和国环境影响评价法》');
    expect(eia.body.history).toHaveLength(2);
    const found = await request(platform.app).get('/api/v1/services').query({ q: '水土' }).expect(200);
    expect(found.body.items.map((item: { code: string }) => item.code)).toEqual(['ZJ-002']);
  });
});
