import { setTimeout } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  asUser,
  buildTestApp,
  dialects,
  postForm,
  signInCookie,
  type TestApp,
  voteAs,
} from '../../test/helpers.js';

/** Signs in through the API: the bearer token, or the refusal. */
function signIn(app: FastifyInstance, username: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
}

/** An organizer made by the admin, with one poll holding a live question and a vote. */
async function organizerWithPoll(app: FastifyInstance, username: string) {
  const admin = asUser(app, await adminToken(app));
  const created = await admin({
    method: 'POST',
    url: '/api/admin/users',
    payload: { username, password: `${username}-password` },
  });
  const id: number = created.json().user.id;
  const token: string = (await signIn(app, username, `${username}-password`)).json().token;
  const as = asUser(app, token);
  const code: string = (
    await as({ method: 'POST', url: '/api/admin/polls', payload: { title: `${username}'s poll` } })
  ).json().code;
  const question = (
    await as({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: { text: 'Still counted?', options: ['Yes', 'No'], activate: true },
    })
  ).json().question;
  await voteAs(app, `${username}-voter-1`, question.id, question.options[0].id, { code });
  return { id, token, code, question, admin };
}

/** Whether a bearer token still opens the API. */
async function tokenWorks(app: FastifyInstance, token: string) {
  return (await asUser(app, token)({ url: '/api/admin/polls' })).statusCode === 200;
}

/** Whether a session cookie still opens the pages (else they send to the sign-in page). */
async function cookieWorks(app: FastifyInstance, cookie: string) {
  return (await app.inject({ url: '/admin', headers: { cookie } })).statusCode === 200;
}

const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

describe.each(dialects)('the admin manages accounts on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(() => t?.close());

  it('disables an organizer: signed out everywhere at once, their poll keeps running, and back again', async () => {
    const { id, token, code, question, admin } = await organizerWithPoll(t.app, 'dora');
    const cookie = await signInCookie(t.app, 'dora', 'dora-password');
    expect([await tokenWorks(t.app, token), await cookieWorks(t.app, cookie)]).toEqual([true, true]);

    const disabled = await admin({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().user).toMatchObject({ username: 'dora', disabled: true, pollCount: 1 });
    expect([await tokenWorks(t.app, token), await cookieWorks(t.app, cookie)]).toEqual([false, false]);
    expect(await t.app.db.selectFrom('sessions').where('user_id', '=', id).selectAll().execute()).toEqual([]);

    // A wrong password learns nothing; the right one is told why it cannot sign in.
    const wrong = await signIn(t.app, 'dora', 'not-the-password');
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, 'invalid_credentials']);
    const right = await signIn(t.app, 'dora', 'dora-password');
    expect([right.statusCode, right.json().error.code]).toEqual([403, 'account_disabled']);
    expect(right.json().error.message).toContain('This account is disabled');
    const page = await postForm(t.app, '/admin/login', { username: 'dora', password: 'dora-password' });
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('This account is disabled');
    expect(page.headers['set-cookie']).toBeUndefined();

    // Voters are not affected.
    expect((await voteAs(t.app, 'dora-voter-2', question.id, question.options[1].id, { code })).statusCode).toBe(201);

    const enabled = await admin({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { disabled: false } });
    expect(enabled.json().user.disabled).toBe(false);
    expect((await signIn(t.app, 'dora', 'dora-password')).statusCode).toBe(200);
  });

  it('deletes an organizer: their polls, questions and votes pass to the admin', async () => {
    const { id, token, code, question, admin } = await organizerWithPoll(t.app, 'eric');
    const adminId = (await admin({ url: '/api/admin/users' }))
      .json()
      .users.find((user: { username: string }) => user.username === 'admin').id;
    const deleted = await admin({ method: 'DELETE', url: `/api/admin/users/${id}` });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({
      deleted: { id, username: 'eric', role: 'organizer' },
      pollsTransferred: 1,
      to: { id: adminId, username: 'admin', role: 'admin' },
    });
    expect(await tokenWorks(t.app, token)).toBe(false);
    expect((await signIn(t.app, 'eric', 'eric-password')).statusCode).toBe(401);
    const questions = await admin({ url: `/api/admin/polls/${code}/questions` });
    expect(questions.json().questions).toMatchObject([{ id: question.id, totalVotes: 1, status: 'live' }]);
    expect((await admin({ url: `/api/admin/users/${id}` })).statusCode).toBe(404);
    // The name is free again.
    const again = await admin({
      method: 'POST',
      url: '/api/admin/users',
      payload: { username: 'eric', password: 'eric-password-2' },
    });
    expect(again.statusCode).toBe(201);
  });

  it('resets an organizer password, set or generated; every session of that account ends', async () => {
    const { id, token, admin } = await organizerWithPoll(t.app, 'fay');
    const short = await admin({
      method: 'POST',
      url: `/api/admin/users/${id}/password`,
      payload: { password: 'short' },
    });
    expect([short.statusCode, short.json().error.code]).toEqual([422, 'validation_failed']);
    const same = await admin({ method: 'POST', url: `/api/admin/users/${id}/password`, payload: { password: 'FAY' } });
    expect(same.statusCode).toBe(422);
    expect(await tokenWorks(t.app, token)).toBe(true);

    const set = await admin({
      method: 'POST',
      url: `/api/admin/users/${id}/password`,
      payload: { password: 'fay-new-password' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({ user: expect.objectContaining({ id, username: 'fay' }) });
    expect(await tokenWorks(t.app, token)).toBe(false);
    expect((await signIn(t.app, 'fay', 'fay-password')).statusCode).toBe(401);
    const second = (await signIn(t.app, 'fay', 'fay-new-password')).json().token;

    const generated = await admin({
      method: 'POST',
      url: `/api/admin/users/${id}/password`,
      payload: { generate: true },
    });
    const { generatedPassword } = generated.json();
    expect(generatedPassword).toMatch(/^[\w-]{16}$/);
    expect(await tokenWorks(t.app, second)).toBe(false);
    expect((await signIn(t.app, 'fay', generatedPassword)).statusCode).toBe(200);

    for (const payload of [{}, { password: 'fay-other-password', generate: true }, { generate: false }]) {
      const refused = await admin({ method: 'POST', url: `/api/admin/users/${id}/password`, payload });
      expect(refused.statusCode, JSON.stringify(payload)).toBe(422);
    }
  });

  it("never acts on the admin's own account, and keeps every action to the admin", async () => {
    const token = await adminToken(t.app);
    const admin = asUser(t.app, token);
    const me = (await admin({ url: '/api/admin/users' }))
      .json()
      .users.find((user: { username: string }) => user.username === 'admin');
    for (const request of [
      { method: 'PATCH' as const, url: `/api/admin/users/${me.id}`, payload: { disabled: true } },
      { method: 'DELETE' as const, url: `/api/admin/users/${me.id}` },
      { method: 'POST' as const, url: `/api/admin/users/${me.id}/password`, payload: { generate: true } },
    ]) {
      const response = await admin(request);
      expect([response.statusCode, response.json().error.code], request.method).toEqual([403, 'forbidden']);
    }
    expect(await tokenWorks(t.app, token)).toBe(true);
    expect((await admin({ method: 'DELETE', url: '/api/admin/users/999999' })).json().error.code).toBe('not_found');

    const { id, token: organizer } = await organizerWithPoll(t.app, 'gus');
    const gus = asUser(t.app, organizer);
    for (const request of [
      { url: `/api/admin/users/${me.id}` },
      { method: 'PATCH' as const, url: `/api/admin/users/${me.id}`, payload: { disabled: true } },
      { method: 'DELETE' as const, url: `/api/admin/users/${id}` },
      { method: 'POST' as const, url: `/api/admin/users/${me.id}/password`, payload: { password: 'taken-over-now' } },
    ]) {
      expect((await gus(request)).statusCode, request.url).toBe(403);
    }
    expect((await signIn(t.app, 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('leaves one admin when two admins delete each other at once', async () => {
    const { hashPassword } = await import('./passwords.js');
    await t.app.db
      .insertInto('users')
      .values({
        username: 'second-admin',
        username_key: 'second-admin',
        password_hash: await hashPassword('second-admin-password'),
        role: 'admin',
        created_at: new Date().toISOString(),
      })
      .execute();
    const first = asUser(t.app, await adminToken(t.app));
    const second = asUser(t.app, (await signIn(t.app, 'second-admin', 'second-admin-password')).json().token);
    const users = (await first({ url: '/api/admin/users' })).json().users as { id: number; username: string }[];
    const idOf = (name: string) => users.find((user) => user.username === name)?.id;
    const answers = await Promise.all([
      first({ method: 'DELETE', url: `/api/admin/users/${idOf('second-admin')}` }),
      second({ method: 'DELETE', url: `/api/admin/users/${idOf('admin')}` }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, expect.any(Number)]);
    expect(answers.filter((answer) => answer.statusCode === 200)).toHaveLength(1);
    const admins = await t.app.db.selectFrom('users').select('username').where('role', '=', 'admin').execute();
    expect(admins).toHaveLength(1);
  });
});

describe.each(dialects)('every user changes their own password on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(() => t?.close());

  const change = (token: string, currentPassword: string, newPassword: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword, newPassword },
    });

  it('with the current password; other sessions end, this one stays', async () => {
    const { token } = await organizerWithPoll(t.app, 'hana');
    const other = (await signIn(t.app, 'hana', 'hana-password')).json().token;
    const cookie = await signInCookie(t.app, 'hana', 'hana-password');

    const wrong = await change(token, 'not-my-password', 'hana-new-password');
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'wrong_current_password']);
    const short = await change(token, 'hana-password', 'short');
    expect([short.statusCode, short.json().error.message]).toEqual([422, expect.stringContaining('at least 10')]);
    const named = await change(token, 'hana-password', 'Hana');
    expect(named.statusCode).toBe(422);
    expect([await tokenWorks(t.app, other), await cookieWorks(t.app, cookie)]).toEqual([true, true]);

    const changed = await change(token, 'hana-password', 'hana-new-password');
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ otherSessionsEnded: 2 });
    expect(await tokenWorks(t.app, token)).toBe(true);
    expect([await tokenWorks(t.app, other), await cookieWorks(t.app, cookie)]).toEqual([false, false]);
    expect((await signIn(t.app, 'hana', 'hana-password')).statusCode).toBe(401);
    expect((await signIn(t.app, 'hana', 'hana-new-password')).statusCode).toBe(200);
  });

  it('slows down guessing of the current password, like sign-in', async () => {
    const { token } = await organizerWithPoll(t.app, 'ivan');
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect((await change(token, `guess-number-${attempt}`, 'ivan-new-password')).statusCode).toBe(403);
    }
    // From the fifth failure on, each one doubles the wait (a guess while waiting does not count).
    // Guess on until the wait is long enough that the next requests surely arrive within it,
    // however slow this machine is right now.
    let wait = 0;
    for (let attempt = 5; wait < 3; attempt++) {
      const guess = await change(token, `guess-number-${attempt}`, 'ivan-new-password');
      expect([403, 429]).toContain(guess.statusCode);
      wait = guess.statusCode === 429 ? Number(guess.headers['retry-after']) : 0;
      if (wait > 0 && wait < 3) await setTimeout(100);
    }
    // Now even the right password waits, and sign-in counts the same failures.
    const held = await change(token, 'ivan-password', 'ivan-new-password');
    expect([held.statusCode, held.json().error.code]).toEqual([429, 'rate_limited']);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn(t.app, 'ivan', 'ivan-password')).statusCode).toBe(429);
  });
});

describe.each(dialects)('the account pages without JavaScript on $name', (dialect) => {
  let t: TestApp;
  let cookie: string;
  let csrf: string;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    csrf = csrfOf((await t.app.inject({ url: '/admin/users', headers: { cookie } })).body);
  });
  afterAll(() => t?.close());

  const page = (url: string, as = cookie) => t.app.inject({ url, headers: { cookie: as } });
  const post = (url: string, fields: Record<string, string> = {}, as = cookie, token = csrf) =>
    postForm(t.app, url, { _csrf: token, ...fields }, as);

  it('lists every account with its polls, and opens each one', async () => {
    const { id } = await organizerWithPoll(t.app, 'jade');
    const list = await page('/admin/users');
    expect(list.body).toContain(`<a href="/admin/users/${id}"><strong>jade</strong></a>`);
    expect(list.body).toContain('1 poll');
    const account = await page(`/admin/users/${id}`);
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Their poll keeps running for voters.');
    expect(account.body).toContain(
      'Their poll, with its questions and votes, passes to you (admin), so that no results are lost.',
    );
    expect((await page('/admin/users/999999')).statusCode).toBe(404);
  });

  it('asks before disabling, then disables; enabling needs no question', async () => {
    const { id, token } = await organizerWithPoll(t.app, 'kurt');
    const asked = await post(`/admin/users/${id}/disable`);
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Disable the account “kurt”? It is signed out everywhere at once');
    expect(asked.body).toContain('Their poll keeps running for voters.');
    expect(asked.body).toContain('name="confirm" value="yes"');
    expect(await tokenWorks(t.app, token)).toBe(true);

    const done = await post(`/admin/users/${id}/disable`, { confirm: 'yes' });
    expect([done.statusCode, done.headers.location]).toEqual([303, `/admin/users/${id}?notice=disabled`]);
    expect(await tokenWorks(t.app, token)).toBe(false);
    expect((await page(`/admin/users/${id}?notice=disabled`)).body).toContain('The account is disabled');
    expect((await page('/admin/users')).body).toMatch(
      /kurt<\/strong><\/a> <span class="badge">organizer<\/span> <span class="badge">disabled<\/span>/,
    );

    const enabled = await post(`/admin/users/${id}/enable`);
    expect(enabled.headers.location).toBe(`/admin/users/${id}?notice=enabled`);
    expect((await signIn(t.app, 'kurt', 'kurt-password')).statusCode).toBe(200);
  });

  it('asks before deleting, saying where the polls go, then deletes', async () => {
    const { id, code } = await organizerWithPoll(t.app, 'lena');
    await asUser(
      t.app,
      (await signIn(t.app, 'lena', 'lena-password')).json().token,
    )({
      method: 'POST',
      url: '/api/admin/polls',
      payload: { title: 'Second' },
    });
    const asked = await post(`/admin/users/${id}/delete`);
    expect(asked.body).toContain(
      'Delete the account “lena”? Their 2 polls, with their questions and votes, pass to you (admin), so that no results are lost. This cannot be undone.',
    );
    expect(asked.body).toContain(`href="/admin/users/${id}"`);
    const done = await post(`/admin/users/${id}/delete`, { confirm: 'yes' });
    expect([done.statusCode, done.headers.location]).toEqual([303, '/admin/users?deleted=lena&polls=2']);
    const list = await page(done.headers.location as string);
    expect(list.body).toContain('Account lena deleted. 2 polls passed to you, with their questions and votes.');
    expect(list.body).not.toContain('<strong>lena</strong>');
    expect((await page(`/admin/polls/${code}`)).statusCode).toBe(200);
  });

  it('resets a password, and shows a generated one only once', async () => {
    const { id } = await organizerWithPoll(t.app, 'milo');
    const short = await post(`/admin/users/${id}/password`, { password: 'short' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('A password has at least 10 characters');
    const set = await post(`/admin/users/${id}/password`, { password: 'milo-new-password' });
    expect(set.headers.location).toBe(`/admin/users/${id}?notice=password-set`);
    expect((await signIn(t.app, 'milo', 'milo-new-password')).statusCode).toBe(200);

    const generated = await post(`/admin/users/${id}/password`, { generate: 'yes' });
    expect(generated.statusCode).toBe(200);
    expect(generated.headers['cache-control']).toBe('no-store');
    const shown = /id="generated-password" value="([^"]+)"/.exec(generated.body)?.[1] ?? '';
    expect(generated.body).toContain('It is shown only this once.');
    expect((await signIn(t.app, 'milo', shown)).statusCode).toBe(200);
    expect((await page(`/admin/users/${id}`)).body).not.toContain(shown);
  });

  it("refuses the admin's own account, and every account page to organizers", async () => {
    const me = (await asUser(t.app, await adminToken(t.app))({ url: '/api/admin/users' })).json().users[0];
    const own = await page(`/admin/users/${me.id}`);
    expect(own.body).toContain('This is your account');
    expect(own.body).not.toContain('Disable account');
    const refused = await post(`/admin/users/${me.id}/disable`, { confirm: 'yes' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('This is your own account');

    await organizerWithPoll(t.app, 'nora');
    const nora = await signInCookie(t.app, 'nora', 'nora-password');
    expect((await page(`/admin/users/${me.id}`, nora)).statusCode).toBe(403);
    const noraCsrf = csrfOf((await page('/admin/account', nora)).body);
    expect((await post(`/admin/users/${me.id}/delete`, { confirm: 'yes' }, nora, noraCsrf)).statusCode).toBe(403);
    expect((await signIn(t.app, 'admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('lets every signed-in user change their password from a page linked in the header', async () => {
    await organizerWithPoll(t.app, 'otto');
    const otto = await signInCookie(t.app, 'otto', 'otto-password');
    const elsewhere = await signInCookie(t.app, 'otto', 'otto-password');
    expect((await page('/admin', otto)).body).toContain('<a href="/admin/account">Your account</a>');
    const form = await page('/admin/account', otto);
    expect(form.body).toContain('autocomplete="current-password"');
    const token = csrfOf(form.body);

    const wrong = await post(
      '/admin/account/password',
      { currentPassword: 'nope', newPassword: 'otto-new-password' },
      otto,
      token,
    );
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('The current password is wrong.');
    const changed = await post(
      '/admin/account/password',
      { currentPassword: 'otto-password', newPassword: 'otto-new-password' },
      otto,
      token,
    );
    expect([changed.statusCode, changed.headers.location]).toEqual([303, '/admin/account?notice=password-changed']);
    expect((await page(changed.headers.location as string, otto)).body).toContain('Your password is changed.');
    expect([await cookieWorks(t.app, otto), await cookieWorks(t.app, elsewhere)]).toEqual([true, false]);
  });
});
