import request from 'supertest';
import { projectStatusOf, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { aProjectInPublicity, OPENED_AT, PUBLICITY_ENDS_AT } from '../awards/support.js';
import { PDF, with2027Calendar } from '../contracts/support.js';

const hoursAfter = (iso: string, hours: number) => new Date(new Date(iso).getTime() + hours * 3_600_000);

describe('after selection: objection, acceptance, contract, delivery, completion and rating (Chromium)', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());



  it('takes a published result through to a rated, completed project', async () => {
    const { platform } = harness;
    await with2027Calendar(platform);
    const { scene, projectId, winner, alternates } = await aProjectInPublicity(platform);
    const projectPath = `/projects/${projectId}`;
    const staffAccount = await (await import('../support/builders.js')).anAccount(platform, 'staff');

    // during publicity an alternate objects; staff dismiss it with a reason
    platform.clock.set(hoursAfter(OPENED_AT, 1));
    const objector = await harness.loggedInPage(alternates[0]!.account, projectPath);
    expect(await projectStatusOf(objector)).toBe('中选公示');
    await objector.getByLabel('提出异议').fill('中选机构的项目负责人同期承担多个项目，请核查其履约能力。');
    await objector.getByRole('button', { name: '提交异议' }).click();
    await objector.waitForURL(/award=objected/);
    await objector.context().close();

    const staff = await harness.loggedInPage(staffAccount, '/staff/objections');
    await staff.getByLabel('异议不成立').check();
    await staff.getByLabel('理由', { exact: true }).fill('经核查，该负责人承担项目数量未超过规定，异议不成立。');
    await staff.getByRole('button', { name: '提交处理决定' }).click();
    await staff.waitForURL(/done=decided/);
    await staff.context().close();

    // publicity ends; the winner accepts
    platform.clock.set(hoursAfter(PUBLICITY_ENDS_AT, 1));
    const firmPage = await harness.loggedInPage(winner.account, projectPath);
    expect(await projectStatusOf(firmPage)).toBe('已确定中选');
    await firmPage.getByRole('button', { name: '确认中选' }).click();
    await firmPage.waitForURL(/award=accepted/);
    await firmPage.context().close();

    // the owner records the contract with its scan
    const ownerPage = await harness.loggedInPage(scene.owner.account, projectPath);
    await ownerPage.getByLabel('合同金额（元）').fill('110000.01');
    await ownerPage.getByLabel('签订日期').fill('2026-12-04');
    await ownerPage.getByLabel('合同文件').setInputFiles({ name: '服务合同.pdf', mimeType: 'application/pdf', buffer: PDF });
    await ownerPage.getByRole('button', { name: '录入合同' }).click();
    await ownerPage.waitForURL(/contracts=amount_above_winning_price/);
    expect(await projectStatusOf(ownerPage)).toBe('已确定中选');
    // refused: said in red beside the field, in yuan; what was typed is kept, the file asked for again
    expect(await ownerPage.locator('#contracts .notice-error').count()).toBe(1);
    expect(await ownerPage.locator('#contract-form .field-error').first().textContent()).toContain('合同金额不得高于 ¥110,000.00');
    expect(await ownerPage.getByLabel('合同金额（元）').inputValue()).toBe('110000.01');
    expect(await ownerPage.getByLabel('签订日期').inputValue()).toBe('2026-12-04');
    expect(await ownerPage.locator('#contract-form').textContent()).toContain('请重新选择合同文件');
    const awardOption = (await ownerPage.getByLabel('中选结果').locator('option').first().textContent()) ?? '';
    const winnerFirm = await request(platform.app).get(`/api/v1/firms/${winner.firmId}`).expect(200);
    expect(awardOption).toContain(winnerFirm.body.name);
    expect(awardOption).not.toContain('#');
    await ownerPage.getByLabel('合同金额（元）').fill('110000');
    await ownerPage.getByLabel('合同文件').setInputFiles({ name: '服务合同.pdf', mimeType: 'application/pdf', buffer: PDF });
    await ownerPage.getByRole('button', { name: '录入合同' }).click();
    await ownerPage.waitForURL(/contracts=contracted/);
    expect(await projectStatusOf(ownerPage)).toBe('已签约');
    expect(await ownerPage.locator('.contract-amount').textContent()).toContain('¥110,000.00');
    await ownerPage.context().close();

    // the firm delivers its report the next Wednesday
    platform.clock.set('2026-12-09T10:00:00+08:00');
    const delivering = await harness.loggedInPage(winner.account, projectPath);
    expect(await delivering.locator('.service-timer').textContent()).toContain('已用 3 个工作日');
    await delivering.getByLabel('交付说明').fill('提交环境影响报告表（报批稿）');
    await delivering.getByLabel('服务成果文件').setInputFiles({ name: '环评报告表.pdf', mimeType: 'application/pdf', buffer: PDF });
    await delivering.getByRole('button', { name: '提交服务成果' }).click();
    await delivering.waitForURL(/contracts=delivered/);
    expect(await projectStatusOf(delivering)).toBe('已交付');
    await delivering.context().close();

    // the owner accepts and rates on Thursday; the timer stops at 4 working days
    platform.clock.set('2026-12-10T15:00:00+08:00');
    const accepting = await harness.loggedInPage(scene.owner.account, projectPath);
    await accepting.getByLabel('质量', { exact: true }).selectOption('5');
    await accepting.getByLabel('时效', { exact: true }).selectOption('5');
    await accepting.getByLabel('态度', { exact: true }).selectOption('4');
    await accepting.getByLabel('收费', { exact: true }).selectOption('4');
    await accepting.getByLabel('规范', { exact: true }).selectOption('5');
    await accepting.getByLabel('评价意见').fill('报告质量好，提前交付。');
    await accepting.getByRole('button', { name: '确认验收并提交评价' }).click();
    await accepting.waitForURL(/contracts=completed/);
    expect(await projectStatusOf(accepting)).toBe('已完成');
    expect(await accepting.locator('.service-timer').textContent()).toContain('共用 4 个工作日');
    expect(await accepting.locator('.rating-scores').textContent()).toContain('平均 4.6 分');
    await accepting.context().close();

    // the firm answers once, in public, and its page shows the rating
    const replying = await harness.loggedInPage(winner.account, projectPath);
    await replying.getByLabel('公开回复（仅可回复一次）').fill('感谢业主的认可。');
    await replying.getByRole('button', { name: '提交回复' }).click();
    await replying.waitForURL(/contracts=replied/);
    expect(await replying.locator('.rating-reply').textContent()).toContain('感谢业主的认可。');
    expect(await replying.locator('#reply-form').count()).toBe(0);
    await replying.goto(`${harness.baseUrl}/firms/${winner.firmId}`);
    expect(await replying.locator('.firm-ratings').textContent()).toContain('报告质量好，提前交付。');
    await replying.context().close();
  }, 240_000);
});
