import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestPlatform, type TestPlatform } from './platform.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The app on a real port and a headless Debian Chromium pointed at it. */
export interface BrowserHarness {
  platform: TestPlatform;
  browser: Browser;
  baseUrl: string;
  newPage(options?: { locale?: string; viewport?: { width: number; height: number } }): Promise<Page>;
  /** A fresh browser context logged in through the login page, landing on `next`. */
  loggedInPage(account: { username: string; password: string }, next: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** The status shown in a project page's facts. */
export const projectStatusOf = (page: Page) => page.locator('.facts .project-status').textContent();

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const platform = await createTestPlatform({ kind: 'pglite' });
  const server: Server = await new Promise((resolve) => {
    const listening = platform.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const newPage: BrowserHarness['newPage'] = async (options = {}) => {
    const context = await browser.newContext({ locale: options.locale ?? 'zh-CN', ...(options.viewport ? { viewport: options.viewport } : {}) });
    return context.newPage();
  };
  return {
    platform,
    browser,
    baseUrl,
    newPage,
    loggedInPage: async (account, next, viewport) => {
      const page = await newPage({ viewport });
      await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel('用户名').fill(account.username);
      await page.getByLabel('密码').fill(account.password);
      await page.getByRole('button', { name: '登录' }).click();
      await page.waitForURL(`${baseUrl}${next}`);
      return page;
    },
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await platform.close();
    },
  };
}
