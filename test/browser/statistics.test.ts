import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { result, rows } from '../transparency/rows.js';

describe('the statistics page (Chromium)', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
    const r = rows(harness.platform);
    const owner = await r.org('owner');
    const firms = [await r.org('agency'), await r.org('agency')];
    const user = await r.user(firms[0]!.id);
    const project = await r.project(owner.id, user.id, {
      method: 'inquiry',
      status: 'publicity',
      budgetFen: 100_000,
      publishedAt: new Date('2026-11-02T09:00:00+08:00'),
      result: result('2026-11-06T10:00:00+08:00', [{ firmId: firms[0]!.id, amountFen: 75_000 }, { firmId: firms[1]!.id, amountFen: 80_000 }]),
    });
    for (const firm of firms) await r.registration(project.id, firm.id);
    await r.project(owner.id, user.id, { method: 'lottery', status: 'registering' });
  });
  afterAll(() => harness.close());

  it('shows each chart as an image with a text alternative and its data table', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.baseUrl}/statistics`);
    await page.getByRole('heading', { level: 1, name: '统计' }).waitFor();
    const charts = page.getByRole('img');
    expect(await charts.count()).toBe(8);
    for (const chart of await charts.all()) {
      // the accessible name comes from the chart's <title>, the description from its <desc>
      const name = await chart.evaluate((svg) => svg.querySelector('title')?.textContent ?? '');
      expect(name.length).toBeGreaterThan(2);
      await expect(chart.isVisible()).resolves.toBe(true);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(200);
    }
    const methods = page.getByRole('img', { name: '按选取方式统计项目数' });
    await expect(methods.getAttribute('aria-labelledby')).resolves.toBe('chart-methods-title chart-methods-desc');
    const description = await page.locator('#chart-methods-desc').textContent();
    expect(description).toContain('询价: 1');
    expect(await page.locator('#chart-methods rect').count()).toBe(2);

    const savings = page.getByRole('table', { name: /节约资金/ });
    await expect(savings.getByRole('row', { name: /合计/ }).textContent()).resolves.toContain('25.00 %');
    await expect(page.getByRole('table', { name: /按选取方式统计项目数/ }).getByRole('rowheader').allTextContents()).resolves.toEqual(['询价', '网上摇号']);
  });

  it('is in English too', async () => {
    const page = await harness.newPage({ locale: 'en' });
    await page.goto(`${harness.baseUrl}/statistics?lang=en`);
    await page.getByRole('img', { name: 'Projects by selection method' }).waitFor();
    expect(await page.getByRole('table', { name: /Savings/ }).count()).toBe(1);
  });
});
