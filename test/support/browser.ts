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
  newPage(options?: { locale?: string }): Promise<Page>;
  close(): Promise<void>;
}

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
  return {
    platform,
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    newPage: async (options = {}) => {
      const context = await browser.newContext({ locale: options.locale ?? 'zh-CN' });
      return context.newPage();
    },
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await platform.close();
    },
  };
}
