import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  storedRows,
  type TestApp,
  voterCookie,
} from '../helpers.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

/** The join link a page or the QR code of the default poll's share page shows. */
const joinLinkOf = (html: string) => /id="join-link" value="([^"]*)"/.exec(html)?.[1];

describe('links built from forwarded headers', () => {
  let proxied: TestApp;
  beforeAll(async () => {
    proxied = await buildTestApp(sqlite, { TRUST_PROXY: 'true' });
  });
  afterAll(() => proxied?.close());

  it('never lets a shared cache keep a QR code drawn for one request', async () => {
    const forged = await proxied.app.inject({
      url: '/p/default/qr.svg',
      headers: { 'x-forwarded-host': 'evil.example' },
    });
    expect(forged.statusCode).toBe(200);
    expect(forged.headers['cache-control']).toMatch(/^private\b/);
    expect(forged.headers['cache-control']).not.toContain('public');
  });

  it.each([
    ['a host with a path', { 'x-forwarded-host': 'evil.example/x?' }],
    ['a host with user info', { 'x-forwarded-host': 'user@evil.example' }],
    ['a host with spaces', { 'x-forwarded-host': 'evil example' }],
    ['a scheme that is not http', { 'x-forwarded-proto': 'javascript' }],
  ])('refuses to build a link from %s', async (_name, headers) => {
    for (const url of ['/p/default/share', '/p/default/qr.svg', '/p/default/present']) {
      const response = await proxied.app.inject({ url, headers });
      expect(response.statusCode, url).toBe(400);
      expect(response.body, url).not.toContain('evil.example');
    }
    const before = await storedRows(proxied.app);
    const api = await proxied.app.inject({
      method: 'POST',
      url: '/api/polls',
      headers,
      payload: { question: 'Forged?', options: ['Yes', 'No'] },
    });
    expect([api.statusCode, api.json().error.code]).toEqual([400, 'bad_request']);
    expect(await storedRows(proxied.app)).toEqual(before);
  });

  it('builds every link from PUBLIC_URL when it is set, whatever the request names', async () => {
    const fixed = await buildTestApp(sqlite, { TRUST_PROXY: 'true', PUBLIC_URL: 'https://polls.example.org' });
    try {
      const share = await fixed.app.inject({
        url: '/p/default/share',
        headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' },
      });
      expect(joinLinkOf(share.body)).toBe('https://polls.example.org/vote');
      expect(share.body).not.toContain('evil.example');
    } finally {
      await fixed.close();
    }
  });

  it('with TRUST_PROXY as a number of hops, a client cannot pick its address by writing X-Forwarded-For', async () => {
    const hops = await buildTestApp(sqlite, { TRUST_PROXY: '1', RATE_LIMIT_VOTES_PER_ADDRESS: '2' });
    try {
      const question = await createLiveQuestion(hops.app, await adminToken(hops.app));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await hops.app.inject({
          method: 'POST',
          url: '/api/polls/default/votes',
          // The proxy (10.0.0.1) appends the address it saw; the client wrote a new one each time.
          remoteAddress: '10.0.0.1',
          headers: { cookie: voterCookie(`hop-${i}`), 'x-forwarded-for': `198.51.100.${i}, 203.0.113.9` },
          payload: { questionId: question.id, optionId: question.options[0]?.id },
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([201, 201, 429, 429]);
    } finally {
      await hops.close();
    }
  });
});
