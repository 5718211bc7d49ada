import { describe, expect, it } from 'vitest';
import { adminToken, createLiveQuestion } from '../helpers.js';
import { browserMissing, useBrowserRun } from './browser.js';

// 8 KB until the pages spoke several languages: the switcher every page ends with and the page
// script's translated live text (its messages themselves come later, when first needed) added
// about 0.4 KB.
const LIMIT = 8.5 * 1024;

// The voting page is what most people load, on a phone, on conference Wi-Fi.
describe.skipIf(browserMissing)('the voting page over the wire', () => {
  const run = useBrowserRun();

  it(`weighs under ${LIMIT / 1024} KB on a first load, with every request it makes`, async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app));
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const page = await context.newPage();
      const network = await context.newCDPSession(page);
      const requests = new Map<string, { url: string; encoding?: string; bytes?: number }>();
      network.on('Network.requestWillBeSent', ({ requestId, request }) =>
        requests.set(requestId, { url: request.url }),
      );
      network.on('Network.responseReceived', ({ requestId, response }) => {
        const entry = requests.get(requestId);
        if (entry) entry.encoding = response.headers['content-encoding'] ?? response.headers['Content-Encoding'];
      });
      network.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
        const entry = requests.get(requestId);
        if (entry) entry.bytes = encodedDataLength;
      });
      await network.send('Network.enable');
      await network.send('Network.setCacheDisabled', { cacheDisabled: true });

      await page.goto(`${base}/vote`);
      await page.getByRole('button', { name: 'Vote' }).waitFor();
      const loaded = () => [...requests.values()];
      await expect.poll(() => loaded().every((request) => request.bytes !== undefined)).toBe(true);
      await expect
        .poll(() => loaded().map((request) => new URL(request.url).pathname))
        .toEqual(expect.arrayContaining(['/vote', '/assets/styles.css', '/assets/vote.js', '/assets/favicon.svg']));

      const total = loaded().reduce((sum, request) => sum + (request.bytes ?? 0), 0);
      expect(total, JSON.stringify(loaded(), null, 1)).toBeLessThan(LIMIT);
      for (const request of loaded().filter((r) => /\/(vote|styles\.css|vote\.js)$/.test(r.url)))
        expect(request.encoding, request.url).toBe('br');
    } finally {
      await context.close();
    }
  });
});
