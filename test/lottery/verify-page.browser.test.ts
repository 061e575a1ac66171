import { chromium, type Browser } from 'playwright-core';
import { buildVerifierBundle } from '../../src/lottery/browser/bundle.js';
import { recordScriptJson } from '../../src/lottery/browser/embed-record.js';
import type { LotteryRecord } from '../../src/lottery/algorithm/index.js';
import { clone, drandRecord, rfc3797ExampleRecord } from './support/records.js';

// Debian's chromium (apt-get install chromium fonts-wqy-microhei); playwright cannot download one here.
const CHROMIUM = '/usr/bin/chromium';


describe('verify page in Chromium', () => {
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    bundle = await buildVerifierBundle();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => browser?.close());

  async function verifyInPage(lang: string, record: LotteryRecord): Promise<{ status: string | null; text: string | null }> {
    const page = await browser.newPage();
    try {
      await page.setContent(
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"></head><body>
         <script type="application/json" id="lottery-record">${recordScriptJson(record)}</script>
         <p id="verify-result" aria-live="polite"></p>
         <script>${bundle}</script></body></html>`,
      );
      const result = page.locator('#verify-result[data-status]');
      await result.waitFor();
      return { status: await result.getAttribute('data-status'), text: await result.textContent() };
    } finally {
      await page.close();
    }
  }

  it('re-runs a drand-sourced lottery-v1 draw (BLS check included) and shows ✓ in Chinese', async () => {
    const shown = await verifyInPage('zh-CN', drandRecord());
    expect(shown.status).toBe('ok');
    expect(shown.text).toMatch(/^✓ 摇号记录一致/);
  });

  it('re-runs the RFC 3797 example and shows ✓ in English', async () => {
    const shown = await verifyInPage('en', rfc3797ExampleRecord());
    expect(shown).toEqual({ status: 'ok', text: expect.stringMatching(/^✓ Record consistent/) });
  });

  it('shows the first mismatch for a tampered record', async () => {
    const record = clone(drandRecord());
    record.winners = [record.order[1]!, record.order[0]!];
    const shown = await verifyInPage('en', record);
    expect(shown.status).toBe('mismatch');
    expect(shown.text).toContain('the winner list does not match (rank 1)');
  });
});
