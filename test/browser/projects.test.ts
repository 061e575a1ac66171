import { aPublishedService } from '../catalog/builders.js';
import { aFirm, anAccount } from '../support/builders.js';
import { projectStatusOf, startBrowserHarness, type BrowserHarness } from '../support/browser.js';

// The TestClock starts on Wednesday 2026-11-25 09:00 Shanghai. Two working days of registration
// close on Friday 27 November at 17:00; two more of quotes close on Tuesday 1 December at 17:00.
const AFTER_REGISTRATION = '2026-11-27T17:00:01+08:00';
const AFTER_SUBMISSION = '2026-12-01T17:00:01+08:00';

describe('an inquiry project from publication to the opening (Chromium)', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());



  it('lets an owner publish, three firms register and quote, and shows every price and the winner after the deadline', async () => {
    const { platform } = harness;
    const service = await aPublishedService(platform);
    const owner = await anAccount(platform, 'owner', { organizationName: '杭州市西湖区城市建设发展中心' });
    const firms = [
      await aFirm(platform, { admitted: true, qualifiedFor: [service.code], name: '浙江甲环评咨询有限公司' }),
      await aFirm(platform, { admitted: true, qualifiedFor: [service.code], name: '浙江乙环评咨询有限公司' }),
      await aFirm(platform, { admitted: true, qualifiedFor: [service.code], name: '浙江丙环评咨询有限公司' }),
    ];

    // the owner drafts and publishes
    const ownerPage = await harness.loggedInPage(owner, '/projects/new');
    await ownerPage.getByLabel('服务事项').selectOption(service.code);
    await ownerPage.getByLabel('项目名称').fill('文三路综合整治工程环境影响报告表编制');
    await ownerPage.getByLabel('项目概况与服务要求').fill('编制环境影响报告表并配合取得批复。');
    await ownerPage.getByLabel('最高限价（元）').fill('150,000');
    await ownerPage.getByLabel('询价', { exact: true }).check();
    await ownerPage.getByLabel('报名期（工作日）').fill('2');
    await ownerPage.getByLabel('报价期（工作日）').fill('2');
    await ownerPage.getByRole('button', { name: '保存草稿' }).click();
    await ownerPage.waitForURL(/\/projects\/\d+\?done=created/);
    expect(await projectStatusOf(ownerPage)).toBe('草稿');
    const projectPath = new URL(ownerPage.url()).pathname;

    await ownerPage.getByRole('button', { name: '发布项目' }).click();
    await ownerPage.waitForURL(/done=published/);
    expect(await projectStatusOf(ownerPage)).toBe('报名中');
    expect(await ownerPage.locator('.facts').textContent()).toContain('¥150,000.00');

    // three firms register; who registered stays confidential meanwhile
    for (const firm of firms) {
      const page = await harness.loggedInPage(firm.account, projectPath);
      await page.getByRole('button', { name: '报名' }).click();
      await page.waitForURL(/done=registered/);
      await page.locator('.registration-state').waitFor();
      expect(await page.getByText('报名机构及其数量在开标前对所有人保密，工作人员也不例外。').count()).toBe(1);
      await page.context().close();
    }

    // registration closes; the sessions would have expired, so each firm logs in again and quotes
    platform.clock.set(AFTER_REGISTRATION);
    const quotes = ['120000', '98000.50', '105000'];
    for (const [index, firm] of firms.entries()) {
      const page = await harness.loggedInPage(firm.account, projectPath);
      expect(await projectStatusOf(page)).toBe('报价中');
      await page.getByLabel('报价（元）').fill(quotes[index]!);
      await page.getByLabel('承诺工期（工作日）').fill(String(20 + index));
      await page.getByLabel('服务方案').fill(`方案 ${index + 1}`);
      await page.getByRole('button', { name: '提交报价' }).click();
      await page.waitForURL(/done=submitted/);
      await page.locator('#receipt').waitFor();
      expect(await page.locator('.receipt-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
      await page.context().close();
    }

    // before the deadline the owner learns neither who quoted nor how many
    const early = await harness.loggedInPage(owner, projectPath);
    expect(await early.locator('.submission-count').textContent()).toContain('报价密封至开标');
    expect(await early.locator('.submission-count').textContent()).not.toMatch(/\d/);
    expect(await early.locator('.opening-table').count()).toBe(0);
    await early.context().close();

    // after the deadline: the opening, every price, the winner marked
    platform.clock.set(AFTER_SUBMISSION);
    const opening = await harness.loggedInPage(owner, projectPath);
    await opening.locator('.opening-table').waitFor();
    expect(await projectStatusOf(opening)).toBe('中选公示');
    const rows = opening.locator('.opening-table tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.locator('.amount').allTextContents()).toEqual(['¥98,000.50', '¥105,000.00', '¥120,000.00']);
    const winner = opening.locator('.opening-table tr.winner');
    expect(await winner.count()).toBe(1);
    expect(await winner.textContent()).toContain('浙江乙环评咨询有限公司');
    expect(await winner.locator('.winner-mark').textContent()).toBe('中选');
    // the owner reads the plans too
    expect(await winner.textContent()).toContain('方案 2');
    expect(await opening.locator('.registrants li').count()).toBe(3);
  });
});
