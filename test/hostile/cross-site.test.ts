import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  signInCookie,
  storedRows,
  type TestApp,
  voterCookie,
} from '../helpers.js';
import { eventStreamHandshake, liveConnections, webSocketHandshake } from './live-handshakes.js';
import { fill, routesOf } from './routes.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

// What a browser says of a request that a page of another site made it send. Scripts and curl
// send none of these headers.
const SITE = 'pollcast.test:3000';
const OWN_ORIGIN = `http://${SITE}`;
const FOREIGN: [string, Record<string, string>][] = [
  ['Origin: null (a sandboxed frame)', { origin: 'null' }],
  ['a malformed Origin', { origin: 'not an origin' }],
  ['an empty Origin', { origin: '' }],
  ['an Origin with a path', { origin: `${OWN_ORIGIN}/admin` }],
  ['an Origin with a user', { origin: `http://admin@${SITE}` }],
  ['an Origin of another scheme', { origin: `ftp://${SITE}` }],
  ["another site's Origin", { origin: 'http://evil.example' }],
  ['an Origin that starts like this site', { origin: 'http://pollcast.test.evil.example:3000' }],
  ['another port of this host', { origin: 'http://pollcast.test:3001' }],
  ['a subdomain of this host', { origin: 'http://uploads.pollcast.test:3000' }],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  ["this site's Origin with Sec-Fetch-Site: cross-site", { origin: OWN_ORIGIN, 'sec-fetch-site': 'cross-site' }],
  ['Origin: null with Sec-Fetch-Site: same-origin', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
];
/** What this site's own pages send, and what a script sends. */
const OWN: [string, Record<string, string>][] = [
  ["this site's page", { origin: OWN_ORIGIN, 'sec-fetch-site': 'same-origin' }],
  ['the address bar', { 'sec-fetch-site': 'none' }],
  ['a script', {}],
];

// Static files and the API docs take no state change.
const NOT_WALKED = [/\*/, /^\/api\/docs/];

function expectCrossSiteRefusal(response: LightMyRequestResponse, label: string) {
  expect(response.statusCode, label).toBe(403);
  expect(response.body, label).toContain('Requests from other sites are not accepted.');
}

describe('requests a browser sent from a page of another site', () => {
  let t: TestApp;
  let base: string;
  let signedIn: Record<string, string>;
  let question: { id: number; options: { id: number }[] };

  beforeAll(async () => {
    t = await buildTestApp(sqlite);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const token = await adminToken(t.app);
    question = await createLiveQuestion(t.app, token);
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const dashboard = await t.app.inject({ url: '/admin', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.body)?.[1] ?? '';
    // Signed in every way at once, with a valid CSRF token: what is refused is refused for where it came from.
    signedIn = { host: SITE, authorization: `Bearer ${token}`, cookie, 'x-csrf-token': csrf };
  });
  afterAll(() => t?.close());

  const optionId = () => question.options[0]?.id ?? 0;
  /** A vote as each voting route takes it: the plain form of /vote and /p/:code, and the API. */
  const votes = (voter: string, headers: Record<string, string>) => {
    const form = new URLSearchParams({ questionId: String(question.id), optionId: String(optionId()) }).toString();
    const common = { method: 'POST' as const, headers: { host: SITE, cookie: voterCookie(voter), ...headers } };
    return Promise.all([
      t.app.inject({
        ...common,
        url: '/vote',
        headers: { ...common.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form,
      }),
      t.app.inject({
        ...common,
        url: '/p/default',
        headers: {
          ...common.headers,
          cookie: voterCookie(`${voter}-code`),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: form,
      }),
      t.app.inject({
        ...common,
        url: '/api/polls/default/votes',
        headers: { ...common.headers, cookie: voterCookie(`${voter}-api`) },
        payload: { questionId: question.id, optionId: optionId() },
      }),
    ]);
  };

  it('counts votes from this site and from scripts', async () => {
    for (const [label, headers] of OWN) {
      const [viaVote, viaCode, viaApi] = await votes(`own-${label}`, headers);
      expect([viaVote?.statusCode, viaCode?.statusCode, viaApi?.statusCode], label).toEqual([303, 303, 201]);
    }
  });

  it('refuses every vote from another site, and counts none', async () => {
    const before = await storedRows(t.app);
    for (const [label, headers] of FOREIGN) {
      for (const response of await votes(`foreign-${label}`, headers)) expectCrossSiteRefusal(response, label);
    }
    expect(await storedRows(t.app)).toEqual(before);
  });

  it('refuses every state-changing request from another site on every route, and changes nothing', async () => {
    const before = await storedRows(t.app);
    const routes = routesOf(t.app).filter((route) => !NOT_WALKED.some((pattern) => pattern.test(route.path)));
    let walked = 0;
    for (const route of routes) {
      const url = fill(route.path, { code: 'default', id: String(question.id) });
      for (const method of route.methods.filter((m) => m !== 'GET' && m !== 'OPTIONS')) {
        for (const [label, headers] of FOREIGN) {
          const response = await t.app.inject({
            method: method as 'POST',
            url,
            headers: { ...signedIn, ...headers },
            payload: {},
          });
          expectCrossSiteRefusal(response, `${method} ${url} with ${label}`);
          walked += 1;
        }
      }
    }
    expect(walked).toBeGreaterThan(40 * FOREIGN.length);
    expect(await storedRows(t.app)).toEqual(before);
  });

  it('opens no WebSocket and no event stream for a page of another site', async () => {
    const live = (headers: Record<string, string>) =>
      Promise.all([
        webSocketHandshake(`ws://${base}/api/polls/default/ws`, { ...headers, host: SITE }),
        eventStreamHandshake(`http://${base}/api/polls/default/events`, { ...headers, host: SITE }),
      ]);
    for (const [label, headers] of FOREIGN) {
      expect(await live(headers), label).toEqual([
        { opened: false, status: 403 },
        { opened: false, status: 403 },
      ]);
    }
    expect(await liveConnections(t.app)).toBe(0);

    for (const [label, headers] of OWN) {
      expect(await live(label === 'a script' ? headers : { ...headers, origin: OWN_ORIGIN }), label).toEqual([
        { opened: true },
        { opened: true, status: 200 },
      ]);
    }
  });
});

describe('a site whose public address differs from the address it is reached at', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(sqlite, { PUBLIC_URL: 'https://polls.example.org' });
  });
  afterAll(() => t?.close());

  it('takes state changes from its public origin and refuses Origin: null there too', async () => {
    const poll = (origin: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/polls',
        // A proxy in front passes the request on under an internal name.
        headers: { host: '10.0.0.5:3000', origin },
        payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
      });
    expect((await poll('https://polls.example.org')).statusCode).toBe(201);
    for (const origin of ['null', 'https://evil.example', 'https://polls.example.org.evil.example']) {
      expectCrossSiteRefusal(await poll(origin), origin);
    }
  });
});
