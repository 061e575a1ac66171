import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { loggedInAs, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aPublishedService } from './builders.js';

const HEADER = ['编码', '名称', '类别', '设定依据', '服务时限（工作日）', '收费方式', '收费下限（分）', '收费上限（分）', '收费依据', '资质要求', '对应审批事项', '状态'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Row = (string | number)[];

const aRow = (code: string, changes: Partial<Record<(typeof HEADER)[number], string | number>> = {}): Row => {
  const base: Record<string, string | number> = {
    编码: code,
    名称: `导入的服务事项${code}`,
    类别: '投资建设类',
    设定依据: '《中华人民共和国测绘法》第二十七条',
    '服务时限（工作日）': 10,
    收费方式: '市场调节价',
    '收费下限（分）': '',
    '收费上限（分）': '',
    收费依据: '市场调节价',
    资质要求: '测绘资质',
    对应审批事项: '建设工程规划核实',
    状态: '',
    ...changes,
  };
  return HEADER.map((column) => base[column]!);
};

const csvOf = (rows: Row[], header: string[] = HEADER) =>
  '\uFEFF' + [header, ...rows].map((row) => row.map((cell) => `"${String(cell).replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';

async function xlsxOf(rows: Row[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('清单');
  sheet.addRow(HEADER);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('catalogue import', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform();
    staff = await loggedInAs(platform, 'staff');
    await aPublishedService(platform, { code: 'OLD-001' });
  });
  afterAll(() => platform.close());

  const upload = (body: string | Buffer, type = 'text/csv') =>
    staff.agent.post('/api/v1/services/import').set('X-CSRF-Token', staff.csrfToken).set('Content-Type', type).send(body);
  const count = async () => (await staff.agent.get('/api/v1/services/working-copies').query({ pageSize: 100 }).expect(200)).body.total as number;

  it('imports a good CSV: drafts by default, published where 状态 says so, one audit event for the file', async () => {
    const response = await upload(
      csvOf([
        aRow('IM-001', { 名称: '建设项目水资源论证报告编制' }),
        aRow('im-002', { 状态: '已发布', 收费方式: '政府指导价', '收费下限（分）': 100000, '收费上限（分）': 600000 }),
      ]),
    ).expect(201);
    expect(response.body).toEqual({
      imported: 2,
      format: 'csv',
      rows: [
        { row: 2, code: 'IM-001', status: 'ok', errors: [] },
        { row: 3, code: 'IM-002', status: 'ok', errors: [] },
      ],
    });
    const first = await staff.agent.get('/api/v1/services/IM-001/working-copy').expect(200);
    expect(first.body.item).toMatchObject({ status: 'draft', name: '建设项目水资源论证报告编制', qualificationRequirements: '测绘资质' });
    const second = await request(platform.app).get('/api/v1/services/IM-002').expect(200);
    expect(second.body).toMatchObject({ status: 'published', version: 1, fee: { mode: 'guided', minFen: 100000, maxFen: 600000 } });

    const events = await staff.agent.get('/api/v1/audit/events').query({ action: 'service_item.imported' }).expect(200);
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ entityType: 'service_import', data: { format: 'csv', rows: 2, codes: ['IM-001', 'IM-002'] } });
    const trail = await request(platform.app).get('/api/v1/audit/trail/service_item/IM-002').expect(200);
    expect(trail.body.items.map((event: { action: string }) => event.action)).toEqual(['service_item.published', 'service_item.created']);
  });

  it('imports a good xlsx built with exceljs, numbers as numbers', async () => {
    const file = await xlsxOf([aRow('XL-001', { '收费上限（分）': 500000, 收费方式: 'government' }), aRow('XL-002', { 类别: '商事类' })]);
    const response = await upload(file, XLSX_TYPE).expect(201);
    expect(response.body).toMatchObject({ imported: 2, format: 'xlsx', rows: [{ row: 2, code: 'XL-001' }, { row: 3, code: 'XL-002' }] });
    const copy = await staff.agent.get('/api/v1/services/XL-001/working-copy').expect(200);
    expect(copy.body.item.fee).toEqual({ mode: 'government', minFen: null, maxFen: 500000, basis: '市场调节价' });
  });

  it('reports each bad row with its row number and the field, and imports nothing', async () => {
    const before = await count();
    const response = await upload(
      csvOf([
        aRow('BAD-001'),
        aRow('BAD-002', { 收费方式: '免费' }),
        aRow('BAD-003', { 收费方式: '政府指导价', '收费下限（分）': 900, '收费上限（分）': 100 }),
        aRow('BAD-004', { 类别: '餐饮类' }),
        aRow('BAD-001'),
        aRow('OLD-001'),
        aRow('BAD-007', { 名称: '', 设定依据: '' }),
        aRow('BAD-008', { '收费上限（分）': '12.5', '服务时限（工作日）': '十' }),
        aRow('BAD-009', { 收费方式: '政府定价' }),
        aRow('BAD-010', { 状态: '待定' }),
      ]),
    ).expect(422);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 422, code: 'import_rejected' });
    const report = response.body.report;
    expect(report.imported).toBe(0);
    const problems = Object.fromEntries(
      report.rows.map((row: { row: number; errors: { path: string; kind: string }[] }) => [row.row, row.errors.map((error) => `${error.kind}:${error.path}`)]),
    );
    expect(problems).toEqual({
      2: [],
      3: ['unknown_fee_mode:fee.mode'],
      4: ['invalid:fee.maxFen'],
      5: ['invalid:category'],
      6: ['duplicate_in_file:code'],
      7: ['code_exists:code'],
      8: ['invalid:name', 'invalid:basis'],
      9: ['not_integer:timeLimitDays', 'not_integer:fee.maxFen'],
      10: ['invalid:fee.maxFen'],
      11: ['unknown_status:status'],
    });
    expect(report.rows[4]).toMatchObject({ row: 6, code: 'BAD-001', status: 'error', errors: [{ firstRow: 2 }] });
    expect(report.rows[0].status).toBe('ok');
    expect(await count()).toBe(before);
    await request(platform.app).get('/api/v1/services/BAD-001').expect(404);
  });

  it('reports bad rows of an xlsx by their worksheet row', async () => {
    const file = await xlsxOf([aRow('XB-001'), aRow('XB-002', { '收费下限（分）': 12.5 })]);
    const response = await upload(file, XLSX_TYPE).expect(422);
    expect(response.body.report.rows[1]).toMatchObject({ row: 3, status: 'error', errors: [{ path: 'fee.minFen', kind: 'not_integer' }] });
  });

  it('reports a row with a missing field count and a missing required cell', async () => {
    const csv = `${csvOf([aRow('FC-001')])}"FC-002","只有两列"\r\n`;
    const response = await upload(csv).expect(422);
    const row = response.body.report.rows[1];
    expect(row.row).toBe(3);
    expect(row.errors.map((error: { kind: string }) => error.kind)).toContain('field_count');
  });

  it.each([
    ['an empty body', '', 'text/csv', 400],
    ['a file without the required columns', '编码,名称\nA-1,x\n', 'text/csv', 400],
    ['unknown columns', `${HEADER.join(',')},备注\n`, 'text/csv', 400],
    ['a header and no rows', `${HEADER.join(',')}\r\n`, 'text/csv', 400],
    ['an unterminated quote', `${HEADER.join(',')}\r\n"ZJ-1,"abc\r\n`, 'text/csv', 400],
    ['a broken xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not really a zip')]), XLSX_TYPE, 400],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x80, 0x81]), 'application/octet-stream', 400],
  ])('answers 4xx, never 5xx, for a malformed file: %s', async (_name, body, type, status) => {
    const before = await count();
    const response = await upload(body, type);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await count()).toBe(before);
  });

  it('says which columns are missing', async () => {
    const response = await upload('编码,名称\nA-1,x\n').expect(400);
    expect(response.body.code).toBe('malformed_file');
    expect(response.body.detail).toMatch(/Missing columns: 类别, 设定依据/);
  });

  it('reads a GB18030 CSV as saved by Excel on Chinese Windows', async () => {
    const gb18030Header = Buffer.from([0xb1, 0xe0, 0xc2, 0xeb]); // 编码 in GB18030 (not valid UTF-8)
    const response = await upload(Buffer.concat([gb18030Header, Buffer.from(',x\n')])).expect(400);
    // 编码 was understood; only x is unknown
    expect(response.body.detail).toMatch(/^Unknown columns: x\./);
  });

  it('keeps the 415 for other API routes that are sent CSV or text', async () => {
    const csv = await staff.agent.post('/api/v1/services').set('X-CSRF-Token', staff.csrfToken).set('Content-Type', 'text/csv').send('a,b\n');
    expect(csv.status).toBe(415);
    const text = await staff.agent.post('/api/v1/services/import').set('X-CSRF-Token', staff.csrfToken).set('Content-Type', 'text/plain').send('a,b\n');
    expect(text.status).toBe(415);
    const json = await staff.agent.post('/api/v1/services/import').set('X-CSRF-Token', staff.csrfToken).send({ rows: [] });
    expect(json.status).toBe(415);
  });

  it('needs the CSRF token like any cookie-authenticated change', async () => {
    await staff.agent.post('/api/v1/services/import').set('Content-Type', 'text/csv').send(csvOf([aRow('CS-001')])).expect(403);
  });
});

describe('catalogue export', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
    const staff = await loggedInAs(platform, 'staff');
    await aPublishedService(platform, {
      code: 'EX-001',
      name: '房产面积测算',
      basis: '《房产测绘管理办法》，第二条\n第三条 "引号"',
      fee: { mode: 'guided', minFen: 100_000, maxFen: 6_000_000, basis: '政府指导价' },
    });
    await aPublishedService(platform, { code: 'EX-002', name: '=HYPERLINK("http://x")' });
    await aPublishedService(platform, { code: 'EX-003', name: '未发布的草稿' }, false);
    void staff;
  });
  afterAll(() => platform.close());

  it('exports the published items as CSV with a BOM and Chinese headers, that parses back', async () => {
    const response = await request(platform.app).get('/api/v1/services/export.csv').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain("filename*=UTF-8''");
    const body = response.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(body.toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([...HEADER, '版本', '发布时间']);
    expect(records.map((record) => record['编码'])).toEqual(['EX-001', 'EX-002']);
    expect(records[0]).toMatchObject({
      名称: '房产面积测算',
      设定依据: '《房产测绘管理办法》，第二条\n第三条 "引号"',
      收费方式: '政府指导价',
      '收费下限（分）': '100000',
      '收费上限（分）': '6000000',
      状态: '已发布',
      版本: '1',
      发布时间: '2026-11-25T09:00:00.000+08:00',
    });
    // a cell a spreadsheet would run as a formula is defused
    expect(records[1]!['名称']).toBe('\'=HYPERLINK("http://x")');
  });

  it('exports the same as xlsx with Chinese headers, read back with exceljs', async () => {
    const response = await request(platform.app).get('/api/v1/services/export.xlsx').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('服务清单');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADER, '版本', '发布时间']);
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(1).value).toBe('EX-001');
    expect(sheet.getRow(2).getCell(7).value).toBe(100000);
    expect(sheet.getRow(3).getCell(2).value).toBe('=HYPERLINK("http://x")');
  });

  it('contains no personal data: no users, actors or contact details', async () => {
    const csv = (await request(platform.app).get('/api/v1/services/export.csv').expect(200)).text;
    expect(csv).not.toMatch(/user:|staff\d|13800138000|张三|@/);
  });

  it('can be imported again (the export is the import template)', async () => {
    const exported = (await request(platform.app).get('/api/v1/services/export.csv').expect(200)).text;
    const staff = await loggedInAs(platform, 'staff');
    const renamed = exported.replace(/EX-00/g, 'RE-00');
    const response = await staff.agent.post('/api/v1/services/import').set('X-CSRF-Token', staff.csrfToken).set('Content-Type', 'text/csv').send(renamed).expect(201);
    expect(response.body.imported).toBe(2);
    const copy = await request(platform.app).get('/api/v1/services/RE-002').expect(200);
    expect(copy.body.name).toBe('=HYPERLINK("http://x")');
  });
});
