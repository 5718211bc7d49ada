import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, useBrowserRun } from '../e2e/browser.js';
import { adminToken, createLiveQuestion, storedRows } from '../helpers.js';
import { liveConnections } from './live-handshakes.js';

interface Target {
  app: string;
  questionId: number;
  optionId: number;
}

/**
 * A page of another site that makes its visitors' browsers vote and follow the poll: a plain
 * form post, a fetch, a WebSocket and an EventSource, run by the page itself and again from a
 * sandboxed frame (whose origin is `null`). It tells its top window what the browser saw.
 */
function hostilePage(target: Target, where: string): string {
  const attack = `
    const { app, questionId, optionId } = ${JSON.stringify(target)};
    const where = ${JSON.stringify(where)};
    const report = (what, outcome) => top.postMessage({ where, what, outcome }, '*');
    const vote = { questionId: String(questionId), optionId: String(optionId) };
    const sink = document.createElement('iframe');
    sink.name = 'sink';
    document.body.append(sink);
    const form = document.createElement('form');
    form.method = 'post';
    form.action = app + '/vote';
    form.target = 'sink';
    for (const [name, value] of Object.entries(vote)) {
      const input = document.createElement('input');
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
    fetch(app + '/p/default', { method: 'POST', mode: 'no-cors', credentials: 'include', body: new URLSearchParams(vote) })
      .then(() => report('fetch', 'sent'), () => report('fetch', 'failed'));
    const socket = new WebSocket(app.replace('http', 'ws') + '/api/polls/default/ws');
    socket.onopen = () => report('websocket', 'opened');
    socket.onerror = () => report('websocket', 'refused');
    const events = new EventSource(app + '/api/polls/default/events');
    events.onopen = () => report('eventsource', 'opened');
    events.onerror = () => { events.close(); report('eventsource', 'refused'); };`;
  const frame =
    where === 'direct' ? '<iframe sandbox="allow-scripts allow-forms" src="/?where=sandboxed"></iframe>' : '';
  return `<!doctype html><html><body>
<script>window.reports = []; addEventListener('message', (event) => window.reports.push(event.data));</script>
${frame}<script>${attack}</script></body></html>`;
}

async function serveHostilePage(host: string, target: () => Target): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const where = new URL(request.url ?? '/', 'http://hostile').searchParams.get('where') ?? 'direct';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(hostilePage(target(), where));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

interface Seen {
  method: string;
  url: string;
  origin: string | undefined;
  fetchSite: string | undefined;
  status?: number;
}

describe.skipIf(browserMissing)('pages of other sites, in a real browser', () => {
  const run = useBrowserRun();
  let target: Target;
  const hostile: { server: Server; origin: string }[] = [];
  const requests: Seen[] = [];
  const upgrades: Seen[] = [];

  beforeAll(async () => {
    const question = await createLiveQuestion(run.t.app, await adminToken(run.t.app));
    target = { app: run.base, questionId: question.id, optionId: question.options[0]?.id ?? 0 };
    // Another site (another loopback address), and another port of this very host.
    for (const host of ['127.0.0.2', '127.0.0.1']) hostile.push(await serveHostilePage(host, () => target));
    // What reached the server and what it answered, seen from the server's own socket.
    const seen = (request: { method?: string; url?: string; headers: Record<string, unknown> }): Seen => ({
      method: request.method ?? '',
      url: request.url ?? '',
      origin: request.headers.origin as string | undefined,
      fetchSite: request.headers['sec-fetch-site'] as string | undefined,
    });
    run.t.app.server.on('request', (request, response) => {
      const entry = seen(request);
      response.on('close', () => requests.push({ ...entry, status: response.statusCode }));
    });
    run.t.app.server.on('upgrade', (request) => upgrades.push(seen(request)));
  });
  afterAll(async () => {
    for (const { server } of hostile) await new Promise((resolve) => server.close(resolve));
  });

  it('counts no vote and opens no live connection for them, directly or from a sandboxed frame', async () => {
    const before = await storedRows(run.t.app);
    const pages = [];
    for (const { origin } of hostile) {
      const page = await (await run.browser.newContext()).newPage();
      await page.goto(origin);
      pages.push(page);
    }
    // Each page runs every attack twice: itself, and from its sandboxed frame.
    const attempts = hostile.length * 2;
    const fromHostilePages = (entries: Seen[], method: string, path: string) =>
      entries.filter((entry) => entry.method === method && entry.url === path);
    await expect.poll(() => fromHostilePages(requests, 'POST', '/vote').length).toBe(attempts);
    await expect.poll(() => fromHostilePages(requests, 'POST', '/p/default').length).toBe(attempts);
    await expect.poll(() => fromHostilePages(requests, 'GET', '/api/polls/default/events').length).toBe(attempts);
    await expect.poll(() => fromHostilePages(upgrades, 'GET', '/api/polls/default/ws').length).toBe(attempts);
    for (const page of pages) {
      await expect
        .poll(() => page.evaluate(() => (window as { reports?: unknown[] }).reports?.length ?? 0))
        .toBeGreaterThanOrEqual(6);
    }

    // The server refused every one: no vote stored, no stream opened, no socket accepted…
    expect(requests.map((request) => `${request.method} ${request.url} ${request.status}`)).toEqual(
      requests.map((request) => `${request.method} ${request.url} 403`),
    );
    // …that the browser sent as it would for any visitor of such a page.
    expect(new Set(requests.map((request) => request.origin))).toEqual(
      new Set(['null', ...hostile.map(({ origin }) => origin)]),
    );
    expect(new Set(requests.map((request) => request.fetchSite))).toEqual(new Set(['cross-site', 'same-site']));
    expect(await storedRows(run.t.app)).toEqual(before);
    expect(await liveConnections(run.t.app)).toBe(0);
    for (const page of pages) {
      const reports = await page.evaluate(() => (window as { reports?: { what: string; outcome: string }[] }).reports);
      expect(reports?.filter((report) => report.outcome === 'opened')).toEqual([]);
      await page.context().close();
    }
  });

  it("still counts the site's own page, whose live connection stays open", async () => {
    const before = await run.t.app.db.selectFrom('votes').select('voter_id').execute();
    const page = await (await run.browser.newContext()).newPage();
    await page.goto(`${run.base}/vote`);
    await expect.poll(() => liveConnections(run.t.app)).toBe(1);
    await page.locator('input[name="optionId"]').first().check();
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.getByText('Vote recorded').waitFor();
    expect(await run.t.app.db.selectFrom('votes').select('voter_id').execute()).toHaveLength(before.length + 1);
    await page.context().close();
  });
});
