import type { Page } from 'playwright-core';
import { anAuction, OPENING } from '../auction/support.js';
import { startBrowserHarness, type BrowserHarness } from '../support/browser.js';

describe('the auction room (Chromium): two bidders in two browsers', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness.close());


  const priceOf = (page: Page, label: string) => page.locator(`#auction-prices tr[data-label="${label}"] .auction-current`);

  it('lets the bidders bid in turn while both pages follow live, with a countdown in the title', async () => {
    const { platform } = harness;
    // Bidder 1 bid 130,000 yuan, Bidder 2 120,000, Bidder 3 110,000 (the third stays out of the browser)
    const scene = await anAuction(platform, [12_000_000, 13_000_000, 11_000_000], { rounds: 2, turnSeconds: 60 });
    const room = `/projects/${scene.project.id}/auction`;
    const first = await harness.loggedInPage(scene.firms[1]!.account, room);
    const second = await harness.loggedInPage(scene.firms[0]!.account, room, { width: 360, height: 740 });

    await first.locator('#auction-you').getByText('Bidder 1').waitFor();
    await second.locator('#auction-you').getByText('Bidder 2').waitFor();
    expect(await first.locator('#auction-phase').textContent()).toContain('轮到本机构出价');
    expect(await second.getByLabel('新报价（元）').isDisabled()).toBe(true);
    expect(await first.title()).toMatch(/^\(00:[0-5]\d|^\(01:00\)/);
    expect(await first.title()).toContain('Bidder 1');
    // a phone: nothing wider than the screen
    expect(await second.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // Bidder 1 bids with the keyboard
    await first.getByLabel('新报价（元）').fill('128,000');
    await first.getByLabel('新报价（元）').press('Enter');
    await priceOf(second, 'Bidder 1').getByText('¥128,000.00').waitFor();
    await priceOf(first, 'Bidder 1').getByText('¥128,000.00').waitFor();
    await second.locator('#bid-fieldset:not([disabled])').waitFor();
    await second.locator('#auction-live').getByText('Bidder 1 出价 ¥128,000.00。').waitFor();
    await second.locator('#auction-live').getByText('第 1 轮：轮到 Bidder 2 出价。').waitFor();
    expect(await first.getByLabel('新报价（元）').isDisabled()).toBe(true);

    // a bid above the allowed maximum is refused on the page, then a valid one is taken
    await second.getByLabel('新报价（元）').fill('119,000');
    await second.getByRole('button', { name: '出价', exact: true }).click();
    await second.locator('#bid-error').getByText('出价未被接受').waitFor();
    await second.getByLabel('新报价（元）').fill('118,500');
    await second.getByRole('button', { name: '出价', exact: true }).click();
    await priceOf(first, 'Bidder 2').getByText('¥118,500.00').waitFor();
    await first.locator('#auction-live').getByText('第 1 轮：轮到 Bidder 3 出价。').waitFor();

    // Bidder 3 lets its turn run out: the deadline job announces round 2 to both pages
    platform.clock.set(new Date(OPENING + 60_000));
    await platform.jobs.runDue();
    await first.locator('#auction-live').getByText('第 2 轮：轮到 Bidder 1 出价。').waitFor();
    await second.locator('#auction-live').getByText('Bidder 3 未在时限内出价。').waitFor();
    await first.locator('#bid-fieldset:not([disabled])').waitFor();
    expect(await first.locator('#auction-log li').count()).toBe(3);
    await first.context().close();
    await second.context().close();
  });
});
