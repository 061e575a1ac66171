import { anAccount } from '../support/builders.js';
import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';

describe('staff publish a catalogue item and the public finds it (Chromium)', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());

  it('creates a draft, publishes it, and a visitor finds it by two Chinese characters', async () => {
    const account = await anAccount(harness.platform, 'staff');
    const page = await harness.newPage();
    await page.goto(`${harness.baseUrl}/login`);
    await page.getByLabel('用户名').fill(account.username);
    await page.getByLabel('密码').fill(account.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${harness.baseUrl}/`);

    await page.getByRole('link', { name: '服务清单' }).click();
    await page.getByRole('link', { name: '管理服务清单' }).click();
    await page.getByRole('link', { name: '新建服务事项' }).click();
    await page.getByLabel('编码').fill('BR-001');
    await page.getByLabel('服务事项名称').fill('建设项目压覆重要矿产资源评估');
    await page.getByLabel('类别').selectOption('投资建设类');
    await page.getByLabel('设定依据').fill('《中华人民共和国矿产资源法》第三十三条');
    await page.getByLabel('服务时限').fill('20');
    await page.getByLabel('政府指导价').check();
    await page.getByLabel('收费下限（元）').fill('2000');
    await page.getByLabel('收费上限（元）').fill('80000');
    await page.getByLabel('收费依据').fill('政府指导价，按评估区面积分档');
    await page.getByLabel('对应审批事项').fill('建设项目压覆重要矿产资源审批');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/services\/BR-001\?done=created/);
    expect(await page.getByRole('status').first().textContent()).toContain('草稿已创建');

    await page.getByRole('button', { name: '发布', exact: true }).click();
    await page.waitForURL(/\/services\/BR-001\?done=published/);
    expect(await page.locator('.catalog-status').textContent()).toBe('已发布');

    const visitor = await harness.newPage();
    await visitor.goto(`${harness.baseUrl}/services`);
    await visitor.getByLabel('关键词').fill('压覆');
    await visitor.getByRole('button', { name: '检索' }).click();
    await visitor.waitForURL(/q=/);
    const result = visitor.getByRole('link', { name: '建设项目压覆重要矿产资源评估' });
    await result.click();
    await visitor.waitForURL(/\/services\/BR-001$/);
    expect(await visitor.locator('h1').textContent()).toBe('建设项目压覆重要矿产资源评估');
    expect(await visitor.getByText('¥2,000.00 – ¥80,000.00').count()).toBe(1);
    expect(await visitor.getByText('20 个工作日').count()).toBe(1);

    // two characters of the legal basis find it too
    await visitor.goto(`${harness.baseUrl}/services?q=${encodeURIComponent('矿产')}`);
    expect(await visitor.getByRole('link', { name: '建设项目压覆重要矿产资源评估' }).count()).toBe(1);
  });

  it('stacks the result table into labelled cards on a phone', async () => {
    const context = await harness.browser.newContext({ locale: 'zh-CN', viewport: { width: 375, height: 740 } });
    const phone = await context.newPage();
    await phone.goto(`${harness.baseUrl}/services`);
    const cell = phone.locator('.catalog-table td').first();
    expect(await cell.evaluate((element) => getComputedStyle(element).display)).toBe('block');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
