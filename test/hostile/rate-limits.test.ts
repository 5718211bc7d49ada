import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  buildTestApp,
  createLiveQuestion,
  DEFAULT_RATE_LIMITS,
  dialects,
  postForm,
  signInCookie,
  type TestApp,
  uploadImages,
  voteAs,
  voterCookie,
} from '../helpers.js';

describe.each(dialects)('rate limits on $name', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const start = async (env: Record<string, string> = {}) => {
    t = await buildTestApp(dialect, { ...DEFAULT_RATE_LIMITS, ...env });
    return t;
  };

  it('lets a room of 300 phones behind one address vote within a minute on the defaults', async () => {
    const { app } = await start();
    const question = await createLiveQuestion(app, await adminToken(app));
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => voteAs(app, `phone-${i}`, question.id, question.options[i % 4]?.id ?? 0)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(300).fill(201));
    const stored = await app.db
      .selectFrom('votes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(stored?.n)).toBe(300);
  });

  it('stops one voter after 10 votes a minute with 429, Retry-After and RateLimit headers', async () => {
    const { app } = await start();
    const question = await createLiveQuestion(app, await adminToken(app));
    const optionId = question.options[0]?.id ?? 0;
    const first = await voteAs(app, 'eager', question.id, optionId);
    expect(first.statusCode).toBe(201);
    expect(first.headers['ratelimit-limit']).toBe('10');
    expect(first.headers['ratelimit-remaining']).toBe('9');
    for (let i = 0; i < 9; i++) expect((await voteAs(app, 'eager', question.id, optionId)).statusCode).toBe(409);

    const limited = await voteAs(app, 'eager', question.id, optionId);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.json().error.message).toMatch(/too many votes from this device/i);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    // Another voter is not affected.
    expect((await voteAs(app, 'patient', question.id, optionId)).statusCode).toBe(201);
    // The form on the voting page is held to the same limit.
    const page = await postForm(
      app,
      '/vote',
      { questionId: String(question.id), optionId: String(optionId) },
      voterCookie('eager'),
    );
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('holds one network address to its own, configurable ceiling', async () => {
    const { app } = await start({ RATE_LIMIT_VOTES_PER_ADDRESS: '5' });
    const question = await createLiveQuestion(app, await adminToken(app));
    for (let i = 0; i < 5; i++)
      expect((await voteAs(app, `v${i}`, question.id, question.options[0]?.id ?? 0)).statusCode).toBe(201);
    const limited = await voteAs(app, 'v5', question.id, question.options[0]?.id ?? 0);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toMatch(/this network/i);
    const stored = await app.db.selectFrom('votes').select('voter_id').execute();
    expect(stored).toHaveLength(5);
  });

  it('limits sign-in attempts per address, on the API and the form', async () => {
    const { app } = await start({ RATE_LIMIT_LOGINS_PER_ADDRESS: '3' });
    const attempt = () =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'wrong-password' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    // Even the right password waits: the limit is counted before the password is checked.
    const form = await postForm(app, '/admin/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(form.statusCode).toBe(429);
  });

  /** A sign-in through the API from one network address. */
  const signInFrom = (app: FastifyInstance, remoteAddress: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password }, remoteAddress });

  /** The same request `count` times at once; the answers, and how long they took in all. */
  const burst = async (count: number, send: (i: number) => Promise<LightMyRequestResponse>) => {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => send(i)));
    return { answers, ms: Date.now() - started };
  };
  const withStatus = (answers: LightMyRequestResponse[], status: number) =>
    answers.filter((answer) => answer.statusCode === status);

  // How many guesses may have their password checked within `ms`, however slow this machine is:
  // from one address, five, then each one more doubles the wait (1 s, 2 s, 4 s…); on one account
  // from everywhere, twenty, then one more every 30 s.
  const mostCheckedFromOneAddress = (ms: number) => 5 + Math.floor(Math.log2(1 + ms / 1000));
  const mostCheckedOnOneAccount = (ms: number) => 20 + Math.floor(ms / 30_000);

  /** Each refusal says why, in the usual error shape, and when to come back. */
  const expectRefusals = (refused: LightMyRequestResponse[], why: RegExp, mostSeconds: number) => {
    for (const answer of refused) {
      expect(answer.json().error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(why) });
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(answer.headers['retry-after'])).toBeLessThanOrEqual(mostSeconds);
    }
  };

  it('counts sign-in guesses before checking them: of 25 at once from one address, five are checked', async () => {
    const { app } = await start();
    const { answers, ms } = await burst(25, () => signInFrom(app, '203.0.113.7', 'wrong-password'));
    const checked = withStatus(answers, 401).length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(mostCheckedFromOneAddress(ms));
    const refused = withStatus(answers, 429);
    expect(refused).toHaveLength(25 - checked);
    expectRefusals(refused, /wrong passwords/i, 15 * 60);
  });

  it('lets the owner sign in from elsewhere right after a burst of guesses from one address', async () => {
    const { app } = await start();
    await burst(25, () => signInFrom(app, '203.0.113.7', 'wrong-password'));
    const owner = await signInFrom(app, '198.51.100.20', ADMIN_PASSWORD);
    expect(owner.statusCode).toBe(200);
    expect(owner.json().user.username).toBe('admin');
  });

  it("holds guesses spread over many addresses to the account's ceiling; the owner's network stays open", async () => {
    const { app } = await start();
    expect((await signInFrom(app, '198.51.100.20', ADMIN_PASSWORD)).statusCode).toBe(200);
    const { answers, ms } = await burst(60, (i) => signInFrom(app, `203.0.113.${i + 1}`, `wrong-password-${i}`));
    const checked = withStatus(answers, 401).length;
    expect(checked).toBeGreaterThanOrEqual(20);
    expect(checked).toBeLessThanOrEqual(mostCheckedOnOneAccount(ms));
    const refused = withStatus(answers, 429);
    expect(refused).toHaveLength(60 - checked);
    expectRefusals(refused, /this account/i, 30);
    // An address that signed in to the account before is not held by its ceiling.
    expect((await signInFrom(app, '198.51.100.20', ADMIN_PASSWORD)).statusCode).toBe(200);
  });

  it('counts guesses of the current password before checking them, on the API and the account page', async () => {
    const { app } = await start();
    const token: string = (await signInFrom(app, '198.51.100.20', ADMIN_PASSWORD)).json().token;
    const change = (currentPassword: string, remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { authorization: `Bearer ${token}` },
        payload: { currentPassword, newPassword: 'a-new-admin-password' },
        remoteAddress,
      });
    // A stolen token, guessing from one place.
    const api = await burst(25, () => change('wrong-password', '203.0.113.7'));
    const checked = withStatus(api.answers, 403).length;
    expect(checked).toBeLessThanOrEqual(mostCheckedFromOneAddress(api.ms));
    expect(withStatus(api.answers, 429)).toHaveLength(25 - checked);
    expectRefusals(withStatus(api.answers, 429), /wrong passwords/i, 15 * 60);

    // A session left open, guessing on the account page.
    const cookie = await signInCookie(app, 'admin', ADMIN_PASSWORD);
    const csrf =
      /name="_csrf" value="([^"]+)"/.exec(
        (await app.inject({ url: '/admin/account', headers: { cookie } })).body,
      )?.[1] ?? '';
    const page = await burst(25, () =>
      postForm(
        app,
        '/admin/account/password',
        { _csrf: csrf, currentPassword: 'wrong-password', newPassword: 'a-new-admin-password' },
        cookie,
      ),
    );
    const shown = withStatus(page.answers, 403).length;
    expect(shown).toBeLessThanOrEqual(mostCheckedFromOneAddress(page.ms));
    const refused = withStatus(page.answers, 429);
    expect(refused).toHaveLength(25 - shown);
    expect(refused[0]?.headers['content-type']).toMatch(/text\/html/);
    expect(refused[0]?.body).toContain('Too many wrong passwords');
    expect(Number(refused[0]?.headers['retry-after'])).toBeGreaterThan(0);

    // The owner, at their own computer, still changes it.
    const own = await change(ADMIN_PASSWORD, '198.51.100.20');
    expect(own.statusCode).toBe(200);
  });

  it('limits new quick polls per address, and a refused one is not stored', async () => {
    const { app } = await start({ RATE_LIMIT_POLLS_PER_ADDRESS: '2' });
    const create = () =>
      app.inject({
        method: 'POST',
        url: '/api/polls',
        payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
      });
    expect((await create()).statusCode).toBe(201);
    expect((await create()).statusCode).toBe(201);
    const limited = await create();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(60);
    const polls = await app.db.selectFrom('polls').select('code').execute();
    expect(polls).toHaveLength(3); // the default poll and the two quick polls
  });

  it('limits image uploads per organizer', async () => {
    const { app } = await start({ RATE_LIMIT_UPLOADS_PER_USER: '1' });
    const token = await adminToken(app);
    // Not images: each upload is refused for its bytes, but still counts against the limit.
    const upload = () =>
      uploadImages(app, token, { question_image: Buffer.from('not an image'), options_image: Buffer.from('nor this') });
    expect((await upload()).statusCode).toBe(415);
    const limited = await upload();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.message).toMatch(/too many uploads/i);
  });

  it('turns a limit off with 0', async () => {
    const { app } = await start({ RATE_LIMIT_VOTES_PER_VOTER: '0' });
    const question = await createLiveQuestion(app, await adminToken(app));
    const answers = [];
    for (let i = 0; i < 15; i++)
      answers.push((await voteAs(app, 'unlimited', question.id, question.options[0]?.id ?? 0)).statusCode);
    expect(answers).not.toContain(429);
    expect(answers[0]).toBe(201);
  });
});
