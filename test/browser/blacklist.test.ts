import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { loggedInAs, withToken } from '../support/builders.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';

describe('blacklist journey in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());

  it('staff blacklist a firm; the public page and feed show it; its registration is refused naming the rule', async () => {
    const platform = harness.platform;
    const { service, owner, firms } = await aSelectionScene(platform, 1);
    const firm = firms[0]!;
    const project = await publishedProject(owner, projectTerms(service.code));
    const staff = await withToken(platform, await loggedInAs(platform, 'staff'));
    const entry = await staff.agent.post('/api/v1/blacklist').send({
      firmId: firm.firmId,
      reason: '在中介服务中出具虚假报告',
      basis: '中介服务超市管理办法第三十条',
      evidence: '行政处罚决定书 杭建罚〔2026〕12号',
    });
    expect(entry.status).toBe(201);

    const page = await harness.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    await page.goto(`${harness.baseUrl}/blacklist`);
    const row = page.locator('table.blacklist tbody tr', { hasText: entry.body.firmName });
    await row.waitFor();
    expect(await row.locator('td').last().textContent()).toBe('生效中');
    await row.locator('a').click();
    await page.waitForURL(`${harness.baseUrl}/blacklist/${entry.body.id}`);
    expect(await page.locator('h1').textContent()).toContain(entry.body.firmName);
    expect(await page.locator('.facts').textContent()).toContain('中介服务超市管理办法第三十条');

    const feed = await page.goto(`${harness.baseUrl}/blacklist/feed.atom`);
    expect(feed!.headers()['content-type']).toMatch(/^application\/atom\+xml/);
    const xml = await feed!.text();
    // entry ids come from PUBLIC_BASE_URL, never from the address the browser used
    expect(xml).toContain(`<id>${harness.platform.config.publicBaseUrl}/blacklist/${entry.body.id}</id>`);
    expect(xml).toContain(`${entry.body.firmName} 列入黑名单`);

    await page.goto(`${harness.baseUrl}/firms/${firm.firmId}`);
    expect(await page.locator('[data-credit-grade]').textContent()).toBe('黑名单');
    expect(await page.locator('svg.credit-chart polyline').count()).toBe(1);
    expect(problems).toEqual([]);

    const refused = await post(firm, `/api/v1/projects/${project.id}/registrations`);
    expect(refused.status).toBe(422);
    expect(refused.body.failures).toEqual([expect.objectContaining({ rule: 'blacklisted' })]);
  });
});
