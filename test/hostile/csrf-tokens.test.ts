import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, signInAsAdmin, useBrowserRun } from '../e2e/browser.js';
import {
  ADMIN_PASSWORD,
  adminToken,
  buildTestApp,
  cookieFrom,
  createLiveQuestion,
  dialects,
  fixture,
  fixturePath,
  multipart,
  signInCookie,
  storedRows,
  type TestApp,
} from '../helpers.js';
import { fill, routesOf } from './routes.js';
import { unfinishedUpload } from './unfinished-upload.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const UPLOAD_PAGE = '/admin/polls/default/questions/from-images';
const EXPIRED = 'This form has expired. Reload the page and try again.';
const IMAGES = { question_image: fixture('lunch-question.png'), options_image: fixture('lunch-options.png') };

/** The CSRF tokens a page's forms carry, as `name="_csrf"` fields. */
const tokensOf = (body: string) => [...body.matchAll(/name="_csrf" value="([^"]+)"/g)].map((match) => match[1] ?? '');

/** Every attribute of a page that holds a CSRF token or names the `_csrf` field, but a form field's own. */
function tokenLeaks(body: string): string[] {
  const tokens = tokensOf(body);
  const leaks: string[] = [];
  for (const [attribute, name, value = ''] of body.matchAll(/([\w-]+)="([^"]*)"/g)) {
    const fieldOwn = (name === 'name' && value === '_csrf') || name === 'value' || name === 'data-csrf';
    if (!fieldOwn && (value.includes('_csrf') || tokens.some((token) => value.includes(token)))) leaks.push(attribute);
  }
  return leaks;
}

describe('CSRF tokens stay out of addresses', () => {
  let t: TestApp;
  let cookie: string;
  let csrf: string;
  let questionId: number;

  beforeAll(async () => {
    t = await buildTestApp(sqlite);
    questionId = (await createLiveQuestion(t.app, await adminToken(t.app))).id;
    cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    csrf = tokensOf((await t.app.inject({ url: '/admin', headers: { cookie } })).body)[0] ?? '';
    expect(csrf).not.toBe('');
  });
  afterAll(() => t?.close());

  it('puts none in any address a page renders', async () => {
    const quick = await t.app.inject({
      method: 'POST',
      url: '/api/polls',
      payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
    });
    const { code, urls } = quick.json();
    const manageLink = new URL(urls.manage);
    const opened = await t.app.inject({ url: manageLink.pathname + manageLink.search });
    const manager = cookieFrom(opened.headers['set-cookie'], `pc_manage_${code}`) || opened.headers['set-cookie'];
    const pages = [
      ...routesOf(t.app)
        .filter((route) => route.methods.includes('GET') && !/\*|\/ws$|\/events$|^\/api\/docs/.test(route.path))
        .map((route) => fill(route.path, { code: 'default', id: String(questionId) })),
      `/admin?review=${questionId}`,
      `/admin/questions/${questionId}/edit`,
    ];
    let withForms = 0;
    for (const url of pages) {
      const page = await t.app.inject({ url, headers: { cookie } });
      if (tokensOf(page.body).length > 0) withForms += 1;
      expect(tokenLeaks(page.body), url).toEqual([]);
    }
    const manage = await t.app.inject({ url: `/p/${code}/manage`, headers: { cookie: String(manager) } });
    expect(tokensOf(manage.body)).not.toEqual([]);
    expect(tokenLeaks(manage.body)).toEqual([]);
    expect(withForms).toBeGreaterThan(3);
  });

  it('never takes a token from the query string', async () => {
    const before = await storedRows(t.app);
    let walked = 0;
    for (const route of routesOf(t.app)) {
      const url = fill(route.path, { code: 'default', id: String(questionId) });
      for (const method of route.methods.filter((m) => !['GET', 'OPTIONS'].includes(m))) {
        const api = url.startsWith('/api/');
        const send = (address: string) =>
          t.app.inject({
            method: method as 'POST',
            url: address,
            headers: { cookie, 'content-type': api ? 'application/json' : 'application/x-www-form-urlencoded' },
            payload: api ? '{}' : '',
          });
        const withoutToken = await send(url);
        if (withoutToken.statusCode !== 403 || !withoutToken.body.includes(EXPIRED)) continue;
        // The same refusal, as if the token were not there.
        const withQueryToken = await send(`${url}?_csrf=${encodeURIComponent(csrf)}`);
        expect([withQueryToken.statusCode, withQueryToken.body.includes(EXPIRED)], `${method} ${url}`).toEqual([
          403,
          true,
        ]);
        walked += 1;
      }
    }
    expect(walked).toBeGreaterThan(15);

    const upload = multipart(IMAGES);
    const queryOnly = await t.app.inject({
      method: 'POST',
      url: `${UPLOAD_PAGE}?_csrf=${encodeURIComponent(csrf)}`,
      headers: { cookie, ...upload.headers },
      payload: upload.payload,
    });
    expect(queryOnly.statusCode).toBe(403);
    expect(queryOnly.body).toContain(EXPIRED);
    expect(await storedRows(t.app)).toEqual(before);
  });

  it('takes an upload whose form carries its token before the files, as the page sends it', async () => {
    const send = (fields: Record<string, string>, files: Record<string, Buffer> = IMAGES) => {
      const body = multipart(files, fields);
      return t.app.inject({
        method: 'POST',
        url: UPLOAD_PAGE,
        headers: { cookie, ...body.headers },
        payload: body.payload,
      });
    };
    const before = await storedRows(t.app);
    const forged: Record<string, string>[] = [{}, { _csrf: 'not-the-token' }, { _csrf: '' }, { activate: 'false' }];
    for (const fields of forged) {
      const refused = await send(fields);
      expect(refused.statusCode, JSON.stringify(fields)).toBe(403);
      expect(refused.body).toContain(EXPIRED);
    }
    // After the files is too late: they would have been read by then.
    const late = multipart(IMAGES);
    const tokenLast = Buffer.concat([
      late.payload.subarray(0, late.payload.lastIndexOf('------pollcast-test-boundary--')),
      Buffer.from(`------pollcast-test-boundary\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
      Buffer.from('------pollcast-test-boundary--\r\n'),
    ]);
    const afterFiles = await t.app.inject({
      method: 'POST',
      url: UPLOAD_PAGE,
      headers: { cookie, ...late.headers },
      payload: tokenLast,
    });
    expect(afterFiles.statusCode).toBe(403);
    expect(await storedRows(t.app)).toEqual(before);

    const created = await send({ _csrf: csrf, activate: 'false' });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toMatch(/^\/admin\?review=\d+&notice=created#review$/);
    // A script signed in by cookie may send the field too, instead of the header.
    const api = multipart(IMAGES, { _csrf: csrf });
    const viaApi = await t.app.inject({
      method: 'POST',
      url: '/api/admin/polls/default/questions/from-images',
      headers: { cookie, ...api.headers },
      payload: api.payload,
    });
    expect(viaApi.statusCode).toBe(201);
  });

  it('refuses a form without its token at its first file, while the file is still streaming', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const before = await storedRows(t.app);
    // Part of a file and no token before it: only a server that refuses before reading the file answers now.
    const answer = await unfinishedUpload(port, UPLOAD_PAGE, { cookie }, 'question_image', [
      IMAGES.question_image.subarray(0, 1000),
    ]);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain(EXPIRED);
    expect(await storedRows(t.app)).toEqual(before);
  });
});

describe('the request log', () => {
  it('never shows a CSRF token or a manage token, however the address names it', async () => {
    const lines: string[] = [];
    const t = await buildTestApp(
      sqlite,
      { LOG_LEVEL: 'info' },
      { logger: { stream: { write: (line: string) => void lines.push(line) } } },
    );
    try {
      const secrets = Array.from({ length: 7 }, (_, i) => `secret-${i}-${'z'.repeat(20)}`);
      for (const url of [
        `/admin?_csrf=${secrets[0]}`,
        `/vote?partial=1&_csrf=${secrets[1]}&x=1`,
        `/vote?%5Fcsrf=${secrets[2]}`,
        `/vote?_CSRF=${secrets[3]}`,
        `/p/ZZZZZZ/manage?token=${secrets[4]}`,
        `/p/ZZZZZZ/manage?%74oken=${secrets[5]}`,
      ]) {
        await t.app.inject({ url });
      }
      await t.app.inject({ method: 'POST', url: `/admin/questions/1/close?_csrf=${secrets[6]}`, payload: {} });
      const log = lines.join('');
      expect(log).toContain('[redacted]');
      expect(log).toContain('partial=1');
      for (const secret of secrets) expect(log).not.toContain(secret);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(browserMissing)('the upload form without JavaScript, in a real browser', () => {
  const run = useBrowserRun();

  it('sends its token in the body, and no address it visits carries one', async () => {
    const context = await run.browser.newContext({ javaScriptEnabled: false });
    const admin = await context.newPage();
    const addresses: string[] = [];
    admin.on('request', (request) => addresses.push(request.url()));
    await signInAsAdmin(admin, run.base);
    await admin.setInputFiles('input[name="question_image"]', fixturePath('lunch-question.png'));
    await admin.setInputFiles('input[name="options_image"]', fixturePath('lunch-options.png'));
    await admin.click('#upload-form button[type="submit"]');
    await admin.waitForURL(/review=\d+/);
    expect(await admin.inputValue('#edit-text')).toBe('Where should the team go for lunch on Friday?');
    expect(addresses.filter((address) => address.includes('_csrf'))).toEqual([]);
    expect(addresses).toContain(`${run.base}${UPLOAD_PAGE}`);
    await context.close();
  });
});
