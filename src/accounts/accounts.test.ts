import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  asUser,
  buildTestApp,
  dialects,
  organizerToken,
  postForm,
  signInCookie,
  type TestApp,
} from '../../test/helpers.js';

describe.each(dialects)('organizer accounts on $name', (dialect) => {
  describe('with registration closed (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp(dialect);
    });
    afterAll(() => t?.close());

    it('refuses to register anyone, and says who creates accounts', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { username: 'mallory', password: 'long-enough-password' },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('registration_closed');
      const users = await t.app.db.selectFrom('users').select('username').execute();
      expect(users.map((u) => u.username)).toEqual(['admin']);
      const page = await t.app.inject({ url: '/admin/register' });
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('The admin of this Pollcast creates organizer accounts');
      expect(page.body).not.toContain('<form method="post" action="/admin/register"');
    });

    it('lets the admin create an organizer, who can then sign in', async () => {
      const api = asUser(t.app, await adminToken(t.app));
      const created = await api({
        method: 'POST',
        url: '/api/admin/users',
        payload: { username: 'Olga', password: 'olga-password-1' },
      });
      expect(created.statusCode).toBe(201);
      expect(created.json().user).toMatchObject({ username: 'Olga', role: 'organizer' });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'olga', password: 'olga-password-1' },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json().user).toMatchObject({ username: 'Olga', role: 'organizer' });
      const list = await api({ url: '/api/admin/users' });
      expect(list.json().users.map((u: { username: string }) => u.username)).toEqual(['admin', 'Olga']);
    });

    it('keeps the account list and account creation to the admin', async () => {
      const api = asUser(t.app, await organizerToken(t.app, 'pete'));
      expect((await api({ url: '/api/admin/users' })).statusCode).toBe(403);
      const attempt = await api({
        method: 'POST',
        url: '/api/admin/users',
        payload: { username: 'sneaky', password: 'sneaky-password' },
      });
      expect(attempt.statusCode).toBe(403);
      expect(attempt.json().error.code).toBe('forbidden');
      expect((await t.app.inject({ url: '/api/admin/users' })).statusCode).toBe(401);
    });

    it('creates organizer accounts from the admin page, with the rules stated and enforced', async () => {
      const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
      const page = await t.app.inject({ url: '/admin/users', headers: { cookie } });
      expect(page.body).toContain('3 to 32 letters, digits, dots, dashes or underscores');
      expect(page.body).toContain('At least 10 characters, and not the username');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const post = (username: string, password: string) =>
        postForm(t.app, '/admin/users', { _csrf: csrf, username, password }, cookie);
      const short = await post('ruth', 'short');
      expect(short.statusCode).toBe(422);
      expect(short.body).toContain('A password has at least 10 characters');
      expect(short.body).toContain('value="ruth"');
      const made = await post('ruth', 'ruth-password-1');
      expect(made.statusCode).toBe(303);
      expect(made.headers.location).toBe('/admin/users?created=ruth');
      const organizerPage = await t.app.inject({ url: '/admin/users', headers: { cookie: 'x=y' } });
      expect(organizerPage.statusCode).toBe(303);
    });
  });

  describe('with registration open', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp(dialect, { REGISTRATION: 'open' });
    });
    afterAll(() => t?.close());

    const register = (username: string, password: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { username, password } });

    it('creates an organizer and signs them in', async () => {
      const response = await register('Nadia', 'nadia-password');
      expect(response.statusCode).toBe(201);
      const { token, user } = response.json();
      expect(user).toMatchObject({ username: 'Nadia', role: 'organizer' });
      expect(String(response.headers['set-cookie'])).toContain('pc_session=');
      const polls = await asUser(t.app, token)({ url: '/api/admin/polls' });
      expect(polls.statusCode).toBe(200);
      expect(polls.json().polls).toEqual([]);
    });

    it('keeps usernames unique whatever their case', async () => {
      expect((await register('sam', 'sam-password-1')).statusCode).toBe(201);
      const again = await register('SAM', 'another-password');
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('username_taken');
      expect((await register('admin', 'admin-password-2')).json().error.code).toBe('username_taken');
    });

    it('holds usernames and passwords to the stated rules', async () => {
      const cases: [string, string, string][] = [
        ['ab', 'long-enough-password', 'A username is 3 to 32 letters'],
        ['has space', 'long-enough-password', 'A username is 3 to 32 letters'],
        ['<script>', 'long-enough-password', 'A username is 3 to 32 letters'],
        ['shorty', 'short', 'A password has at least 10 characters'],
        ['samename1', 'SameName1 ', 'and not the username'],
      ];
      for (const [username, password, message] of cases) {
        const response = await register(username, password);
        expect(response.statusCode, username).toBe(422);
        expect(response.json().error.message).toContain(message);
      }
      const users = await t.app.db.selectFrom('users').select('username').execute();
      expect(users.map((u) => u.username).sort()).toEqual(['Nadia', 'admin', 'sam']);
    });

    it('offers the sign-up form from the sign-in page', async () => {
      expect((await t.app.inject({ url: '/admin/login' })).body).toContain('href="/admin/register"');
      const form = await postForm(t.app, '/admin/register', { username: 'tina', password: 'tina-password' });
      expect(form.statusCode).toBe(303);
      expect(form.headers.location).toBe('/admin');
      const dashboard = await t.app.inject({
        url: '/admin',
        headers: { cookie: String(form.headers['set-cookie']).split(';')[0] ?? '' },
      });
      expect(dashboard.body).toContain('Your polls');
      expect(dashboard.body).toContain('No polls yet');
    });
  });
});
