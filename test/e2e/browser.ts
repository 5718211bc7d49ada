import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, dialects, type TestApp } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Skipped where no Chromium is installed, unless the run demands it (.ci/run does).
export const browserMissing = !existsSync(CHROMIUM) && process.env.REQUIRE_BROWSER !== '1';

export interface BrowserRun {
  t: TestApp;
  base: string;
  browser: Browser;
}

/**
 * For a describe block: a listening app on SQLite (with `env` added to its settings) and Debian's
 * Chromium, headless, for all its tests.
 */
export function useBrowserRun(env: Record<string, string> = {}): BrowserRun {
  const run = {} as BrowserRun & { stop?: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(run, await startBrowserRun(env));
  });
  afterAll(() => run.stop?.());
  return run;
}

async function startBrowserRun(env: Record<string, string>): Promise<BrowserRun & { stop(): Promise<void> }> {
  const [sqlite] = dialects;
  if (!sqlite) throw new Error('no dialect');
  const t = await buildTestApp(sqlite, env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    t,
    base,
    browser,
    async stop() {
      await browser.close();
      await t.close();
    },
  };
}

/** Marks the page, so that a test can tell it changed in place rather than being reloaded. */
export const markPage = (page: Page) => page.evaluate(() => Object.assign(window, { notReloaded: true }));
export const stillSamePage = (page: Page) =>
  page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded === true);

/** Signs in as the first admin on the login page and waits for the admin page. */
export async function signInAsAdmin(page: Page, base: string) {
  await page.goto(`${base}/admin/login`);
  await page.fill('#username', 'admin');
  await page.fill('#password', ADMIN_PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${base}/admin`);
}
