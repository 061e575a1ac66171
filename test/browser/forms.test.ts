import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { aComparisonProject, aComparisonScene, DURING_SUBMISSIONS } from '../comparison/support.js';
import { aSelectionScene, post, projectTerms, publishedProject } from '../projects/support.js';

/** The TestClock's start: projects are published then. */
const PUBLISHED = '2026-11-25T09:00:00+08:00';
const REGISTRATION_CLOSE = '2026-11-27T17:00:00+08:00';
const AFTER_REGISTRATION = '2026-11-27T17:00:01+08:00';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

/** What a refused form shows: an error summary in Chinese, never inside a green notice or the receipt. */
async function refusalOf(page: Page, form: string) {
  const summary = page.locator(`#${form} .error-summary`);
  await summary.waitFor();
  const text = (await summary.textContent()) ?? '';
  expect(text).toMatch(/[\u4e00-\u9fff]/);
  expect(text).not.toMatch(/[A-Za-z]{4,}/);
  expect(text).not.toContain('fen');
  expect(await page.locator('.notice .error-summary, #receipt .error-summary, .notice.refusal').count()).toBe(0);
  return text;
}

describe('owner’s choice, sealed quote and plan file forms (Chromium)', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());

  it('offers one choice as radio buttons and keeps the ticked firm and the reason when the reason is refused', async () => {
    const { platform } = harness;
    platform.clock.set(PUBLISHED);
    const { service, owner, firms } = await aSelectionScene(platform, 4);
    const project = await publishedProject(owner, projectTerms(service.code, { method: 'lottery', submissionCloses: undefined, winners: 1, minRespondents: 2, options: { ownerChoiceShortlist: 3 } }));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set(REGISTRATION_CLOSE);

    const page = await harness.loggedInPage(owner.account, `/projects/${project.id}`);
    const options = page.locator('#choice input[name="firmIds"]');
    expect(await options.count()).toBe(3);
    expect(await page.locator('#choice input[type="checkbox"]').count()).toBe(0);
    await options.nth(1).check();
    await page.getByLabel('选定理由（将公开）').fill('好');
    await page.locator('#choice').getByRole('button').click();
    await page.waitForLoadState('load');
    const refusal = await refusalOf(page, 'choice');
    expect(refusal).not.toContain('Too small');
    expect(await page.locator('#choice input[name="firmIds"]').nth(1).isChecked()).toBe(true);
    expect(await page.getByLabel('选定理由（将公开）').inputValue()).toBe('好');

    await page.getByLabel('选定理由（将公开）').fill('业务经验与本项目更匹配');
    await page.locator('#choice').getByRole('button').click();
    await page.waitForURL(/done=chosen/);
    await page.context().close();
  });

  it('draws a refused quote as an error in yuan inside the form, apart from the receipt, one field under another', async () => {
    const { platform } = harness;
    platform.clock.set(PUBLISHED);
    const { service, owner, firms } = await aSelectionScene(platform, 3);
    const project = await publishedProject(owner, projectTerms(service.code));
    for (const firm of firms) await post(firm, `/api/v1/projects/${project.id}/registrations`).expect(201);
    platform.clock.set(AFTER_REGISTRATION);

    const page = await harness.loggedInPage(firms[0]!.account, `/projects/${project.id}`, { width: 1280, height: 900 });
    const amount = await page.getByLabel('报价（元）').boundingBox();
    const days = await page.getByLabel('承诺工期（工作日）').boundingBox();
    expect(days!.y).toBeGreaterThan(amount!.y + amount!.height);
    expect(days!.width).toBeGreaterThan(200);

    await page.getByLabel('报价（元）').fill('120000');
    await page.getByRole('button', { name: '提交报价' }).click();
    await page.locator('#receipt').waitFor();

    await page.getByLabel('报价（元）').fill('160000');
    await page.getByRole('button', { name: '提交报价' }).click();
    await page.waitForLoadState('load');
    const refusal = await refusalOf(page, 'submission');
    expect(refusal).toContain('¥160,000.00');
    expect(refusal).toContain('¥150,000.00');
    expect(await page.locator('#receipt').textContent()).not.toContain('最高限价');
    expect(await page.getByLabel('报价（元）').inputValue()).toBe('160000');
    await page.context().close();
  });

  it('seals a plan file chosen on the comparison quote form with the quote', async () => {
    const { platform } = harness;
    platform.clock.set(PUBLISHED);
    const { service, owner, firms } = await aComparisonScene(platform, 3);
    const project = await aComparisonProject(owner, firms, service.code, { price: 40, credit: 10, time: 20, plan: 30 });
    platform.clock.set(DURING_SUBMISSIONS);
    const events = async () => ((await platform.database.db.execute(sql`select count(*)::int as n from audit_events`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    const page = await harness.loggedInPage(firms[0]!.account, `/projects/${project.id}`);
    const before = await events();
    await page.getByLabel('报价（元）').fill('100000');
    await page.getByLabel('承诺工期（工作日）').fill('10');
    await page.getByLabel('服务方案', { exact: true }).fill('见附件服务方案。');
    await page.getByLabel('服务方案文件（可选）').setInputFiles({ name: '服务方案.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: '提交报价' }).click();
    await page.locator('#receipt').waitFor();
    expect(await page.locator('#receipt').textContent()).toContain('服务方案.pdf');
    const mine = await firms[0]!.agent.get(`/api/v1/projects/${project.id}/submissions/mine`).expect(200);
    expect(mine.body.content.planFiles).toEqual([expect.objectContaining({ filename: '服务方案.pdf' })]);
    // the upload itself adds no public event (who uploads a plan is who quotes): only the sealed commitment
    expect(await events()).toBe(before + 1);
    await page.context().close();
  });
});
