import ExcelJS from 'exceljs';
import request from 'supertest';
import { csrfFrom, loggedInAs, withToken, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { AT_OPENING, DURING_SUBMISSIONS, aComparisonProject, aComparisonScene, comparisonTerms, post, propose } from './support.js';

const WEIGHTS = { price: 40, credit: 10, time: 20, plan: 30 };

describe('online comparison (网上比选): a worked example from proposals to the published ranking', () => {
  let platform: TestPlatform;
  let scene: Awaited<ReturnType<typeof aComparisonScene>>;
  let project: { id: number; tieBreakLotteryId: string | null };
  let staff: LoggedIn;
  let otherOwner: LoggedIn;
  const firm = (index: number) => scene.firms[index]!;

  beforeAll(async () => {
    platform = await createTestPlatform();
    scene = await aComparisonScene(platform, 3);
    staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    otherOwner = await withToken(platform, await loggedInAs(platform, 'owner'));
    project = await aComparisonProject(scene.owner, scene.firms, scene.service.code, WEIGHTS);
    // credit before the opening: A keeps the base 80.00, B has a minor violation (−10 → 70.00),
    // C a good owner rating (+2 → 82.00)
    await post(staff, `/api/v1/firms/${firm(1).firmId}/credit-events`, { kind: 'violation_minor', note: '未按要求报送资料' }).expect(201);
    await post(staff, `/api/v1/firms/${firm(2).firmId}/credit-events`, { kind: 'owner_rating_good', note: '上一项目业主评价优良' }).expect(201);
  });
  afterAll(() => platform.close());

  it('keeps the proposals sealed before the opening: 403 for everyone, evaluation 409', async () => {
    platform.clock.set(DURING_SUBMISSIONS);
    await propose(firm(0), project.id, 12_000_000, 20, '甲：五人项目组').expect(201);
    await propose(firm(1), project.id, 10_000_000, 25, '乙：引用区域监测数据').expect(201);
    await propose(firm(2), project.id, 13_000_000, 15, '丙：增加现场踏勘').expect(201);
    for (const viewer of [scene.owner, staff, firm(0)]) {
      await viewer.agent.get(`/api/v1/projects/${project.id}/submissions`).expect(403);
      await viewer.agent.get(`/api/v1/projects/${project.id}/comparison`).expect(403);
    }
    await request(platform.app).get(`/api/v1/projects/${project.id}/comparison`).expect(403);
    await request(platform.app).get(`/api/v1/projects/${project.id}/comparison.csv`).expect(403);
    const early = await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores: [{ firmId: firm(0).firmId, planPoints: 10, justification: '方案完整，人员配置合理。' }] }).expect(409);
    expect(early.body.code).toBe('not_evaluating');
    const page = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(JSON.stringify(page.body)).not.toContain('12000000');
  });

  it('scores price, time and credit at the opening and waits for the owner in `evaluating`', async () => {
    platform.clock.set(AT_OPENING);
    const opened = await request(platform.app).get(`/api/v1/projects/${project.id}`).expect(200);
    expect(opened.body.status).toBe('evaluating');
    expect(opened.body.options.weights).toEqual(WEIGHTS);
    const table = await request(platform.app).get(`/api/v1/projects/${project.id}/comparison`).expect(200);
    expect(table.body.evaluated).toBe(false);
    // lowest price 100,000.00 (B), shortest time 15 days (C)
    // price A = 40 × 10,000,000 / 12,000,000 = 33.333333… → 33.333; B = 40.000; C = 40 × 10 / 13 = 30.769230… → 30.769
    // time  A = 20 × 15 / 20 = 15.000; B = 20 × 15 / 25 = 12.000; C = 20.000
    // credit A = 10 × 80.00 / 100 = 8.000; B = 10 × 70.00 / 100 = 7.000; C = 10 × 82.00 / 100 = 8.200
    const byFirm = new Map(table.body.rows.map((row: { firmId: number }) => [row.firmId, row]));
    expect(byFirm.get(firm(0).firmId)).toMatchObject({ rank: null, credit: { score: '80.00', grade: 'AA' }, scores: { price: '33.333', time: '15.000', credit: '8.000', plan: null }, total: null });
    expect(byFirm.get(firm(1).firmId)).toMatchObject({ credit: { score: '70.00', grade: 'A' }, scores: { price: '40.000', time: '12.000', credit: '7.000', plan: null } });
    expect(byFirm.get(firm(2).firmId)).toMatchObject({ credit: { score: '82.00', grade: 'AA' }, scores: { price: '30.769', time: '20.000', credit: '8.200', plan: null } });
    // the public sees no plan; the owner does
    expect(JSON.stringify(table.body)).not.toContain('五人项目组');
    const mine = await scene.owner.agent.get(`/api/v1/projects/${project.id}/comparison`).expect(200);
    expect(mine.body.rows.find((row: { firmId: number }) => row.firmId === firm(0).firmId).plan).toBe('甲：五人项目组');
    expect(table.body.formula.join('\n')).toContain('价格得分 = 价格权重 40 × 最低有效报价（¥100,000.00）÷ 本机构报价');
    // the moment the credit scores were read, in Beijing time the Chinese way
    expect(table.body.formula.find((line: string) => line.startsWith('信用得分'))).toMatch(/开标时（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）/);
  });

  it('lets only the project owner evaluate (403 for another owner, staff and firms)', async () => {
    const scores = scene.firms.map((f) => ({ firmId: f.firmId, planPoints: 20, justification: '方案基本完整，措施可行。' }));
    for (const someone of [otherOwner, staff, firm(0)]) {
      await post(someone, `/api/v1/projects/${project.id}/evaluation`, { scores }).expect(403);
    }
  });

  it('refuses an evaluation that misses a proposal, scores one twice, exceeds the plan weight or lacks a reason (400)', async () => {
    const good = (index: number, planPoints = 20) => ({ firmId: firm(index).firmId, planPoints, justification: '方案基本完整，措施可行。' });
    const missing = await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores: [good(0), good(1)] }).expect(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('body.scores');
    await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores: [good(0), good(1), good(1)] }).expect(400);
    const above = await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores: [good(0), good(1), good(2, 30.5)] }).expect(400);
    expect(above.body.errors[0].path).toBe('body.scores.2.planPoints');
    await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores: [good(0), good(1), good(2, 20.25)] }).expect(400);
    await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores: [good(0), good(1), { ...good(2), justification: '很好' }] }).expect(400);
    expect((await request(platform.app).get(`/api/v1/projects/${project.id}`)).body.status).toBe('evaluating');
  });

  it('ranks by the exact total, publishes the result and the justifications, and locks the evaluation (409 after)', async () => {
    // a credit event after the opening changes nothing: scores were taken at the opening instant
    await post(staff, `/api/v1/firms/${firm(2).firmId}/credit-events`, { kind: 'violation_serious', note: '提供虚假材料' }).expect(201);
    const scores = [
      { firmId: firm(0).firmId, planPoints: 25.5, justification: '技术路线清晰，监测方案较完整。' },
      { firmId: firm(1).firmId, planPoints: 27, justification: '数据引用充分，进度安排合理。' },
      { firmId: firm(2).firmId, planPoints: 28.5, justification: '踏勘深入，质量保证措施最完备。' },
    ];
    const evaluated = await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores }).expect(200);
    expect(evaluated.body.status).toBe('publicity');
    // totals: A = 33.333 + 15.000 + 8.000 + 25.500 = 81.833
    //         B = 40.000 + 12.000 + 7.000 + 27.000 = 86.000
    //         C = 30.769 + 20.000 + 8.200 + 28.500 = 87.469  → C, B, A
    expect(evaluated.body.result.winners).toEqual([firm(2).firmId]);
    const table = await request(platform.app).get(`/api/v1/projects/${project.id}/comparison`).expect(200);
    expect(table.body.evaluated).toBe(true);
    expect(table.body.rows.map((row: { firmId: number; total: string; rank: number }) => [row.firmId, row.total, row.rank])).toEqual([
      [firm(2).firmId, '87.469', 1],
      [firm(1).firmId, '86.000', 2],
      [firm(0).firmId, '81.833', 3],
    ]);
    expect(table.body.rows.map((row: { milli: { total: number } }) => row.milli.total)).toEqual([87_469, 86_000, 81_833]);
    expect(table.body.rows[0]).toMatchObject({ winner: true, credit: { score: '82.00' }, scores: { credit: '8.200', plan: '28.500' }, justification: '踏勘深入，质量保证措施最完备。' });
    expect(table.body.rows[0].plan).toBeUndefined();
    expect(table.body.tieBreak).toBeNull();

    const again = await post(scene.owner, `/api/v1/projects/${project.id}/evaluation`, { scores }).expect(409);
    expect(again.body.code).toBe('evaluation_locked');
    const notices = await request(platform.app).get(`/api/v1/announcements?projectId=${project.id}`).expect(200);
    expect(notices.body.items.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['comparison_opened', 'result_publicity']));
  });

  it('exports the table as CSV with a BOM and Chinese headers, and as xlsx, both with the formula under it', async () => {
    const csv = await request(platform.app).get(`/api/v1/projects/${project.id}/comparison.csv`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('排名,中介机构,统一社会信用代码,报价（元）,承诺工期（工作日）,信用分（开标时）,信用等级,价格得分（40）,工期得分（20）,信用得分（10）,方案得分（30）,总分,结果,方案评分理由');
    expect(lines[1]).toMatch(/^1,.*,130000\.00,15,82\.00,AA,30\.769,20\.000,8\.200,28\.500,87\.469,中选,踏勘深入/);
    expect(lines).toContain('计分方法');
    expect(lines.some((line) => line.startsWith('总分 = 价格得分 + 工期得分'))).toBe(true);

    const xlsx = await request(platform.app).get(`/api/v1/projects/${project.id}/comparison.xlsx`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = workbook.getWorksheet('比选对照表')!;
    expect(sheet.getRow(1).getCell(12).value).toBe('总分');
    expect(sheet.getRow(2).getCell(12).value).toBe('87.469');
    expect(sheet.getRow(4).getCell(12).value).toBe('81.833');
    expect(sheet.getRow(6).getCell(1).value).toBe('计分方法');
  });

  it('shows the table with every partial score on the public project page', async () => {
    const page = await request(platform.app).get(`/projects/${project.id}`).expect(200);
    expect(page.text).toContain('比选对照表');
    expect(page.text).toContain('87.469');
    expect(page.text).toContain('30.769');
    expect(page.text).toContain('计分方法');
    expect(page.text).not.toContain('丙：增加现场踏勘');
  });
});

describe('comparison terms and proposals', () => {
  let platform: TestPlatform;
  let scene: Awaited<ReturnType<typeof aComparisonScene>>;
  beforeAll(async () => {
    platform = await createTestPlatform();
    scene = await aComparisonScene(platform, 3);
  });
  afterAll(() => platform.close());

  it('refuses weights that do not sum to 100, a comparison without weights and weights on another method (400 naming options.weights)', async () => {
    const create = (terms: Record<string, unknown>) => post(scene.owner, '/api/v1/projects', terms);
    const off = await create(comparisonTerms(scene.service.code, { price: 40, credit: 10, time: 20, plan: 20 })).expect(400);
    expect(off.body.errors).toEqual([expect.objectContaining({ path: 'options.weights', message: expect.stringContaining('sum to 90') })]);
    const none = await create(comparisonTerms(scene.service.code, {}, { options: {} })).expect(400);
    expect(none.body.errors[0].path).toBe('options.weights');
    const inquiry = await create(comparisonTerms(scene.service.code, WEIGHTS, { method: 'inquiry' })).expect(400);
    expect(inquiry.body.errors[0].path).toBe('options.weights');
    const criteria = await create(comparisonTerms(scene.service.code, WEIGHTS, { options: { weights: WEIGHTS, planCriteria: [{ criterion: '技术路线', maxPoints: 20 }] } })).expect(400);
    expect(criteria.body.errors[0].path).toBe('options.planCriteria');
    const fine = await create(comparisonTerms(scene.service.code, WEIGHTS, { options: { weights: WEIGHTS, planCriteria: [{ criterion: '技术路线', maxPoints: 20 }, { criterion: '进度与质量保证', maxPoints: 10 }] } })).expect(201);
    expect(fine.body.options.planCriteria).toHaveLength(2);
  });

  it('takes the weights from the new-project form and shows the refusal next to them', async () => {
    const session = await loggedInAs(platform, 'owner');
    const page = await session.agent.get('/projects/new').expect(200);
    expect(page.text).toContain('name="weightPrice"');
    const form = {
      _csrf: csrfFrom(page.text), serviceCode: scene.service.code, title: '环境影响评价比选项目', description: '编制报告表。', budget: '150000',
      method: 'comparison', winners: '1', minRespondents: '3', registrationDays: '5', submissionDays: '3',
      weightPrice: '40', weightCredit: '10', weightTime: '20', weightPlan: '20',
    };
    const refused = await session.agent.post('/projects/new').type('form').send(form).expect(400);
    expect(refused.text).toContain('比选权重须为四个整数，合计 100。');
    const created = await session.agent.post('/projects/new').type('form').send({ ...form, weightPlan: '30' }).expect(303);
    const id = /\/projects\/(\d+)/.exec(created.headers.location!)![1];
    const draft = await session.agent.get(`/api/v1/projects/${id}`).expect(200);
    expect(draft.body.options.weights).toEqual(WEIGHTS);
  });

  it('refuses promised days above the service time limit, or a proposal without days or plan (400); amendments keep the weights', async () => {
    const project = await aComparisonProject(scene.owner, scene.firms, scene.service.code, WEIGHTS);
    platform.clock.set(DURING_SUBMISSIONS);
    const above = await propose(scene.firms[0]!, project.id, 10_000_000, 31).expect(400);
    expect(above.body).toMatchObject({ code: 'promised_days_above_limit', errors: [{ path: 'body.promisedDays' }] });
    await propose(scene.firms[0]!, project.id, 10_000_000, 30).expect(201);
    const noDays = await post(scene.firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000, plan: '方案' }).expect(400);
    expect(noDays.body.errors[0].path).toBe('body.promisedDays');
    const noPlan = await post(scene.firms[1]!, `/api/v1/projects/${project.id}/submissions`, { amountFen: 10_000_000, promisedDays: 10 }).expect(400);
    expect(noPlan.body.errors[0].path).toBe('body.plan');
    await post(scene.owner, `/api/v1/projects/${project.id}/amendments`, { description: '补充服务要求。', options: { weights: { price: 100, credit: 0, time: 0, plan: 0 } }, reason: '补充说明' }).expect(200);
    expect((await request(platform.app).get(`/api/v1/projects/${project.id}`)).body.options.weights).toEqual(WEIGHTS);
  });
});

describe('a tie on the total', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('is broken by the tie-break lottery committed at publication, whose record the result links', async () => {
    const { verifyLotteryRecord } = await import('../../src/lottery/algorithm/index.js');
    const { service, owner, firms } = await aComparisonScene(platform, 3);
    const project = await aComparisonProject(owner, firms, service.code, { price: 50, credit: 0, time: 0, plan: 50 });
    expect(project.tieBreakLotteryId).toBeTruthy();
    platform.clock.set(DURING_SUBMISSIONS);
    await propose(firms[0]!, project.id, 10_000_000, 20).expect(201);
    await propose(firms[1]!, project.id, 12_500_000, 20).expect(201);
    await propose(firms[2]!, project.id, 11_000_000, 20).expect(201);
    platform.clock.set(AT_OPENING);
    // A = 50 × 10,000,000 / 10,000,000 + 40 = 50.000 + 40.000 = 90.000
    // B = 50 × 10,000,000 / 12,500,000 + 50 = 40.000 + 50.000 = 90.000  (equal to A)
    // C = 50 × 10,000,000 / 11,000,000 + 10 = 45.455 + 10.000 = 55.455  (45.4545… rounds to 45.455)
    const scores = [
      { firmId: firms[0]!.firmId, planPoints: 40, justification: '方案较完整，但进度保障一般。' },
      { firmId: firms[1]!.firmId, planPoints: 50, justification: '方案最完整，进度与质量措施具体。' },
      { firmId: firms[2]!.firmId, planPoints: 10, justification: '方案简略，缺少质量保证措施。' },
    ];
    const evaluated = await post(owner, `/api/v1/projects/${project.id}/evaluation`, { scores }).expect(200);
    expect(evaluated.body.status).toBe('publicity');
    expect(evaluated.body.result.tieBreak).toMatchObject({ lotteryId: project.tieBreakLotteryId, firmIds: [firms[0]!.firmId, firms[1]!.firmId] });

    const record = await request(platform.app).get(`/api/v1/lotteries/${project.tieBreakLotteryId}`).expect(200);
    expect(verifyLotteryRecord(record.body)).toEqual({ ok: true });
    expect(record.body.candidates).toHaveLength(2);
    const table = await request(platform.app).get(`/api/v1/projects/${project.id}/comparison`).expect(200);
    expect(table.body.tieBreak).toMatchObject({ lotteryId: project.tieBreakLotteryId, order: record.body.order });
    expect(table.body.rows.map((row: { uscc: string }) => row.uscc).slice(0, 2)).toEqual(record.body.order);
    expect(table.body.rows.map((row: { total: string; rank: number }) => [row.total, row.rank])).toEqual([['90.000', 1], ['90.000', 2], ['55.455', 3]]);
    expect(evaluated.body.result.winners).toEqual([table.body.rows[0].firmId]);
    await post(owner, `/api/v1/projects/${project.id}/evaluation`, { scores }).expect(409);
  });
});
