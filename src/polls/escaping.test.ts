import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, buildTestApp, dialects, organizerToken, signInCookie, type TestApp } from '../../test/helpers.js';
import { escapeHtml } from '../views/html.js';

const HOSTILE_QUESTION = `<script>alert("q")</script> Which "quote" & 'apostrophe'? 🎉`;
const HOSTILE_OPTIONS = ['<img src=x onerror=alert(1)>', 'שלום עולם', '" onmouseover="alert(2)', '=cmd|calc'];
const HOSTILE_TITLE = '</title><script>alert("title")</script>';

/** Markup that only hostile text could have produced. */
const INJECTED = [/<script>alert/, /<img src=x/, /" onmouseover="/, /<\/title><script>/];

describe.each(dialects)('text typed by users is shown as text on $name', (dialect) => {
  let t: TestApp;
  let quick: { code: string; manageToken: string };
  let organizerPoll: string;
  let sessionCookie: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    quick = (
      await t.app.inject({
        method: 'POST',
        url: '/api/polls',
        payload: { question: HOSTILE_QUESTION, options: HOSTILE_OPTIONS },
      })
    ).json();
    const organizer = asUser(t.app, await organizerToken(t.app, 'olga'));
    organizerPoll = (
      await organizer({ method: 'POST', url: '/api/admin/polls', payload: { title: HOSTILE_TITLE } })
    ).json().code;
    await organizer({
      method: 'POST',
      url: `/api/admin/polls/${organizerPoll}/questions`,
      payload: { text: HOSTILE_QUESTION, options: HOSTILE_OPTIONS, activate: true },
    });
    sessionCookie = await signInCookie(t.app, 'olga', 'olga-password');
  });
  afterAll(() => t?.close());

  const expectEscaped = (body: string, texts: string[]) => {
    for (const pattern of INJECTED) expect(body).not.toMatch(pattern);
    for (const text of texts) expect(body).toContain(escapeHtml(text));
  };

  it('on the voting, results, share and presenter pages', async () => {
    for (const path of ['', '/results', '/present', '/share', '/present?partial=1']) {
      const response = await t.app.inject({ url: `/p/${quick.code}${path}` });
      expect(response.statusCode, path).toBe(200);
      expectEscaped(
        response.body,
        path === '/share' ? [HOSTILE_QUESTION.slice(0, 40)] : [HOSTILE_QUESTION, ...HOSTILE_OPTIONS],
      );
    }
  });

  it("on the quick poll's manage page", async () => {
    const opened = await t.app.inject({ url: `/p/${quick.code}/manage?token=${quick.manageToken}` });
    const cookie = String(opened.headers['set-cookie']).split(';')[0] ?? '';
    const page = await t.app.inject({ url: `/p/${quick.code}/manage`, headers: { cookie } });
    expectEscaped(page.body, [HOSTILE_QUESTION, ...HOSTILE_OPTIONS]);
  });

  it("on the organizer's dashboard and poll page", async () => {
    const dashboard = await t.app.inject({ url: '/admin', headers: { cookie: sessionCookie } });
    expectEscaped(dashboard.body, [HOSTILE_TITLE, HOSTILE_QUESTION]);
    const pollPage = await t.app.inject({ url: `/admin/polls/${organizerPoll}`, headers: { cookie: sessionCookie } });
    expectEscaped(pollPage.body, [HOSTILE_TITLE, HOSTILE_QUESTION, ...HOSTILE_OPTIONS]);
  });

  it('in the API and live messages, as the exact text (JSON, never markup)', async () => {
    const { liveQuestion } = (await t.app.inject({ url: `/api/polls/${quick.code}` })).json();
    expect(liveQuestion.text).toBe(HOSTILE_QUESTION);
    expect(liveQuestion.options.map((o: { text: string }) => o.text)).toEqual(HOSTILE_OPTIONS);
  });
});
