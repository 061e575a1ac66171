import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';

describe('home page in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());

  it('shows the Chinese heading with lang="zh-CN", then English after switching', async () => {
    const page = await harness.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${harness.baseUrl}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('h1').textContent()).toBe('网上中介服务超市');

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Online Intermediary Service Marketplace');
    expect(errors).toEqual([]);
  });

  it('moves keyboard focus to the main content through the skip link', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.baseUrl}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('fits a phone screen without horizontal scrolling', async () => {
    const page = await harness.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${harness.baseUrl}/`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('renders the API docs from local Swagger UI under the CSP', async () => {
    const page = await harness.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${harness.baseUrl}/api/docs`);
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20000 });
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(3);
    expect(violations).toEqual([]);
  });
});
