import { sql } from 'drizzle-orm';
import request from 'supertest';
import { aFirm, logIn, withToken, loggedInAs, type LoggedIn } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const START = '2026-11-25T09:00:00+08:00';

describe('blacklist over the API', () => {
  let platform: TestPlatform;
  let staff: LoggedIn;
  beforeEach(async () => {
    platform = await createTestPlatform();
    platform.clock.set(START);
    staff = await withToken(platform, await loggedInAs(platform, 'staff'));
  });
  afterEach(() => platform.close());

  const publish = (firmId: number, extra: object = {}) =>
    staff.agent.post('/api/v1/blacklist').send({ firmId, reason: '出具虚假报告', basis: '中介服务超市管理办法第三十条', evidence: '行政处罚决定书 杭建罚〔2026〕12号', ...extra });
  const statusOf = async (id: number) => (await request(platform.app).get(`/api/v1/blacklist/${id}`).expect(200)).body.status;
  const register = (firm: LoggedIn, projectId: number) => post(firm, `/api/v1/projects/${projectId}/registrations`);

  it('publishes an entry, lists it publicly with a notice, and never deletes it', async () => {
    const { firmId } = await aFirm(platform, { admitted: true, name: '黑名单测试<&>中介有限公司' });
    const created = await publish(firmId, { endsAt: '2027-11-25T09:00:00+08:00' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ firmId, status: 'active', endsAt: '2027-11-25T09:00:00.000+08:00', appealDeadline: '2026-12-10T09:00:00.000+08:00' });
    const list = await request(platform.app).get('/api/v1/blacklist').expect(200);
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, firmName: '黑名单测试<&>中介有限公司', status: 'active' });
    expect((await request(platform.app).get('/api/v1/blacklist').query({ q: '不存在' }).expect(200)).body.total).toBe(0);
    const notices = await request(platform.app).get('/api/v1/announcements').expect(200);
    expect(notices.body.items.find((item: { kind: string }) => item.kind === 'blacklist_entry')?.title).toContain('黑名单测试<&>中介有限公司');
    const trail = await request(platform.app).get(`/api/v1/audit/trail/blacklist_entry/${created.body.id}`).expect(200);
    expect(JSON.stringify(trail.body)).toContain('blacklist.published');

    await staff.agent.post(`/api/v1/blacklist/${created.body.id}/revoke`).send({ reason: '信用修复，提前移出' }).expect(200);
    await staff.agent.post(`/api/v1/blacklist/${created.body.id}/revoke`).send({ reason: '再次撤销' }).expect(409);
    expect((await request(platform.app).get('/api/v1/blacklist').expect(200)).body.total).toBe(0);
    const all = await request(platform.app).get('/api/v1/blacklist').query({ status: 'all' }).expect(200);
    expect(all.body.items[0]).toMatchObject({ status: 'revoked', revokeReason: '信用修复，提前移出' });
  });

  it('exports CSV with a BOM and Chinese headers, and an escaped Atom feed', async () => {
    const { firmId } = await aFirm(platform, { admitted: true, name: '导出测试<&>中介有限公司' });
    await publish(firmId).expect(201);
    const csv = await request(platform.app).get('/api/v1/blacklist/export.csv').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF编号,机构名称,统一社会信用代码,列入事由,法律依据')).toBe(true);
    expect(text).toContain('导出测试<&>中介有限公司');
    expect(text).toContain('无固定期限');
    const feed = await request(platform.app).get('/blacklist/feed.atom').expect(200);
    expect(feed.headers['content-type']).toMatch(/^application\/atom\+xml/);
    expect(feed.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(feed.text).toContain('<title>导出测试&lt;&amp;&gt;中介有限公司 列入黑名单</title>');
    expect(feed.text).not.toContain('导出测试<&>');
  });

  it('is expired at the exact second endsAt is reached, and scheduled until startsAt', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    const startsAt = new Date(Date.parse(START) + DAY_MS);
    const endsAt = new Date(Date.parse(START) + 10 * DAY_MS);
    const created = await publish(firmId, { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() });
    expect(created.body.status).toBe('scheduled');
    platform.clock.set(new Date(startsAt.getTime() - 1000));
    expect(await statusOf(created.body.id)).toBe('scheduled');
    platform.clock.set(startsAt);
    expect(await statusOf(created.body.id)).toBe('active');
    platform.clock.set(new Date(endsAt.getTime() - 1));
    expect(await statusOf(created.body.id)).toBe('active');
    platform.clock.set(endsAt);
    expect(await statusOf(created.body.id)).toBe('expired');
    expect((await request(platform.app).get('/api/v1/blacklist').query({ status: 'expired' }).expect(200)).body.total).toBe(1);
  });

  it('refuses registration from the second an entry becomes active, and allows it again once it expires', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const firm = firms[0]!;
    const startsAt = new Date(Date.parse(START) + 60 * 60 * 1000);
    const endsAt = new Date(Date.parse(START) + 2 * 60 * 60 * 1000);
    await publish(firm.firmId, { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() }).expect(201);
    const first = await publishedProject(owner, projectTerms(service.code));
    const second = await publishedProject(owner, projectTerms(service.code));
    const eligibility = () => staff.agent.get(`/api/v1/firms/${firm.firmId}/eligibility`).query({ service: service.code });

    platform.clock.set(new Date(startsAt.getTime() - 1000));
    expect((await eligibility()).body.eligible).toBe(true);
    platform.clock.set(startsAt);
    const refused = await register(firm, first.id);
    expect(refused.status).toBe(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toEqual(['blacklisted']);
    platform.clock.set(new Date(endsAt.getTime() - 1000));
    expect((await register(firm, first.id)).status).toBe(422);
    platform.clock.set(endsAt);
    expect((await register(firm, second.id)).status).toBe(201);
  });

  it('invalidates the firm’s open registrations on publication, and direct selection refuses it', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 2);
    const [listed, other] = firms;
    // a lottery: staff may read its registrants while registration is open (a sealed method's are sealed)
    const project = await publishedProject(owner, projectTerms(service.code, { method: 'lottery', submissionCloses: undefined }));
    await register(listed!, project.id).expect(201);
    await register(other!, project.id).expect(201);
    await publish(listed!.firmId).expect(201);
    const registrants = await staff.agent.get(`/api/v1/projects/${project.id}/registrations`).expect(200);
    const byFirm = Object.fromEntries(registrants.body.items.map((r: { firmId: number; status: string; statusReason: string | null }) => [r.firmId, [r.status, r.statusReason]]));
    expect(byFirm[listed!.firmId]).toEqual(['invalid', 'blacklisted']);
    expect(byFirm[other!.firmId]).toEqual(['active', null]);

    const direct = await publishedProject(owner, projectTerms(service.code, { method: 'direct', submissionCloses: undefined }));
    const refused = await post(owner, `/api/v1/projects/${direct.id}/direct-selection`, { firmId: listed!.firmId, reason: '应急项目，直接选取' });
    expect(refused.status).toBe(422);
    expect(refused.body.failures.map((f: { rule: string }) => f.rule)).toContain('blacklisted');
  });

  it('invalidates at the registration-close re-check an entry that became active after the firm registered', async () => {
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const firm = firms[0]!;
    const project = await publishedProject(owner, projectTerms(service.code, { method: 'lottery', submissionCloses: undefined }));
    await register(firm, project.id).expect(201);
    const startsAt = new Date(Date.parse(project.registrationClosesAt) - 60 * 1000);
    await publish(firm.firmId, { startsAt: startsAt.toISOString() }).expect(201);
    platform.clock.set(new Date(Date.parse(project.registrationClosesAt) + 1000));
    const registrants = await staff.agent.get(`/api/v1/projects/${project.id}/registrations`).expect(200);
    expect(registrants.body.items).toEqual([expect.objectContaining({ firmId: firm.firmId, status: 'invalid', statusReason: 'blacklisted' })]);
  });

  it('lets only the listed firm appeal, within the period; staff uphold and the entry is revoked', async () => {
    const listed = await aFirm(platform, { admitted: true });
    const other = await aFirm(platform, { admitted: true });
    const own = await withToken(platform, await logIn(platform, listed.account));
    const stranger = await withToken(platform, await logIn(platform, other.account));
    const entry = (await publish(listed.firmId).expect(201)).body;
    await stranger.agent.post(`/api/v1/blacklist/${entry.id}/appeals`).send({ grounds: '代为申诉' }).expect(403);
    const appeal = await own.agent.post(`/api/v1/blacklist/${entry.id}/appeals`).send({ grounds: '处罚决定已被复议撤销' });
    expect(appeal.status).toBe(201);
    await own.agent.post(`/api/v1/blacklist/${entry.id}/appeals`).send({ grounds: '再次申诉' }).expect(409);
    await own.agent.post(`/api/v1/blacklist/${entry.id}/appeals/${appeal.body.id}/decision`).send({ decision: 'uphold', reason: '成立' }).expect(403);
    const decided = await staff.agent.post(`/api/v1/blacklist/${entry.id}/appeals/${appeal.body.id}/decision`).send({ decision: 'uphold', reason: '复议决定书撤销了原处罚' });
    expect(decided.status).toBe(200);
    expect(await statusOf(entry.id)).toBe('revoked');
    const shown = (await request(platform.app).get(`/api/v1/blacklist/${entry.id}`).expect(200)).body;
    expect(shown.appeals).toEqual([expect.objectContaining({ decision: 'upheld', decisionReason: '复议决定书撤销了原处罚' })]);
    expect(shown.appeals[0].grounds).toBeUndefined();
    expect((await request(platform.app).get(`/api/v1/firms/${listed.firmId}/credit`).expect(200)).body.blacklisted).toBe(false);
  });

  it('shows a pending appeal with its grounds to the listed firm and staff, and not to the public', async () => {
    const listed = await aFirm(platform, { admitted: true });
    const own = await withToken(platform, await logIn(platform, listed.account));
    const entry = (await publish(listed.firmId).expect(201)).body;
    await own.agent.post(`/api/v1/blacklist/${entry.id}/appeals`).send({ grounds: '证据不足' }).expect(201);
    const pending = { grounds: '证据不足', decision: null, decisionReason: null, decidedAt: null };
    expect((await own.agent.get(`/api/v1/blacklist/${entry.id}`).expect(200)).body.appeals).toEqual([expect.objectContaining(pending)]);
    expect((await staff.agent.get(`/api/v1/blacklist/${entry.id}`).expect(200)).body.appeals).toEqual([expect.objectContaining(pending)]);
    expect((await request(platform.app).get(`/api/v1/blacklist/${entry.id}`).expect(200)).body.appeals).toEqual([]);
  });

  it('refuses an appeal once the period is over (409), at its exact end', async () => {
    const listed = await aFirm(platform, { admitted: true });
    const own = await withToken(platform, await logIn(platform, listed.account));
    const entry = (await publish(listed.firmId).expect(201)).body;
    platform.clock.set(new Date(Date.parse(START) + 15 * DAY_MS - 1000));
    const inTime = await own.agent.post(`/api/v1/blacklist/${entry.id}/appeals`).send({ grounds: '最后一秒申诉' });
    expect(inTime.status).toBe(201);
    await staff.agent.post(`/api/v1/blacklist/${entry.id}/appeals/${inTime.body.id}/decision`).send({ decision: 'dismiss', reason: '理由不成立' }).expect(200);
    expect(await statusOf(entry.id)).toBe('active');
    platform.clock.set(new Date(Date.parse(START) + 15 * DAY_MS));
    const late = await own.agent.post(`/api/v1/blacklist/${entry.id}/appeals`).send({ grounds: '逾期申诉' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('appeal_period_over');
  });

  it('shows a blacklisted firm as blacklisted whatever its score', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    await staff.agent.post(`/api/v1/firms/${firmId}/credit-events`).send({ kind: 'owner_rating_good', note: '好评' }).expect(201);
    await publish(firmId).expect(201);
    expect((await request(platform.app).get(`/api/v1/firms/${firmId}/credit`).expect(200)).body).toMatchObject({ score: 82, grade: 'AA', blacklisted: true });
    const html = (await request(platform.app).get(`/firms/${firmId}`).expect(200)).text;
    expect(html).toContain('data-credit-blacklisted');
    expect((await request(platform.app).get('/api/v1/firms').query({ minGrade: 'C', pageSize: 100 }).expect(200)).body.items.map((f: { id: number }) => f.id)).not.toContain(firmId);
  });

  it('keeps entries and credit events in the database: no delete, no rewrite', async () => {
    const { firmId } = await aFirm(platform, { admitted: true });
    const entry = (await publish(firmId).expect(201)).body;
    const event = (await staff.agent.post(`/api/v1/firms/${firmId}/credit-events`).send({ kind: 'violation_minor', note: '违规' }).expect(201)).body;
    const db = platform.database.db;
    await expect(db.execute(sql`delete from blacklist_entries where id = ${entry.id}`)).rejects.toThrow();
    await expect(db.execute(sql`update blacklist_entries set reason = '改写' where id = ${entry.id}`)).rejects.toThrow();
    await expect(db.execute(sql`update credit_events set kind = 'delivery_on_time' where id = ${event.id}`)).rejects.toThrow();
    await expect(db.execute(sql`delete from credit_events where id = ${event.id}`)).rejects.toThrow();
    await staff.agent.post(`/api/v1/blacklist/${entry.id}/revoke`).send({ reason: '信用修复' }).expect(200);
    await expect(db.execute(sql`update blacklist_entries set revoke_reason = '改写' where id = ${entry.id}`)).rejects.toThrow();
  });

  it('renders the public pages', async () => {
    const { firmId } = await aFirm(platform, { admitted: true, name: '页面测试中介有限公司' });
    const entry = (await publish(firmId).expect(201)).body;
    const list = await request(platform.app).get('/blacklist').expect(200);
    expect(list.text).toContain(`<a href="/blacklist/${entry.id}">页面测试中介有限公司</a>`);
    expect(list.text).toContain('生效中');
    const page = await request(platform.app).get(`/blacklist/${entry.id}?lang=en`).expect(200);
    expect(page.text).toContain('Blacklist entry: 页面测试中介有限公司');
    await request(platform.app).get('/blacklist/999999').expect(404);
  });
});
