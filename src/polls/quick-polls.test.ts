import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asUser,
  buildTestApp,
  cookieFrom,
  dialects,
  organizerToken,
  postForm,
  type TestApp,
  voterCookie,
} from '../../test/helpers.js';

describe.each(dialects)('quick polls on $name', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp(dialect, { PUBLIC_URL: 'https://polls.example.org' });
  });
  afterAll(() => t?.close());

  const create = (payload: object) => t.app.inject({ method: 'POST', url: '/api/polls', payload });
  const pollCount = async () => (await t.app.db.selectFrom('polls').select('id').execute()).length;

  it('makes a live poll from a question and its options, with links to share and a token to manage it', async () => {
    const response = await create({ question: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    expect(response.statusCode).toBe(201);
    const { code, manageToken, urls, question } = response.json();
    expect(code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/);
    expect(manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(urls).toEqual({
      vote: `https://polls.example.org/p/${code}`,
      results: `https://polls.example.org/p/${code}/results`,
      share: `https://polls.example.org/p/${code}/share`,
      present: `https://polls.example.org/p/${code}/present`,
      manage: `https://polls.example.org/p/${code}/manage?token=${manageToken}`,
    });
    expect(question).toMatchObject({ pollCode: code, text: 'Tea or coffee?', status: 'live', totalVotes: 0 });
    // Only a hash of the token is stored.
    const row = await t.app.db.selectFrom('polls').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
    expect(row.owner_id).toBeNull();
    expect(row.manage_token_hash).not.toContain(manageToken);

    const voted = await t.app.inject({
      method: 'POST',
      url: `/api/polls/${code}/votes`,
      headers: { cookie: voterCookie('q1') },
      payload: { questionId: question.id, optionId: question.options[1].id },
    });
    expect(voted.statusCode).toBe(201);
    expect(voted.json().question.options.map((o: { votes: number }) => o.votes)).toEqual([0, 1]);
  });

  it('refuses invalid polls with a clear message and stores nothing', async () => {
    const before = await pollCount();
    const cases: [object, number, string][] = [
      [{ question: 'Only one?', options: ['Yes'] }, 422, 'options'],
      [{ question: 'Too many?', options: Array.from({ length: 21 }, (_, i) => `O${i}`) }, 422, 'options'],
      [{ question: 'Same?', options: ['Yes', 'yes'] }, 422, 'Two options have the same text.'],
      [{ question: '   ', options: ['A', 'B'] }, 422, 'The question needs some text.'],
      [{ question: 'Blank option?', options: ['A', ' '] }, 422, 'Every option needs some text.'],
      [{ options: ['A', 'B'] }, 422, 'question'],
    ];
    for (const [payload, status, message] of cases) {
      const response = await create(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      expect(response.json().error.message).toContain(message);
    }
    expect(await pollCount()).toBe(before);
  });

  it('lets the token holder, and only them, see results, close, reopen and delete', async () => {
    const { code, manageToken } = (await create({ question: 'Lunch?', options: ['Pizza', 'Sushi'] })).json();
    const manage = (method: 'GET' | 'POST' | 'DELETE', path: string, token = manageToken) =>
      t.app.inject({ method, url: `/api/polls/${code}${path}`, headers: { 'x-manage-token': token } });

    for (const wrong of ['not-the-token', `${manageToken}x`]) {
      expect((await manage('POST', '/close', wrong)).statusCode).toBe(404);
      expect((await manage('DELETE', '', wrong)).statusCode).toBe(404);
    }
    expect((await t.app.inject({ method: 'POST', url: `/api/polls/${code}/close` })).statusCode).toBe(422);

    const closed = await manage('POST', '/close');
    expect(closed.json().question.status).toBe('closed');
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion).toBeNull();
    const seen = await manage('GET', '/manage');
    expect(seen.json()).toMatchObject({ code, title: 'Lunch?', question: { status: 'closed', text: 'Lunch?' } });
    expect((await manage('POST', '/reopen')).json().question.status).toBe('live');

    // An organizer's account gives no access to a quick poll; the token gives none to other polls.
    const organizer = asUser(t.app, await organizerToken(t.app, 'quinn'));
    expect((await organizer({ url: `/api/admin/polls/${code}/questions` })).statusCode).toBe(404);
    const other = (await create({ question: 'Other?', options: ['A', 'B'] })).json();
    const cross = await t.app.inject({
      method: 'POST',
      url: `/api/polls/${other.code}/close`,
      headers: { 'x-manage-token': manageToken },
    });
    expect(cross.statusCode).toBe(404);

    expect((await manage('DELETE', '')).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/polls/${code}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/p/${code}` })).statusCode).toBe(404);
  });

  it('runs from the home page without JavaScript: create, share (manage link shown once), manage', async () => {
    const home = await t.app.inject({ url: '/' });
    expect(home.body).toContain('Create a poll');
    // "Add option" posts the form back with one more row, empty rows included, and the text kept in place.
    const more = await postForm(t.app, '/polls', { question: 'Best day?', options: ['Mon', '', 'Wed', ''], more: '1' });
    expect(more.statusCode).toBe(200);
    expect([...more.body.matchAll(/name="options" value="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'Mon',
      '',
      'Wed',
      '',
      '',
    ]);
    expect(more.body).toContain('>Best day?</textarea>');
    const five = await postForm(t.app, '/polls', {
      question: 'Best day?',
      options: ['Mon', 'Tue', 'Wed', 'Thu'],
      more: '1',
    });
    expect(five.body.match(/name="options"/g)).toHaveLength(5);

    const invalid = await postForm(t.app, '/polls', { question: 'Hm', options: 'Only' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('A question has 2 to 20 options.');
    expect(invalid.body).toContain('value="Only"');

    const created = await postForm(t.app, '/polls', { question: 'Best day?', options: ['Mon', 'Tue', '', ''] });
    expect(created.statusCode).toBe(303);
    const code = /^\/p\/([A-Z0-9]{6})\/share$/.exec(String(created.headers.location))?.[1] ?? '';
    expect(code).not.toBe('');
    const fresh = cookieFrom(created.headers['set-cookie'], 'pc_manage_once');
    const manageCookie = cookieFrom(created.headers['set-cookie'], 'pc_manage');

    const share = await t.app.inject({ url: `/p/${code}/share`, headers: { cookie: `${fresh}; ${manageCookie}` } });
    expect(share.body).toContain(`value="https://polls.example.org/p/${code}"`);
    expect(share.body).toContain(`<p class="join-code" aria-label="Join code ${code.split('').join(' ')}">${code}</p>`);
    expect(share.body).toContain(`src="/p/${code}/qr.svg"`);
    const manageUrl = /id="manage-link" value="([^"]+)"/.exec(share.body)?.[1] ?? '';
    expect(manageUrl).toMatch(new RegExp(`^https://polls.example.org/p/${code}/manage\\?token=[A-Za-z0-9_-]{43}$`));
    expect(share.body).toContain('It is shown only this once');
    // The next view of the share page no longer shows the link, but still offers to manage.
    const again = await t.app.inject({ url: `/p/${code}/share`, headers: { cookie: manageCookie } });
    expect(again.body).not.toContain('manage?token=');
    expect(again.body).toContain(`href="/p/${code}/manage"`);
    const stranger = await t.app.inject({ url: `/p/${code}/share` });
    expect(stranger.body).not.toContain('/manage');

    // Another device opens the link: the token moves into a cookie and out of the address.
    const opened = await t.app.inject({ url: new URL(manageUrl).pathname + new URL(manageUrl).search });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`/p/${code}/manage`);
    const device = cookieFrom(opened.headers['set-cookie'], 'pc_manage');
    const page = await t.app.inject({ url: `/p/${code}/manage`, headers: { cookie: device } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Voting is open.');
    expect((await t.app.inject({ url: `/p/${code}/manage` })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/p/${code}/manage?token=wrong` })).statusCode).toBe(403);

    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const post = (action: string, csrfToken?: string, fields: Record<string, string> = {}) =>
      postForm(t.app, `/p/${code}/manage/${action}`, csrfToken ? { _csrf: csrfToken, ...fields } : fields, device);
    expect((await post('close')).statusCode).toBe(403);
    expect((await post('close', csrf)).headers.location).toBe(`/p/${code}/manage?notice=closed`);
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion).toBeNull();
    expect((await post('reopen', csrf)).statusCode).toBe(303);
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion.text).toBe('Best day?');
    // Without JavaScript, deleting asks on a page of its own first, saying what goes.
    const asked = await post('delete', csrf);
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Delete the poll “Best day?” with its 0 votes? This cannot be undone.');
    expect(asked.body).toContain('name="confirm" value="yes"');
    expect((await t.app.inject({ url: `/p/${code}` })).statusCode).toBe(200);
    const deleted = await post('delete', csrf, { confirm: 'yes' });
    expect(deleted.headers.location).toBe('/?deleted=1');
    expect((await t.app.inject({ url: `/p/${code}` })).statusCode).toBe(404);
  });

  it('draws the QR code of the join link on the server', async () => {
    const { code } = (await create({ question: 'QR?', options: ['Yes', 'No'] })).json();
    const qr = await t.app.inject({ url: `/p/${code.toLowerCase()}/qr.svg` });
    expect(qr.statusCode).toBe(200);
    expect(qr.headers['content-type']).toBe('image/svg+xml');
    expect(qr.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect((await t.app.inject({ url: '/p/ZZZZZZ/qr.svg' })).statusCode).toBe(404);
  });
});

describe('the manage token in the log', () => {
  it('is never written, though the manage link carries it in its address', async () => {
    const [sqlite] = dialects;
    if (!sqlite) throw new Error('no dialect');
    const lines: string[] = [];
    const t = await buildTestApp(
      sqlite,
      { LOG_LEVEL: 'info' },
      { logger: { stream: { write: (line) => lines.push(line) } } },
    );
    try {
      const { code, manageToken } = (
        await t.app.inject({ method: 'POST', url: '/api/polls', payload: { question: 'Logged?', options: ['A', 'B'] } })
      ).json();
      const opened = await t.app.inject({ url: `/p/${code}/manage?token=${manageToken}` });
      expect(opened.statusCode).toBe(303);
      await t.app.inject({ url: `/p/${code}/manage?partial=1&token=${manageToken}x` });
      expect(lines.some((line) => line.includes(`/p/${code}/manage?token=[redacted]`))).toBe(true);
      expect(lines.join('')).not.toContain(manageToken);
    } finally {
      await t.close();
    }
  });
});
