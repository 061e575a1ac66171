import { aUscc, TEST_PASSWORD } from '../support/builders.js';
import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';

describe('an owner registers, logs out and logs in again (Chromium)', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());

  it('sees their organisation name in the header after logging in', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.baseUrl}/register`);
    await page.getByLabel('项目业主').check();
    await page.getByLabel('单位名称').fill('杭州市余杭区交通投资有限公司');
    await page.getByLabel('统一社会信用代码').fill(aUscc());
    await page.getByLabel('联系人').fill('赵六');
    await page.getByLabel('联系电话').fill('0571-86000000');
    await page.getByLabel('用户名', { exact: true }).fill('yuhang-traffic');
    await page.getByLabel('密码', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '注册' }).click();
    await page.waitForURL(/\/account/);
    await expectHeaderName(page, '杭州市余杭区交通投资有限公司');

    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(`${harness.baseUrl}/`);
    expect(await page.locator('.current-user').count()).toBe(0);

    await page.getByRole('link', { name: '登录' }).click();
    await page.getByLabel('用户名').fill('yuhang-traffic');
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${harness.baseUrl}/`);
    await expectHeaderName(page, '杭州市余杭区交通投资有限公司');
  });

  it('moves focus to the error summary links and fields by keyboard after a failed registration', async () => {
    const page = await harness.newPage();
    await page.goto(`${harness.baseUrl}/register`);
    await page.getByRole('button', { name: '注册' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const firstLink = summary.locator('a').first();
    const target = await firstLink.getAttribute('href');
    await firstLink.click();
    expect(await page.locator(target!).count()).toBe(1);
  });
});

async function expectHeaderName(page: import('playwright-core').Page, name: string) {
  await page.locator('.current-user').waitFor();
  expect(await page.locator('.current-user').textContent()).toBe(name);
}
