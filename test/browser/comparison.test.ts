import { aPublishedService } from '../catalog/builders.js';
import { projectTermsSchema } from '../../src/projects/schemas.js';
import { createProject, publishProject } from '../../src/projects/service.js';
import { registerForProject } from '../../src/projects/registration.js';
import { submitSealed } from '../../src/selection/submissions.js';
import { aFirm, anAccount, currentUserOf } from '../support/builders.js';
import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';

// The TestClock starts on Wednesday 2026-11-25 09:00 Shanghai; proposals close on 1 December 17:00.
const DURING_SUBMISSIONS = '2026-11-28T09:00:00+08:00';
const AFTER_OPENING = '2026-12-01T17:00:01+08:00';

describe('an online comparison evaluated by its owner (Chromium)', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());


  it('lets the owner score three plans and shows the public the ranking by total', async () => {
    const { platform } = harness;
    const service = await aPublishedService(platform, { timeLimitDays: 30 });
    const ownerAccount = await anAccount(platform, 'owner', { organizationName: '杭州市西湖区城市建设发展中心' });
    const owner = currentUserOf(ownerAccount);
    const names = ['浙江甲环评咨询有限公司', '浙江乙环评咨询有限公司', '浙江丙环评咨询有限公司'];
    const firms = [];
    for (const name of names) firms.push(await aFirm(platform, { admitted: true, qualifiedFor: [service.code], name }));

    const draft = await createProject(platform, owner, projectTermsSchema.parse({
      serviceCode: service.code, title: '文三路综合整治工程环境影响评价比选', description: '编制环境影响报告表。', budgetFen: 15_000_000,
      method: 'comparison', registrationCloses: '2026-11-27T17:00:00+08:00', submissionCloses: '2026-12-01T17:00:00+08:00',
      options: { weights: { price: 40, credit: 10, time: 20, plan: 30 } },
    }));
    const project = await publishProject(platform, owner, draft.id);
    for (const firm of firms) await registerForProject(platform, firm.firmUser, project.id);
    platform.clock.set(DURING_SUBMISSIONS);
    const proposals: [number, number, string][] = [[12_000_000, 20, '甲：五人项目组'], [10_000_000, 25, '乙：引用区域监测数据'], [13_000_000, 15, '丙：增加现场踏勘']];
    for (const [index, [amountFen, promisedDays, plan]] of proposals.entries()) {
      await submitSealed(platform, firms[index]!.firmUser, project.id, { amountFen, promisedDays, plan });
    }

    platform.clock.set(AFTER_OPENING);
    const page = await harness.loggedInPage(ownerAccount, `/projects/${project.id}`);
    expect(await page.locator('.facts .project-status').textContent()).toBe('评审中');
    await page.getByRole('link', { name: '评审方案' }).click();
    await page.waitForURL(/\/evaluation$/);
    expect(await page.locator('fieldset.proposal').count()).toBe(3);
    expect(await page.locator('.proposal-plan').allTextContents()).toEqual(expect.arrayContaining(['丙：增加现场踏勘']));

    // a reason that is too short comes back with the error next to its field
    const points = ['25.5', '27', '28.5'];
    for (const [index, name] of names.entries()) {
      await page.getByLabel(`${name} 的方案得分`).fill(points[index]!);
      await page.getByLabel(`${name} 的评分理由`).fill(index === 0 ? '一般' : `${name}的方案措施具体，进度安排合理。`);
    }
    await page.getByRole('button', { name: '提交评审并公示排名' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('.error-summary').textContent()).toContain('评分理由至少 10 个字');
    await page.getByLabel(`${names[0]} 的评分理由`).fill('技术路线清晰，监测方案较完整。');
    await page.getByRole('button', { name: '提交评审并公示排名' }).click();
    await page.waitForURL(/done=evaluated/);
    expect(await page.locator('.facts .project-status').textContent()).toBe('中选公示');
    await page.context().close();

    // the public table, every firm at the base credit 80.00 (8.000 points):
    // C = 30.769 + 20.000 + 8.000 + 28.500 = 87.269; B = 40.000 + 12.000 + 8.000 + 27.000 = 87.000;
    // A = 33.333 + 15.000 + 8.000 + 25.500 = 81.833
    const visitor = await harness.newPage();
    await visitor.goto(`${harness.baseUrl}/projects/${project.id}`);
    const rows = visitor.locator('.comparison-table tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.locator('.rank').allTextContents()).toEqual(['1', '2', '3']);
    expect(await rows.locator('.firm').allTextContents()).toEqual([expect.stringContaining(names[2]!), expect.stringContaining(names[1]!), expect.stringContaining(names[0]!)]);
    expect(await rows.locator('.total').allTextContents()).toEqual(['87.269', '87.000', '81.833']);
    expect(await rows.locator('.price-score').allTextContents()).toEqual(['30.769', '40.000', '33.333']);
    expect(await visitor.locator('.comparison-table tr.winner .winner-mark').textContent()).toBe('中选');
    expect(await visitor.locator('.comparison .formula li').count()).toBe(5);
    expect(await visitor.locator('.comparison-table').textContent()).not.toContain('丙：增加现场踏勘');
    await visitor.context().close();
  });
});
