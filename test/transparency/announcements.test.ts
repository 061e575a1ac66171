import request from 'supertest';
import { retireServiceItem } from '../../src/catalog/service.js';
import { aSelectionScene, projectTerms, publishedProject } from '../projects/support.js';
import { aFirm, loggedInAs, withToken } from '../support/builders.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { assertAtomFeed, childrenNamed, childText, parseXml } from './xml.js';

describe('announcements: API, page and Atom feeds', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
    platform.clock.set('2026-11-23T09:00:00+08:00');
  });
  afterAll(() => platform.close());

  let projectId: number;
  let entryId: number;
  let serviceCode: string;

  it('gathers project notices, blacklist notices and catalogue changes, each with its link', async () => {
    const { service, owner } = await aSelectionScene(platform, 0);
    serviceCode = service.code;
    platform.clock.set('2026-11-24T09:00:00+08:00');
    projectId = (await publishedProject(owner, projectTerms(service.code, { title: '道路<改建>&环评 "项目"' }))).id;
    platform.clock.set('2026-11-25T09:00:00+08:00');
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const { firmId } = await aFirm(platform, { admitted: true, name: '通报<&>测试中介有限公司' });
    const entry = await staff.agent.post('/api/v1/blacklist').send({ firmId, reason: '出具虚假报告', basis: '管理办法第三十条', evidence: '处罚决定书' }).expect(201);
    entryId = entry.body.id;
    platform.clock.set('2026-11-26T09:00:00+08:00');
    await retireServiceItem(platform, 'user:1', service.code, '并入其他事项');

    const all = await request(platform.app).get('/api/v1/announcements').expect(200);
    const byKind = (kind: string) => all.body.items.filter((item: { kind: string }) => item.kind === kind);
    expect(byKind('project_notice')).toEqual([expect.objectContaining({ projectId, link: `/projects/${projectId}`, title: expect.stringContaining('道路<改建>&环评') })]);
    expect(byKind('blacklist_entry')).toEqual([expect.objectContaining({ entityType: 'blacklist_entry', entityId: String(entryId), link: `/blacklist/${entryId}` })]);
    const catalogue = byKind('catalogue_change');
    expect(catalogue.map((item: { title: string }) => item.title)).toEqual(expect.arrayContaining([expect.stringContaining('清单停用公告'), expect.stringContaining('清单发布公告')]));
    expect(catalogue.every((item: { link: string }) => item.link === `/services/${service.code}`)).toBe(true);
    // newest first
    expect(all.body.items[0]).toMatchObject({ kind: 'catalogue_change', publishedAt: '2026-11-26T09:00:00.000+08:00' });
  });

  it('filters by kind, project and date range, and pages', async () => {
    const kind = await request(platform.app).get('/api/v1/announcements').query({ kind: 'blacklist_entry' }).expect(200);
    expect(kind.body).toMatchObject({ total: 1, items: [expect.objectContaining({ kind: 'blacklist_entry' })] });
    const project = await request(platform.app).get('/api/v1/announcements').query({ projectId }).expect(200);
    expect(project.body.items.map((item: { kind: string }) => item.kind)).toEqual(['project_notice']);
    const since = await request(platform.app).get('/api/v1/announcements').query({ since: '2026-11-25T00:00:00+08:00' }).expect(200);
    expect(since.body.items.map((item: { kind: string }) => item.kind).sort()).toEqual(['blacklist_entry', 'catalogue_change']);
    const range = await request(platform.app).get('/api/v1/announcements').query({ since: '2026-11-24', until: '2026-11-25' }).expect(200);
    expect(range.body.items.map((item: { kind: string }) => item.kind).sort()).toEqual(['blacklist_entry', 'project_notice']);
    const total = (await request(platform.app).get('/api/v1/announcements').expect(200)).body.total as number;
    const page2 = await request(platform.app).get('/api/v1/announcements').query({ pageSize: 1, page: 2 }).expect(200);
    expect(page2.body).toMatchObject({ total, page: 2, pageSize: 1 });
    expect(page2.body.items).toHaveLength(1);
    const bad = await request(platform.app).get('/api/v1/announcements').query({ kind: 'Robert"); DROP', since: 'yesterday' }).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('publishes a well-formed Atom feed of all announcements, escaped, linking each entry', async () => {
    const response = await request(platform.app).get('/feeds/announcements.atom').expect(200);
    expect(response.headers['content-type']).toContain('application/atom+xml');
    expect(response.text).toContain('&lt;改建&gt;&amp;环评 &quot;项目&quot;');
    const feed = parseXml(response.text);
    assertAtomFeed(feed);
    const entries = childrenNamed(feed, 'entry');
    const total = (await request(platform.app).get('/api/v1/announcements').expect(200)).body.total as number;
    expect(entries).toHaveLength(total);
    const links = entries.map((entry) => childrenNamed(entry, 'link')[0]!.attributes.href);
    expect(links).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`/projects/${projectId}$`)), expect.stringMatching(new RegExp(`/blacklist/${entryId}$`)), expect.stringMatching(new RegExp(`/services/${serviceCode}$`))]));
    expect(entries.map((entry) => childText(entry, 'title'))).toContain('项目公告：道路<改建>&环评 "项目"');
  });

  it('publishes one feed per kind, and refuses a malformed kind', async () => {
    const response = await request(platform.app).get('/feeds/announcements/blacklist_entry.atom').expect(200);
    const feed = parseXml(response.text);
    assertAtomFeed(feed);
    const entries = childrenNamed(feed, 'entry');
    expect(entries).toHaveLength(1);
    expect(childText(entries[0]!, 'title')).toContain('通报<&>测试中介有限公司');
    expect(childrenNamed(entries[0]!, 'category')[0]!.attributes.term).toBe('blacklist_entry');
    const empty = parseXml((await request(platform.app).get('/feeds/announcements/project_failed.atom').expect(200)).text);
    assertAtomFeed(empty);
    expect(childrenNamed(empty, 'entry')).toHaveLength(0);
    await request(platform.app).get('/feeds/announcements/NOT-A-KIND.atom').expect(400);
  });

  it('writes the blacklist feed with the same well-formed writer', async () => {
    const feed = parseXml((await request(platform.app).get('/blacklist/feed.atom').expect(200)).text);
    assertAtomFeed(feed);
    expect(childText(childrenNamed(feed, 'entry')[0]!, 'title')).toBe('通报<&>测试中介有限公司 列入黑名单');
  });

  it('shows the announcements page with filters and links', async () => {
    const page = await request(platform.app).get('/announcements').query({ kind: 'blacklist_entry', since: '2026-11-01', until: '2026-11-30' }).expect(200);
    expect(page.text).toContain(`href="/blacklist/${entryId}"`);
    expect(page.text).not.toContain(`href="/projects/${projectId}"`);
    expect(page.text).toContain('<option value="blacklist_entry" selected>');
    expect(page.text).toContain('value="2026-11-01"');
    expect(page.text).toContain('href="/feeds/announcements/blacklist_entry.atom"');
    expect(page.text).toContain('通报&lt;&amp;&gt;测试中介有限公司');
    const paged = await request(platform.app).get('/announcements').query({ pageSize: 1 }).expect(200);
    expect(paged.text).toContain('rel="next"');
  });
});
