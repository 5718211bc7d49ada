import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleError, startGeminiStandIn } from '../gemini-stand-in.js';
import {
  ADMIN_PASSWORD,
  adminToken,
  buildTestApp,
  dialects,
  fixture,
  postForm,
  type TestApp,
  uploadImages,
} from '../helpers.js';
import { webSocketHandshake } from './live-handshakes.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

describe('the admin side and the live handshakes', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp(sqlite);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  it('sends security headers with pages and API answers', async () => {
    for (const url of ['/', '/api/polls/default']) {
      const response = await t.app.inject({ url });
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      // No address goes to another site, and this site's own form posts still name their origin.
      expect(response.headers['referrer-policy']).toBe('same-origin');
      // Plain http on a room's network is the usual setup: no HSTS there.
      expect(response.headers['strict-transport-security']).toBeUndefined();
    }
    // A page's script or stylesheet gets only the headers that apply to it.
    const asset = await t.app.inject({ url: '/assets/vote.js' });
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expect(asset.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(asset.headers['content-security-policy']).toBeUndefined();
  });

  it('refuses WebSocket and SSE handshakes from pages of other sites', async () => {
    expect(await webSocketHandshake(`ws://${base}/api/polls/default/ws`, { origin: 'http://evil.example' })).toEqual({
      opened: false,
      status: 403,
    });
    expect(await webSocketHandshake(`ws://${base}/api/polls/default/ws`, { origin: `http://${base}` })).toEqual({
      opened: true,
    });

    const foreign = await fetch(`http://${base}/api/polls/default/events`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('csrf_invalid');
    const own = new AbortController();
    const same = await fetch(`http://${base}/api/polls/default/events`, {
      headers: { origin: `http://${base}` },
      signal: own.signal,
    });
    expect(same.status).toBe(200);
    own.abort();
  });

  it('refuses a cookie-authenticated change without its CSRF token, and from another site', async () => {
    const login = await postForm(t.app, '/admin/login', { username: 'admin', password: ADMIN_PASSWORD });
    const cookie = (login.headers['set-cookie'] as string[] | string).toString().split(';')[0] ?? '';
    const noToken = await postForm(t.app, '/admin/polls', { title: 'Sneaky' }, cookie);
    expect(noToken.statusCode).toBe(403);
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/api/admin/polls',
      headers: { cookie, origin: 'http://evil.example' },
      payload: { title: 'Sneaky' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().error.code).toBe('csrf_invalid');
    const titles = await t.app.db.selectFrom('polls').select('title').execute();
    expect(titles.map((p) => p.title)).not.toContain('Sneaky');
  });

  it('marks cookies Secure when the request came over https through a trusted proxy', async () => {
    const proxied = await buildTestApp(sqlite, { TRUST_PROXY: 'true' });
    try {
      const viaHttps = await proxied.app.inject({ url: '/vote', headers: { 'x-forwarded-proto': 'https' } });
      const cookie = viaHttps.cookies.find((c) => c.name === 'pc_voter');
      expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      const viaHttp = await proxied.app.inject({ url: '/vote' });
      expect(viaHttp.cookies.find((c) => c.name === 'pc_voter')?.secure).toBeFalsy();
    } finally {
      await proxied.close();
    }
    // Without TRUST_PROXY a client cannot claim https for itself.
    const claimed = await t.app.inject({ url: '/vote', headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.cookies.find((c) => c.name === 'pc_voter')?.secure).toBeFalsy();
  });

  it('marks the session cookie Secure and sends HSTS when the site is https', async () => {
    const https = await buildTestApp(sqlite, { PUBLIC_URL: 'https://polls.example.org' });
    try {
      const login = await postForm(https.app, '/admin/login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(login.cookies.find((c) => c.name === 'pc_session')).toMatchObject({ secure: true, httpOnly: true });
      expect(login.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await https.close();
    }
  });

  it('answers a wrong password and an unknown account alike', async () => {
    const attempt = (username: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'not-the-password' } });
    const wrongPassword = await attempt('admin');
    const noSuchUser = await attempt('nobody-here');
    expect(wrongPassword.statusCode).toBe(401);
    expect(noSuchUser.statusCode).toBe(401);
    expect(noSuchUser.json()).toEqual(wrongPassword.json());
  });
});

describe('secrets stay out of the log and out of error answers', () => {
  it('never writes the API key, a password or a token', async () => {
    const standIn = await startGeminiStandIn();
    const lines: string[] = [];
    const apiKey = 'AIza-secret-key-that-must-not-leak';
    const t = await buildTestApp(
      sqlite,
      { OCR_PROVIDER: 'gemini', GEMINI_API_KEY: apiKey, GEMINI_BASE_URL: standIn.baseUrl, LOG_LEVEL: 'debug' },
      { logger: { stream: { write: (line: string) => void lines.push(line) } } },
    );
    try {
      const token = await adminToken(t.app);
      standIn.script(googleError(400, 'INVALID_ARGUMENT', `API key not valid: ${apiKey}`));
      const upload = await uploadImages(t.app, token, {
        question_image: fixture('capital-question.png'),
        options_image: fixture('capital-options.png'),
      });
      expect(upload.statusCode).toBeGreaterThanOrEqual(400);
      expect(upload.body).not.toContain(apiKey);
      const quick = await t.app.inject({
        method: 'POST',
        url: '/api/polls',
        payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
      });
      const { manageToken, urls } = quick.json();
      await t.app.inject({ url: new URL(urls.manage).pathname + new URL(urls.manage).search });

      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [apiKey, ADMIN_PASSWORD, token, manageToken]) expect(log).not.toContain(secret);
    } finally {
      await t.close();
      await standIn.close();
    }
  });
});
