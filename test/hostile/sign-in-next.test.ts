import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, buildTestApp, dialects, postForm, type TestApp } from '../helpers.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const SITE = 'http://pollcast.test';

// Each names another site to a browser in its own way, or a scheme that runs or shows something.
const HOSTILE_NEXT = [
  '/\t/evil.example/x',
  '/\n/evil.example/x',
  '/\r\n/evil.example/x',
  '/\u0000/evil.example',
  '/\u007f/evil.example',
  '//evil.example/x',
  '///evil.example/x',
  '/\\evil.example/x',
  '/\\/evil.example/x',
  '\\\\evil.example/x',
  '/ /evil.example',
  ' //evil.example',
  '\t//evil.example',
  'https://evil.example/x',
  'http:evil.example',
  'https:/evil.example',
  '//user:pass@evil.example',
  '/%2F/evil.example',
  '%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%09/evil.example',
  '%09//evil.example',
  '/\u3000/evil.example',
  '/\uff0f\uff0fevil.example',
  '\uff0f\uff0fevil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '.evil.example',
  `/${'a'.repeat(1500)}`,
  `//${'a'.repeat(1500)}.evil.example`,
];

/** Where a browser goes with this address from a page of the site, and whether it reads it as we do. */
function expectSamePath(value: string | undefined, label: string) {
  expect(value, label).toMatch(/^\/(?![/\\])/);
  // Nothing a browser strips or reads as a slash before it resolves the address.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  expect(value, label).not.toMatch(/[\u0000-\u0020\u007f\\]/);
  expect(new URL(value ?? '', SITE).origin, label).toBe(SITE);
}

describe("sign-in's next address", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(sqlite);
  });
  afterAll(() => t?.close());

  const signIn = (next: string): Promise<LightMyRequestResponse> =>
    postForm(t.app, '/admin/login', { username: 'admin', password: ADMIN_PASSWORD, next });
  const formNext = async (next: string) => {
    const page = await t.app.inject({ url: `/admin/login?${new URLSearchParams({ next })}` });
    expect(page.statusCode).toBe(200);
    const value = /name="next" value="([^"]*)"/.exec(page.body)?.[1];
    return value
      ?.replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<');
  };

  it('never sends the browser to another site, whatever next says', async () => {
    for (const next of HOSTILE_NEXT) {
      const label = JSON.stringify(next.slice(0, 40));
      const response = await signIn(next);
      expect(response.statusCode, label).toBe(303);
      expectSamePath(response.headers.location, label);
      expectSamePath(await formNext(next), label);
    }
  });

  it('keeps a path of the site, with its query and fragment', async () => {
    for (const next of ['/admin/polls/K7QM2X?review=3&notice=saved#review', '/admin/users', '/admin/account']) {
      expect((await signIn(next)).headers.location).toBe(next);
      expect(await formNext(next)).toBe(next);
    }
    expect((await signIn('')).headers.location).toBe('/admin');
  });

  it('sends a signed-out visitor of an admin page back to it after signing in', async () => {
    const asked = await t.app.inject({ url: '/admin/users?created=someone' });
    expect(asked.headers.location).toBe(`/admin/login?next=${encodeURIComponent('/admin/users?created=someone')}`);
    const next = new URL(String(asked.headers.location), SITE).searchParams.get('next') ?? '';
    expect((await signIn(next)).headers.location).toBe('/admin/users?created=someone');
  });
});
