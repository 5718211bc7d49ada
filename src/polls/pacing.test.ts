import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  asUser,
  buildTestApp,
  cookieFrom,
  dialects,
  organizerToken,
  postForm,
  signInCookie,
  type TestApp,
} from '../../test/helpers.js';
import { openWebSocket } from '../../test/live-clients.js';

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
/** The texts of a page's enabled and disabled step buttons, and its pace line. */
const controlsOf = (body: string) => ({
  pace: /<span class="pace">([^<]*)</.exec(body)?.[1] ?? /<p class="pace">([^<]*)</.exec(body)?.[1]?.trim(),
  previous: /data-step="previous"[^>]*?(disabled)?>/.exec(body)?.[1] === undefined,
  next: /data-step="next"[^>]*?(disabled)?>/.exec(body)?.[1] === undefined,
  actions: [...body.matchAll(/\/control\/(close|reopen|reveal)"/g)].map((match) => match[1]),
});

describe.each(dialects)('the presenter steps through a poll on $name', (dialect) => {
  let t: TestApp;
  let admin: ReturnType<typeof asUser>;
  let code = '';
  const ids: number[] = [];

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    admin = asUser(t.app, await adminToken(t.app));
    code = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Offsite' } })).json().code;
    for (const payload of [
      { text: 'Where to?', options: ['Hills', 'Sea'] },
      { text: 'When?', options: ['May', 'June'], correct: [1] },
      { kind: 'rating', text: 'How keen?' },
    ]) {
      ids.push(
        (await admin({ method: 'POST', url: `/api/admin/polls/${code}/questions`, payload })).json().question.id,
      );
    }
  });
  afterAll(() => t?.close());

  const step = (direction: 'next' | 'previous', as = admin) =>
    as({ method: 'POST', url: `/api/admin/polls/${code}/${direction}` });

  it('goes forward and back in the poll order, each question live in turn, and says so at either end', async () => {
    const before = await step('previous');
    expect(before.statusCode).toBe(409);
    expect(before.json().error).toEqual({
      code: 'no_more_questions',
      message: 'No question has been shown yet: go to the next one.',
    });

    const address = t.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const viewer = await openWebSocket(`http://127.0.0.1:${port}`, code);
    const seen: (number | null)[] = [];
    try {
      for (const expected of [ids[0], ids[1], ids[2]]) {
        const response = await step('next');
        expect(response.statusCode).toBe(200);
        expect(response.json().question).toMatchObject({ id: expected, status: 'live' });
      }
      const last = await step('next');
      expect(last.statusCode).toBe(409);
      expect(last.json().error.message).toBe('This is the last question of the poll.');

      const back = await step('previous');
      expect(back.json().question).toMatchObject({ id: ids[1], status: 'live' });
      // One live question at a time: the one stepped away from closed with its results.
      const list = (await admin({ url: `/api/admin/polls/${code}/questions` })).json().questions;
      expect(list.map((q: { status: string }) => q.status)).toEqual(['closed', 'live', 'closed']);

      // Every screen followed each step as it happened.
      const { inbox } = viewer;
      await inbox.next(() => inbox.messages.filter((m) => m.type === 'question').length >= 4);
      for (const message of inbox.messages) if (message.type === 'question') seen.push(message.question?.id ?? null);
      expect(seen).toEqual([ids[0], ids[1], ids[2], ids[1]]);
    } finally {
      viewer.close();
    }
  });

  it('follows the order as the organizer moved it', async () => {
    // Now on the second; the third moves before it, so it comes before the current one.
    await admin({ method: 'POST', url: `/api/admin/questions/${ids[2]}/move`, payload: { direction: 'up' } });
    const back = await step('previous');
    expect(back.json().question.id).toBe(ids[2]);
    await admin({ method: 'POST', url: `/api/admin/questions/${ids[2]}/move`, payload: { direction: 'down' } });
  });

  it("lets no one but the poll's organizer step it, and takes no body", async () => {
    const other = asUser(t.app, await organizerToken(t.app, 'someone'));
    const stranger = await step('next', other);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.code).toBe('poll_not_found');
    const anonymous = await t.app.inject({ method: 'POST', url: `/api/admin/polls/${code}/next` });
    expect(anonymous.statusCode).toBe(401);
    const withBody = await admin({ method: 'POST', url: `/api/admin/polls/${code}/next`, payload: { to: 3 } });
    expect(withBody.statusCode).toBe(422);
  });

  it('shows the controls on the presenter view to the organizer only, and runs them without JavaScript', async () => {
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const anonymousView = await t.app.inject({ url: `/p/${code}/present` });
    expect(anonymousView.statusCode).toBe(200);
    expect(anonymousView.body).not.toContain('presenter-controls');
    expect(anonymousView.body).not.toContain('organizer.css');

    const present = await t.app.inject({ url: `/p/${code}/present`, headers: { cookie } });
    expect(controlsOf(present.body)).toEqual({
      pace: 'Question 3 of 3',
      previous: true,
      next: false,
      actions: ['close'],
    });
    const csrf = csrfOf(present.body);

    // A form of another site, or without the token, changes nothing.
    const forged = await postForm(t.app, `/p/${code}/control/previous`, { back: 'present' }, cookie);
    expect(forged.statusCode).toBe(403);
    const stepped = await postForm(t.app, `/p/${code}/control/previous`, { _csrf: csrf, back: 'present' }, cookie);
    expect(stepped.statusCode).toBe(303);
    expect(stepped.headers.location).toBe(`/p/${code}/present`);

    const second = await t.app.inject({ url: `/p/${code}/present`, headers: { cookie } });
    expect(controlsOf(second.body)).toMatchObject({ pace: 'Question 2 of 3', previous: true, next: true });
    // The quiz question's answer can be revealed from here.
    expect(controlsOf(second.body).actions).toEqual(['close', 'reveal']);

    const closed = await postForm(t.app, `/p/${code}/control/close`, { _csrf: csrf, back: 'remote' }, cookie);
    expect(closed.headers.location).toBe(`/p/${code}/remote?notice=close`);
    const remote = await t.app.inject({ url: closed.headers.location ?? '', headers: { cookie } });
    expect(remote.body).toContain('Voting is closed; the results stay on the screens.');
    expect(controlsOf(remote.body).actions).toEqual(['reopen', 'reveal']);
    expect(remote.body).toContain('Next: <strong dir="auto">How keen?</strong>');

    // The page script posts in place and gets the remote's changing part back, with what went wrong.
    await postForm(t.app, `/p/${code}/control/previous?partial=1`, { _csrf: csrf, back: 'remote' }, cookie);
    const atStart = await postForm(
      t.app,
      `/p/${code}/control/previous?partial=1`,
      { _csrf: csrf, back: 'remote' },
      cookie,
    );
    expect(atStart.statusCode).toBe(409);
    expect(atStart.body).not.toContain('<html');
    expect(atStart.body).toContain('This is the first question of the poll.');
    expect(controlsOf(atStart.body)).toMatchObject({ pace: 'Question 1 of 3', previous: false, next: true });
  });

  it('asks a signed-out organizer to sign in for the remote, and turns away everyone else', async () => {
    const signedOut = await t.app.inject({ url: `/p/${code}/remote` });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe(`/admin/login?next=${encodeURIComponent(`/p/${code}/remote`)}`);

    await organizerToken(t.app, 'another');
    const cookie = await signInCookie(t.app, 'another', 'another-password');
    const notTheirs = await t.app.inject({ url: `/p/${code}/remote`, headers: { cookie } });
    expect(notTheirs.statusCode).toBe(403);
    expect(notTheirs.body).toContain('Only the organizer of this poll can run it from here.');
    const theirPresent = await t.app.inject({ url: `/p/${code}/present`, headers: { cookie } });
    expect(theirPresent.body).not.toContain('presenter-controls');
    const control = await postForm(t.app, `/p/${code}/control/next`, { back: 'remote' }, cookie);
    expect(control.statusCode).toBe(403);
    const unknown = await postForm(t.app, `/p/${code}/control/launch`, { back: 'remote' }, cookie);
    expect(unknown.statusCode).toBe(422);
  });

  it("runs a quick poll's remote for the browser that made it", async () => {
    const made = await postForm(t.app, '/polls', { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    const quick = (made.headers.location ?? '').split('/')[2] ?? '';
    const cookie = cookieFrom(made.headers['set-cookie'], 'pc_manage');
    const stranger = await t.app.inject({ url: `/p/${quick}/remote` });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body).toContain('open the private manage link');

    const remote = await t.app.inject({ url: `/p/${quick}/remote`, headers: { cookie } });
    expect(remote.statusCode).toBe(200);
    expect(controlsOf(remote.body)).toEqual({
      pace: 'Question 1 of 1',
      previous: false,
      next: false,
      actions: ['close'],
    });
    const closed = await postForm(
      t.app,
      `/p/${quick}/control/close`,
      { _csrf: csrfOf(remote.body), back: 'remote' },
      cookie,
    );
    expect(closed.statusCode).toBe(303);
    const state = await t.app.inject({ url: `/api/polls/${quick}` });
    expect(state.json().currentQuestion.status).toBe('closed');
  });
});
