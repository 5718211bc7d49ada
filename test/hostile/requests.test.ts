import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatus } from '../../src/errors.js';
import {
  ADMIN_PASSWORD,
  adminToken,
  buildTestApp,
  cookieFrom,
  createLiveQuestion,
  dialects,
  multipart,
  type OptionsQuestion,
  signInCookie,
  storedRows,
  type TestApp,
  voterCookie,
} from '../helpers.js';
import { fill, type Route, routesOf } from './routes.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

// Static files and the API docs serve files, not input; signing out with junk fields still
// signs out, as it should.
const NOT_WALKED = [/\*/, /^\/api\/docs/, /\/logout$/];

const HOSTILE_PARAMS: Record<string, string[]> = {
  code: ['A'.repeat(300), '%00', '..%2F..%2Fetc%2Fpasswd', '%3Cscript%3E', 'ZZZZZZ', '%E0%A4%A'],
  id: ['0', '-1', '1e400', '99999999999999999999', '2147483648', 'abc', '%00', '1.5'],
};
/** Well-formed parameters that name nothing, so that a body reaches validation and the handler. */
const UNKNOWN_PARAMS: Record<string, string> = { code: 'ZZZZZZ', id: '999999' };

/**
 * Every field name any route reads, so that each gets a hostile value somewhere; but not `more`,
 * the "add option" button, which rightly answers with the same form one row longer.
 */
const FIELDS = [
  'questionId',
  'optionId',
  'text',
  'options',
  'activate',
  'title',
  'question',
  'username',
  'password',
  'oneVotePerAddress',
  'votesChangeable',
  'next',
  'ocr',
  'nickname',
  'shown',
  'name',
  'open',
  'moderated',
  'named',
  '_csrf',
];
const every = (value: unknown) => Object.fromEntries(FIELDS.map((field) => [field, value]));

interface Body {
  name: string;
  contentType: string;
  payload: string;
}
const json = (name: string, value: unknown): Body => ({
  name,
  contentType: 'application/json',
  payload: JSON.stringify(value),
});
const form = (name: string, entries: [string, string][]): Body => ({
  name,
  contentType: 'application/x-www-form-urlencoded',
  payload: new URLSearchParams(entries).toString(),
});

function multipartBody(fields: Record<string, string>): Omit<Body, 'name'> {
  const { payload, headers } = multipart({}, fields);
  return { contentType: headers['content-type'], payload: payload.toString('latin1') };
}

const HOSTILE_BODIES: Body[] = [
  json('a JSON array', []),
  json('a JSON string', 'vote for me'),
  json('JSON null', null),
  json('objects as values', every({ $gt: '' })),
  json('nested arrays as values', every([['a'], ['b']])),
  json('negative and huge numbers', every(-1)),
  json('numbers too large for an id', every(1e308)),
  json('long strings', every('x'.repeat(6000))),
  json('NUL bytes', every('\u0000')),
  {
    name: 'prototype pollution',
    contentType: 'application/json',
    payload: '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
  },
  { name: 'broken JSON', contentType: 'application/json', payload: '{"questionId": 1,' },
  {
    name: 'a body over the size limit',
    contentType: 'application/json',
    payload: JSON.stringify(every('x'.repeat(8000))),
  },
  { name: 'an unexpected content type', contentType: 'text/plain', payload: 'questionId=1' },
  {
    name: 'XML',
    contentType: 'application/xml',
    payload: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  },
  form(
    'repeated form fields',
    FIELDS.flatMap((field) => [
      [field, '1'],
      [field, '2'],
    ]),
  ),
  form(
    'a form of 500 option rows',
    Array.from({ length: 500 }, (_, i) => ['options', `Option ${i}`] as [string, string]),
  ),
  form('oversized form fields', [
    ...FIELDS.filter((field) => field !== 'options').map((field) => [field, 'y'.repeat(21_000)] as [string, string]),
  ]),
];

/** An answer that is a clear refusal: a 4xx with a code from the closed set (API) or an error page. */
function expectClearRefusal(response: LightMyRequestResponse, label: string) {
  const url = label.split(' ')[1] ?? '';
  expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
  expectNoLeak(response, label);
  if (url.startsWith('/api/')) {
    const { error } = response.json();
    expect(errorStatus[error.code as keyof typeof errorStatus], `${label}: ${error.code}`).toBe(response.statusCode);
    expect(error.message, label).toEqual(expect.any(String));
  } else {
    expect(response.headers['content-type'], label).toContain('text/html');
  }
}

function expectNoLeak(response: LightMyRequestResponse, url: string) {
  expect(response.statusCode, url).toBeLessThan(500);
  for (const leak of ['    at ', 'node_modules', 'SQLITE_', 'TypeError', 'polluted']) {
    expect(response.body, url).not.toContain(leak);
  }
}

describe('hostile requests on every route get a clear 4xx and change nothing', () => {
  let t: TestApp;
  let routes: Route[];
  let headers: Record<string, string>;
  let questionId: number;
  let optionIds: number[];
  let draft: OptionsQuestion;

  beforeAll(async () => {
    t = await buildTestApp(sqlite);
    const token = await adminToken(t.app);
    const question = await createLiveQuestion(t.app, token);
    questionId = question.id;
    optionIds = question.options.map((option) => option.id);
    const drafted = await t.app.inject({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      headers: { authorization: `Bearer ${token}` },
      payload: { text: 'Not live yet?', options: ['Yes', 'No'] },
    });
    draft = drafted.json().question;
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const dashboard = await t.app.inject({ url: '/admin', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.body)?.[1] ?? '';
    // Signed in every way at once, with a valid CSRF token: what is refused is refused for the input.
    headers = { authorization: `Bearer ${token}`, cookie: `${cookie}; ${voterCookie('walker')}`, 'x-csrf-token': csrf };
    routes = routesOf(t.app).filter((route) => !NOT_WALKED.some((pattern) => pattern.test(route.path)));
  });
  afterAll(() => t?.close());

  const send = (method: string, url: string, body?: Body) =>
    t.app.inject({
      method: method as 'POST',
      url,
      headers: { ...headers, ...(body ? { 'content-type': body.contentType } : {}) },
      ...(body ? { payload: body.payload } : {}),
    });

  it('finds the routes it walks', () => {
    const paths = routes.map((route) => route.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/polls/:code/votes', '/p/:code', '/admin/questions/:id/edit', '/api/admin/users']),
    );
    expect(paths.length).toBeGreaterThan(40);
  });

  it('refuses hostile path parameters on every route', async () => {
    const before = await storedRows(t.app);
    let walked = 0;
    for (const route of routes.filter((r) => r.path.includes(':'))) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
      for (const name of names) {
        for (const value of HOSTILE_PARAMS[name] ?? []) {
          const url = fill(route.path, { ...UNKNOWN_PARAMS, [name]: value });
          for (const method of route.methods) {
            const body = method === 'GET' || method === 'DELETE' ? undefined : json('ordinary', {});
            expectClearRefusal(await send(method, url, body), `${method} ${url}`);
            walked += 1;
          }
        }
      }
    }
    expect(walked).toBeGreaterThan(200);
    expect(await storedRows(t.app)).toEqual(before);
  });

  it('refuses hostile bodies on every route that takes one', async () => {
    const before = await storedRows(t.app);
    let walked = 0;
    for (const route of routes) {
      const url = fill(route.path, UNKNOWN_PARAMS);
      for (const method of route.methods.filter((m) => m !== 'GET')) {
        for (const body of HOSTILE_BODIES) {
          // A multipart route refuses every other content type before reading a byte.
          expectClearRefusal(await send(method, url, body), `${method} ${url} with ${body.name}`);
          walked += 1;
        }
      }
    }
    expect(walked).toBeGreaterThan(300);
    expect(await storedRows(t.app)).toEqual(before);
    expect(({} as { polluted?: string }).polluted).toBeUndefined();
  });

  it('refuses a body made only of fields the route does not know, on every route, with real parameters', async () => {
    const before = await storedRows(t.app);
    const real = { code: 'default', id: String(questionId) };
    const unknownOnly: Body[] = [
      json('only unknown JSON properties', { qa: true }),
      form('only unknown form fields', [['qa', '1']]),
      { name: 'only unknown multipart fields', ...multipartBody({ qa: 'true' }) },
    ];
    let walked = 0;
    for (const route of routes) {
      const url = fill(route.path, real);
      for (const method of route.methods.filter((m) => m !== 'GET')) {
        for (const body of unknownOnly) {
          expectClearRefusal(await send(method, url, body), `${method} ${url} with ${body.name}`);
          walked += 1;
        }
      }
    }
    expect(walked).toBeGreaterThan(60);
    expect(await storedRows(t.app)).toEqual(before);
  });

  it('answers hostile query strings on every page without an error of its own', async () => {
    const before = await storedRows(t.app);
    const query = new URLSearchParams([
      ...['partial', 'review', 'notice', 'token', 'code', 'next', 'created', 'deleted'].flatMap((key) => [
        [key, 'z'.repeat(3000)],
        [key, '<script>alert(1)</script>'],
      ]),
      ['__proto__[polluted]', 'yes'],
    ]);
    for (const route of routes) {
      if (!route.methods.includes('GET') || route.path.endsWith('/ws') || route.path.endsWith('/events')) continue;
      const url = `${fill(route.path, { code: 'default', id: String(questionId) })}?${query}`;
      const response = await send('GET', url);
      expectNoLeak(response, url);
      expect(response.body, url).not.toContain('<script>alert(1)</script>');
    }
    expect(await storedRows(t.app)).toEqual(before);
  });

  it('refuses votes that name the wrong things, and stores none of them', async () => {
    const before = await storedRows(t.app);
    const [first = 0] = optionIds;
    const [otherOption = 0] = draft.options.map((option) => option.id);
    const cases: [unknown, number, string][] = [
      [{ questionId, optionId: 999_999 }, 422, 'invalid_option'],
      [{ questionId, optionId: otherOption }, 422, 'invalid_option'],
      [{ questionId: draft.id, optionId: otherOption }, 409, 'question_not_live'],
      [{ questionId, optionId: String(first) }, 422, 'validation_failed'],
      [{ questionId, optionId: first + 0.5 }, 422, 'validation_failed'],
      [{ questionId }, 422, 'validation_failed'],
      [{ questionId, optionId: [first, first] }, 422, 'validation_failed'],
    ];
    for (const [payload, status, code] of cases) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/polls/default/votes',
        headers: { cookie: voterCookie('careful') },
        payload: payload as object,
      });
      expect([response.statusCode, response.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
    }
    expect(await storedRows(t.app)).toEqual(before);

    // A malformed voter cookie is never trusted: the browser gets a fresh id, and the vote is its.
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/polls/default/votes',
      headers: { cookie: 'pc_voter=../../etc/passwd' },
      payload: { questionId, optionId: first },
    });
    expect(forged.statusCode).toBe(201);
    const freshId = cookieFrom(forged.headers['set-cookie'], 'pc_voter').split('=')[1];
    expect(freshId).toMatch(/^[0-9a-f-]{36}$/);
    const voters = await t.app.db.selectFrom('votes').select('voter_id').execute();
    expect(voters.map((vote) => vote.voter_id)).toEqual([freshId]);
  });
});
