import request from 'supertest';
import { findEvents } from '../../src/audit/repository.js';
import { checkEligibility } from '../../src/firms/eligibility.js';
import { aFirm, aUscc, loggedInAs, type LoggedIn, csrfFrom } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';

const HEADER = 'name,uscc_or_id,case_number,court,date';

describe('joint punishment of dishonest judgment debtors', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeAll(async () => {
    platform = await createTestPlatform();
    staff = await loggedInAs(platform, 'staff');
  });
  afterAll(() => platform.close());

  const importList = (csv: string, sourceName = '最高人民法院失信被执行人名单 2026-11-20') =>
    staff.agent.post('/api/v1/debtors/imports').set('X-CSRF-Token', staff.csrfToken).send({ sourceName, csv });

  it('flags firms matching by USCC or by the legal representative ID, audits each match, and refuses them', async () => {
    const byCode = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'], name: '失信代码咨询有限公司' });
    const byPerson = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'], legalRepresentativeId: '11010519491231002X', name: '失信法人咨询有限公司' });
    const clean = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'], name: '守信咨询有限公司' });
    const uscc = (await platform.database.db.execute(`select uscc from organizations where id = ${byCode.firmId}`) as unknown as { rows: { uscc: string }[] }).rows[0]!.uscc;
    const csv = `\uFEFF${HEADER}\n失信代码咨询有限公司,${uscc},(2026)浙0106执1234号,杭州市西湖区人民法院,2026-10-08\n周某,11010519491231002X,(2025)京0105执77号,北京市朝阳区人民法院,2025-12-01\n无关公司,${aUscc()},(2026)沪0101执5号,上海市黄浦区人民法院,2026-03-03\n`;
    const response = await importList(csv).expect(201);
    expect(response.body.imported).toBe(3);
    expect(response.body.matches.map((m: { firmId: number }) => m.firmId).sort()).toEqual([byCode.firmId, byPerson.firmId].sort());

    const events = (await findEvents(platform.database.db, { action: 'firm.debtor_matched' }, { offset: 0, limit: 10 })).items;
    expect(events.map((event) => Number(event.entityId)).sort()).toEqual([byCode.firmId, byPerson.firmId].sort());

    const answer = await checkEligibility(platform.database.db, platform.clock, { firmId: byPerson.firmId, serviceCode: 'ZJ-001' });
    expect(answer.failures).toEqual([{ rule: 'dishonest_debtor', message: expect.stringContaining('(2025)京0105执77号') }]);
    expect((await checkEligibility(platform.database.db, platform.clock, { firmId: clean.firmId, serviceCode: 'ZJ-001' })).eligible).toBe(true);

    // staff pages carry the prominent warning; the public page does not show the private match
    const staffPage = await staff.agent.get(`/firms/${byCode.firmId}`).expect(200);
    expect(staffPage.text).toContain('class="debtor-warning" role="alert"');
    expect(staffPage.text).toContain('<dialog class="debtor-dialog" data-open-on-load');
    expect((await staff.agent.get('/firms').expect(200)).text).toContain('失信被执行人');
    const publicPage = await request(platform.app).get(`/firms/${byCode.firmId}`).expect(200);
    expect(publicPage.text).not.toContain('debtor-warning');
  });

  it('replaces the list on the next import: a firm no longer listed is no longer flagged', async () => {
    const firm = await aFirm(platform, { admitted: true, qualifiedFor: ['ZJ-001'] });
    const uscc = (await platform.database.db.execute(`select uscc from organizations where id = ${firm.firmId}`) as unknown as { rows: { uscc: string }[] }).rows[0]!.uscc;
    await importList(`${HEADER}\n某公司,${uscc},(2026)浙01执1号,杭州市中级人民法院,2026-01-01\n`).expect(201);
    expect((await checkEligibility(platform.database.db, platform.clock, { firmId: firm.firmId, serviceCode: 'ZJ-001' })).eligible).toBe(false);
    await importList(`${HEADER}\n别的公司,${aUscc()},(2026)浙01执2号,杭州市中级人民法院,2026-01-02\n`).expect(201);
    expect((await checkEligibility(platform.database.db, platform.clock, { firmId: firm.firmId, serviceCode: 'ZJ-001' })).eligible).toBe(true);
  });

  it('reports every bad row with its line number and imports nothing', async () => {
    const before = (await staff.agent.get('/api/v1/debtors').expect(200)).body.latest;
    const csv = `${HEADER}\n好公司,${aUscc()},(2026)浙01执3号,杭州市中级人民法院,2026-01-01\n,91330100MA2H00001X,(2026)浙01执4号,某法院,2026-01-01\n坏日期,${aUscc()},(2026)浙01执5号,某法院,2026/01/01\n`;
    const response = await importList(csv).expect(422);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect(response.body.report.problems.map((p: { row: number }) => p.row)).toEqual([3, 4]);
    expect(response.body.report.problems[0].errors.join(' ')).toContain('name is empty');
    expect((await staff.agent.get('/api/v1/debtors').expect(200)).body.latest).toEqual(before);
  });

  it('rejects a file without the needed columns and a malformed CSV', async () => {
    const missing = await importList('name,court\n某,某法院\n').expect(422);
    expect(missing.body.report.problems[0].errors[0]).toContain('missing columns');
    const malformed = await importList(`${HEADER}\n"unterminated,${aUscc()},x,y,2026-01-01\n`).expect(422);
    expect(malformed.body.report.problems[0].row).toBe(0);
  });

  it('is for staff only', async () => {
    const owner = await loggedInAs(platform, 'owner');
    await owner.agent.post('/api/v1/debtors/imports').set('X-CSRF-Token', owner.csrfToken).send({ sourceName: '伪造名单', csv: HEADER }).expect(403);
  });

  it('imports through the staff page and shows the per-row report on errors', async () => {
    const page = await staff.agent.get('/staff/debtors').expect(200);
    const csrf = csrfFrom(page.text);
    const failed = await staff.agent.post('/staff/debtors').type('form').send({ _csrf: csrf, sourceName: '测试名单', csv: `${HEADER}\n坏行,123,x,y,2026-01-01\n` }).expect(422);
    expect(failed.text).toContain('第 2 行');
    const ok = await staff.agent.post('/staff/debtors').type('form').send({ _csrf: csrf, sourceName: '测试名单', csv: `${HEADER}\n好行,${aUscc()},(2026)浙01执9号,某法院,2026-01-01\n` }).expect(200);
    expect(ok.text).toContain('已导入 1 条');
  });
});
