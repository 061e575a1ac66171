import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { aLottery, firms } from '../lottery-records/support.js';

describe('public lottery page in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());

  /** Opens the page and waits for the in-browser verifier's verdict; fails on CSP violations or page errors. */
  async function verdictOn(id: string, locale = 'zh-CN'): Promise<{ status: string | null; text: string | null; page: Page }> {
    const page = await harness.newPage({ locale });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    await page.goto(`${harness.baseUrl}/lotteries/${id}`);
    const result = page.locator('#verify-result[data-status]');
    await result.waitFor({ timeout: 20000 });
    expect(problems).toEqual([]);
    return { status: await result.getAttribute('data-status'), text: await result.textContent(), page };
  }

  it('shows the green tick for a drawn 10-candidate lottery', async () => {
    const id = await aLottery()
      .withSource({ kind: 'manual', description: '中国福利彩票3D 第2026318期开奖号码' })
      .withFigure('5 0 7')
      .drawn(harness.platform);
    const { status, text, page } = await verdictOn(id);
    expect(status).toBe('ok');
    expect(text).toMatch(/^✓ 摇号记录一致/);
    expect(text).toContain('共 10 家候选');
    expect(await page.locator('table.results tbody tr').count()).toBe(10);
  });

  it('shows the green tick for a weighted lottery, in English', async () => {
    const id = await aLottery().withWinners(3).withCandidates(firms(12, [5, 1, 3, 2])).drawn(harness.platform);
    const { status, text } = await verdictOn(id, 'en');
    expect(status).toBe('ok');
    expect(text).toMatch(/^✓ Record consistent/);
    expect(text).toContain('no external randomness source');
  });

  it('reports a mismatch when the stored order was tampered with in the database', async () => {
    const id = await aLottery().drawn(harness.platform);
    const db = harness.platform.database.db;
    // The trigger refuses any change to a drawn row; a tamperer with database rights turns it off.
    await db.execute(sql`alter table lotteries disable trigger lotteries_immutable_after_draw`);
    await db.execute(sql`
      update lotteries
         set draw_order = jsonb_build_array(draw_order->1, draw_order->0) || (draw_order - 0 - 0)
       where id = ${id}`);
    await db.execute(sql`alter table lotteries enable trigger lotteries_immutable_after_draw`);
    const { status, text } = await verdictOn(id);
    expect(status).toBe('mismatch');
    expect(text).toContain('摇号顺序不一致');
  });
});
