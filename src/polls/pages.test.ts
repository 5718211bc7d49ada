import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  asUser,
  buildTestApp,
  createLiveQuestion,
  dialects,
  fixture,
  multipart,
  postForm,
  signInCookie,
  type TestApp,
  voteAs,
  voterCookie,
} from '../../test/helpers.js';

const [sqlite] = dialects;

describe('voting and results pages without JavaScript', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    if (!sqlite) throw new Error('no dialect');
    t = await buildTestApp(sqlite);
    token = await adminToken(t.app);
  });
  afterAll(() => t?.close());

  /** The voting form, posted as a browser without JavaScript posts it. */
  const postVoteForm = (cookie: string, fields: Record<string, number>) =>
    t.app.inject({
      method: 'POST',
      url: '/vote',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
    });

  it('shows a waiting state when no question is live', async () => {
    const page = await t.app.inject({ url: '/vote' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Waiting for the next question');
    expect(page.cookies.find((c) => c.name === 'pc_voter')).toBeDefined();
    expect((await t.app.inject({ url: '/results' })).body).toContain('No question is live');
  });

  it('lets a voter vote with a plain form post, then shows "vote recorded" with the results', async () => {
    const question = await createLiveQuestion(t.app, token, { text: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    const cookie = voterCookie('form-voter');
    const page = await t.app.inject({ url: '/vote', headers: { cookie } });
    expect(page.body).toContain('<form method="post" action="/vote"');
    expect(page.body.match(/type="radio" name="optionId"/g)).toHaveLength(2);

    const choice = { questionId: question.id, optionId: question.options[1]?.id ?? 0 };
    const post = await postVoteForm(cookie, choice);
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toBe('/vote');

    const after = await t.app.inject({ url: '/vote', headers: { cookie } });
    expect(after.body).toContain('Vote recorded');
    expect(after.body).toMatch(
      /class="bar-row chosen" data-option-id="\d+">\s*<div class="bar-label"><span class="option-text">Coffee/,
    );
    expect(after.body).toContain('<span class="count">1</span> · <span class="percent">100%</span>');

    // A second tab still showing the form: the refusal alone, then the results as they stand.
    const again = await postVoteForm(cookie, choice);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('You have already voted');
    expect(again.body).not.toContain('Vote recorded');
    expect(again.body).toContain('<span class="count">1</span> · <span class="percent">100%</span>');

    const results = await t.app.inject({ url: '/results' });
    expect(results.body).toContain('Tea or coffee?');
    expect(results.body).toMatch(/<span class="total-count">1<\/span> <span class="total-word">vote<\/span>/);
  });

  it('names each page once, with the site as Pollcast and a poll by its title', async () => {
    const title = async (url: string) => /<title>([^<]*)<\/title>/.exec((await t.app.inject({ url })).body)?.[1];
    expect(await title('/p/default/present')).toBe('Present · Pollcast');
    expect(await title('/p/default/share')).toBe('Share · Pollcast');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/polls',
      payload: { question: 'Lunch at noon?', options: ['Yes', 'No'] },
    });
    expect(await title(`/p/${made.json().code}/present`)).toBe('Present · Lunch at noon? · Pollcast');
  });

  it('asks to choose when the form is sent without a choice', async () => {
    const question = await createLiveQuestion(t.app, token);
    const response = await postVoteForm(voterCookie('undecided'), { questionId: question.id });
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Choose one of the answers');
  });

  it('serves only the changing part to the page script', async () => {
    await createLiveQuestion(t.app, token, { text: 'Partial?', options: ['Yes', 'No'] });
    const partial = await t.app.inject({ url: '/vote?partial=1' });
    expect(partial.body).not.toContain('<html');
    expect(partial.body).toContain('Partial?');
  });

  it('shows text from users as text, never as markup', async () => {
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" ‮';
    await createLiveQuestion(t.app, token, { text: hostile, options: ['<b>bold</b>', 'fine & dandy'] });
    for (const url of ['/vote', '/results']) {
      const body = (await t.app.inject({ url })).body;
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x');
      expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(body).toContain('&lt;b&gt;bold&lt;/b&gt;');
      expect(body).toContain('fine &amp; dandy');
    }
  });

  it('answers an unknown poll code with a friendly 404 page and the join form', async () => {
    const page = await t.app.inject({ url: '/p/ZZZZZZ' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('There is no poll with this code');
    expect(page.body).toContain('action="/join"');
  });

  it('joins by code, case-insensitively, with the spaces and dashes people type', async () => {
    expect((await t.app.inject({ url: '/join?code=default' })).headers.location).toBe('/vote');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/polls',
      payload: { question: 'Joined?', options: ['Yes', 'No'] },
    });
    const code: string = made.json().code;
    for (const typed of [
      code.toLowerCase(),
      `${code.slice(0, 3)}-${code.slice(3)}`,
      ` ${code.slice(0, 3)} ${code.slice(3)} `,
    ]) {
      const join = await t.app.inject({ url: `/join?code=${encodeURIComponent(typed)}` });
      expect([join.statusCode, join.headers.location], typed).toEqual([303, `/p/${code}`]);
    }
    expect((await t.app.inject({ url: `/p/${code.slice(0, 3)}-${code.slice(3)}/results` })).statusCode).toBe(200);
  });

  it('says what is wrong with a code that cannot be one, and keeps it in the form to correct', async () => {
    const misread = await t.app.inject({ url: '/join?code=O0I1XX' });
    expect(misread.statusCode).toBe(400);
    expect(misread.body).toContain('Join codes never use the letters O and I or the digits 0 and 1');
    expect(misread.body).not.toContain('A join code has 6 letters');
    expect(misread.body).toContain('value="O0I1XX"');
    const short = await t.app.inject({ url: '/join?code=K7QM2' });
    expect(short.body).toContain('A join code has 6 letters and digits, like K7QM2X. This one has 5.');
    const hostile = await t.app.inject({ url: '/join?code=%3Cx%3E' });
    expect(hostile.statusCode).toBe(400);
    expect(hostile.body).toContain('value="&lt;x&gt;"');
  });

  it('keeps a well-formed code that names no poll in the join form, on the home page and the not-found page', async () => {
    const joined = await t.app.inject({ url: '/join?code=zzz-zzz' });
    expect(joined.statusCode).toBe(404);
    expect(joined.body).toContain('There is no poll with the code ZZZZZZ');
    expect(joined.body).toContain('value="zzz-zzz"');
    const typedUrl = await t.app.inject({ url: '/p/ZZZZZZ/results' });
    expect(typedUrl.statusCode).toBe(404);
    expect(typedUrl.body).toContain('id="code" name="code" value="ZZZZZZ"');
  });
});

describe('admin sign-in and forms', () => {
  let t: TestApp;

  beforeAll(async () => {
    if (!sqlite) throw new Error('no dialect');
    t = await buildTestApp(sqlite);
  });
  afterAll(() => t?.close());

  const signIn = (password: string, username = 'admin') =>
    t.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username, password, next: '/admin' }).toString(),
    });

  it('sends visitors of /admin to the sign-in page', async () => {
    const response = await t.app.inject({ url: '/admin' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/admin/login?next=%2Fadmin');
    expect((await t.app.inject({ url: '/admin/login' })).body).toContain('name="password"');
  });

  it('signs in with a cookie session and shows the upload form with both file inputs', async () => {
    const response = await signIn('test-admin-password');
    expect(response.statusCode).toBe(303);
    const session = response.cookies.find((c) => c.name === 'pc_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const dashboard = await t.app.inject({ url: '/admin', cookies: { pc_session: session?.value ?? '' } });
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('name="question_image"');
    expect(dashboard.body).toContain('name="options_image"');
    expect(dashboard.body).toContain('enctype="multipart/form-data"');
  });

  it('refuses admin form posts without the CSRF token, or sent from another site', async () => {
    const session = (await signIn('test-admin-password')).cookies.find((c) => c.name === 'pc_session')?.value ?? '';
    const token = await adminToken(t.app);
    const question = await createLiveQuestion(t.app, token);
    const close = (payload: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/admin/questions/${question.id}/close`,
        cookies: { pc_session: session },
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload,
      });
    const withoutToken = await close('');
    expect(withoutToken.statusCode).toBe(403);
    const dashboard = await t.app.inject({ url: '/admin', cookies: { pc_session: session } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.body)?.[1] ?? '';
    expect(csrf).not.toBe('');
    const crossSite = await close(`_csrf=${csrf}`, { origin: 'https://evil.example' });
    expect(crossSite.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion?.id).toBe(question.id);
    const withToken = await close(`_csrf=${csrf}`);
    expect(withToken.statusCode).toBe(303);
    expect((await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion).toBeNull();
  });

  it('takes an upload from the plain form, then opens the review step; a failure keeps the form and says why', async () => {
    const session = (await signIn('test-admin-password')).cookies.find((c) => c.name === 'pc_session')?.value ?? '';
    const dashboard = await t.app.inject({ url: '/admin', cookies: { pc_session: session } });
    const action = /<form id="upload-form"[^>]* action="([^"]+)"/.exec(dashboard.body)?.[1];
    expect(action).toBe('/admin/polls/default/questions/from-images');
    const token = /<form id="upload-form"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(
      dashboard.body,
    )?.[1];
    const send = (options: string) => {
      // As the form sends it with "make it live at once" left unticked: its token first.
      const body = multipart(
        { question_image: fixture('lunch-question.png'), options_image: fixture(options) },
        { _csrf: token ?? '', activate: 'false' },
      );
      return t.app.inject({
        method: 'POST',
        url: action ?? '',
        cookies: { pc_session: session },
        headers: body.headers,
        payload: body.payload,
      });
    };
    const created = await send('lunch-options.png');
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toMatch(/^\/admin\?review=\d+&notice=created#review$/);
    const review = await t.app.inject({ url: String(created.headers.location), cookies: { pc_session: session } });
    expect(review.body).toContain('correct what was misread, then make it live');
    expect(review.body).toContain('Where should the team go for lunch on Friday?</textarea>');
    expect(review.body).toContain('value="Sushi bar"');
    // Read, not live: the audience sees nothing until the organizer confirms the corrected text.
    const questionId = Number(/review=(\d+)/.exec(String(created.headers.location))?.[1]);
    const live = () => t.app.inject({ url: '/api/polls/default' }).then((r) => r.json().liveQuestion?.id);
    expect(await live()).not.toBe(questionId);
    expect(review.body).toContain('>Confirm and go live</button>');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(review.body)?.[1] ?? '';
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/admin/questions/${questionId}/edit`,
      cookies: { pc_session: session },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ['_csrf', csrf],
        ['text', 'Where should the team go for lunch on Friday?'],
        ...['Pizza place', 'Sushi bar', 'Taco truck'].map((option) => ['options', option]),
        ['activate', 'true'],
      ]).toString(),
    });
    expect(confirmed.headers.location).toBe(`/admin?review=${questionId}&notice=activated#review`);
    expect(await live()).toBe(questionId);
    const corrected = await t.app.inject({ url: '/api/polls/default' });
    expect(corrected.json().liveQuestion.options.map((o: { text: string }) => o.text)).toContain('Taco truck');

    const failed = await send('blank.png');
    expect(failed.statusCode).toBe(422);
    expect(failed.body).toContain('Found 0 options in the options image');
    expect(failed.body).toContain('name="question_image"');
  });

  it('without JavaScript, asks on a page before deleting, saying how many votes go', async () => {
    const token = await adminToken(t.app);
    const cookie = await signInCookie(t.app, 'admin', 'test-admin-password');
    const question = await createLiveQuestion(t.app, token, { text: 'Keep me?', options: ['Yes', 'No'] });
    for (const voter of ['d1', 'd2']) await voteAs(t.app, voter, question.id, question.options[0]?.id);
    const dashboard = await t.app.inject({ url: '/admin', headers: { cookie } });
    expect(dashboard.body).toContain(
      'data-confirm="Delete the question “Keep me?” and its 2 votes? This cannot be undone."',
    );
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dashboard.body)?.[1] ?? '';
    const remove = (fields: Record<string, string> = {}) =>
      postForm(t.app, `/admin/questions/${question.id}/delete`, { _csrf: csrf, ...fields }, cookie);

    const asked = await remove();
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('<h1 id="confirm-title">Delete this question?</h1>');
    expect(asked.body).toContain('Delete the question “Keep me?” and its 2 votes? This cannot be undone.');
    expect(asked.body).toContain('>Delete question and 2 votes</button>');
    expect(asked.body).toContain(`href="/admin#question-${question.id}"`);
    expect((await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion?.id).toBe(question.id);

    const deleted = await remove({ confirm: 'yes' });
    expect(deleted.headers.location).toBe('/admin?notice=deleted');
    expect((await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion).toBeNull();

    const poll = (
      await asUser(t.app, token)({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Retro' } })
    ).json();
    const askedPoll = await postForm(t.app, `/admin/polls/${poll.code}/delete`, { _csrf: csrf }, cookie);
    expect(askedPoll.body).toContain('Delete the poll “Retro” with its 0 votes? This cannot be undone.');
    expect((await t.app.inject({ url: `/api/polls/${poll.code}` })).statusCode).toBe(200);
    const deletedPoll = await postForm(
      t.app,
      `/admin/polls/${poll.code}/delete`,
      { _csrf: csrf, confirm: 'yes' },
      cookie,
    );
    expect(deletedPoll.headers.location).toBe('/admin?notice=poll-deleted');
    expect((await t.app.inject({ url: `/api/polls/${poll.code}` })).statusCode).toBe(404);
  });

  it('moves a question up or down its poll with a plain form', async () => {
    const api = asUser(t.app, await adminToken(t.app));
    const poll = (await api({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Order' } })).json();
    const ids: number[] = [];
    for (const text of ['One?', 'Two?']) {
      const made = await api({
        method: 'POST',
        url: `/api/admin/polls/${poll.code}/questions`,
        payload: { text, options: ['a', 'b'] },
      });
      ids.push(made.json().question.id);
    }
    const cookie = await signInCookie(t.app, 'admin', 'test-admin-password');
    const page = await t.app.inject({ url: `/admin/polls/${poll.code}`, headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    // The first has no "up", the last no "down".
    expect(page.body.match(/name="direction" value="up"/g)).toHaveLength(1);
    const moved = await postForm(t.app, `/admin/questions/${ids[1]}/move`, { _csrf: csrf, direction: 'up' }, cookie);
    expect(moved.headers.location).toBe(`/admin/polls/${poll.code}#question-${ids[1]}`);
    const listed = await api({ url: `/api/admin/polls/${poll.code}/questions` });
    expect(listed.json().questions.map((q: { text: string }) => q.text)).toEqual(['Two?', 'One?']);
  });

  it('gives the same message for a wrong user and a wrong password, and slows down guessing', async () => {
    const wrongUser = await signIn('whatever', 'nobody');
    const wrongPassword = await signIn('wrong-password', 'guessed');
    expect(wrongUser.statusCode).toBe(401);
    expect(wrongUser.body).toContain('Wrong username or password.');
    expect(wrongPassword.body).toContain('Wrong username or password.');
    // Wrong guesses on until the wait they earn outlasts this machine's next request, however slow.
    let wait = 0;
    while (wait < 3) {
      const guess = await signIn('wrong-password', 'target');
      expect([401, 429]).toContain(guess.statusCode);
      wait = guess.statusCode === 429 ? Number(guess.headers['retry-after']) : 0;
      if (wait > 0 && wait < 3) await setTimeout(100);
    }
    const throttled = await signIn('wrong-password', 'target');
    expect(throttled.statusCode).toBe(429);
    expect(throttled.body).toContain('Please wait and try again.');
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'TARGET', password: 'x' },
    });
    expect(api.statusCode).toBe(429);
    expect(api.json().error.code).toBe('rate_limited');
  });

  it('logs out: the token stops working', async () => {
    const token = await adminToken(t.app);
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ url: '/api/admin/polls/default/questions', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/admin/polls/default/questions', headers })).statusCode).toBe(401);
  });
});
