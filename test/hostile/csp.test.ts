import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserMissing, useBrowserRun } from '../e2e/browser.js';

/** Collects the Content-Security-Policy violations a page reports on its console. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text()))
      violations.push(`${page.url()}: ${message.text().slice(0, 60)}`);
  });
  return violations;
}

describe.skipIf(browserMissing)('the Content-Security-Policy in a real browser', () => {
  const run = useBrowserRun();

  it('lets every page and the API docs work with no violation', async () => {
    const page = await run.browser.newPage();
    const violations = watchViolations(page);
    for (const path of ['/', '/vote', '/results', '/p/default/present', '/p/default/share', '/admin/login']) {
      const response = await page.goto(`${run.base}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(response?.headers()['content-security-policy'], path).toContain("script-src 'self'");
    }
    await page.goto(`${run.base}/api/docs`);
    await page.locator('.swagger-ui .info .title', { hasText: 'Pollcast API' }).waitFor();
    await page.locator('.opblock-summary-path', { hasText: '/api/polls/{code}/votes' }).first().waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });

  it('stops a script that got into a page, inline or in an attribute', async () => {
    const page = await run.browser.newPage();
    const violations = watchViolations(page);
    await page.goto(`${run.base}/vote`);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = "inline script ran"';
      document.body.append(script);
      document.body.insertAdjacentHTML(
        'beforeend',
        '<img src="/no-such-image" onerror="window.injected = \'handler ran\'">',
      );
    });
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => (window as { injected?: string }).injected)).toBeUndefined();
    await page.close();
  });
});
