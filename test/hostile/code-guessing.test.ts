import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  from,
  organizerToken,
  signInCookie,
  type TestApp,
} from '../helpers.js';
import { openWebSocket, refusedWebSocket } from '../live-clients.js';
import { routesOf } from './routes.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const MISSES = 5;
const ROOM = '198.51.100.7';
const ELSEWHERE = '203.0.113.9';
/** Well-formed codes that name no poll (the alphabet has no 0, 1, O or I; these are unlikely to be drawn). */
const unknownCodes = (count: number, prefix = 'ZZ') =>
  Array.from(
    { length: count },
    (_, i) => `${prefix}${'ABCDEFGHJKLMNPQRSTUVWXY'.charAt(i % 23)}${'23456789'.charAt(Math.floor(i / 23) % 8)}ZZ`,
  );

describe('guessing join codes', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** An app with the miss limit on, a live question on the default poll, and one quick poll. */
  const start = async () => {
    t = await buildTestApp(sqlite, { RATE_LIMIT_CODE_MISSES_PER_ADDRESS: String(MISSES), TRUST_PROXY: 'true' });
    await createLiveQuestion(t.app, await adminToken(t.app));
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/polls',
      headers: from('192.0.2.1'),
      payload: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'] },
    });
    const { code, manageToken } = created.json() as { code: string; manageToken: string };
    return { app: t.app, code, manageToken };
  };

  const lookup = (address: string, url: string) => t?.app.inject({ url, headers: from(address) });
  const statusOf = async (address: string, url: string) => (await lookup(address, url))?.statusCode;

  /** Spends the address's budget on codes that name no poll; the next would be refused. */
  const spendBudget = async (address: string) => {
    for (const code of unknownCodes(MISSES, 'QQ')) expect(await statusOf(address, `/api/polls/${code}`)).toBe(404);
  };

  it('refuses every lookup from an address that spent its misses, on pages, the API and the live handshakes', async () => {
    const { app, code } = await start();
    const [first, second, third, fourth, fifth, sixth] = unknownCodes(6);
    expect(await statusOf(ROOM, `/api/polls/${first}`)).toBe(404);
    expect(await statusOf(ROOM, `/p/${second}`)).toBe(404);
    expect(await statusOf(ROOM, `/join?code=${third}`)).toBe(404);
    expect(await statusOf(ROOM, `/p/${fourth}/results`)).toBe(404);
    expect(await statusOf(ROOM, `/api/polls/${fifth}/events`)).toBe(404);

    const refused = await lookup(ROOM, `/api/polls/${sixth}`);
    expect(refused?.statusCode).toBe(429);
    expect(refused?.json().error.code).toBe('rate_limited');
    expect(refused?.json().error.message).toMatch(/unknown join codes/i);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);

    // A code that exists, never looked up from here: refused too, or the answer would tell.
    for (const url of [`/p/${code}`, `/api/polls/${code}`, `/join?code=${code}`, `/p/${code}/share`]) {
      expect(await statusOf(ROOM, url), url).toBe(429);
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    expect((await refusedWebSocket(base, code, from(ROOM))).status).toBe(429);
    expect((await fetch(`${base}/api/polls/${code}/events`, { headers: from(ROOM) })).status).toBe(429);
    // Another address is not affected.
    expect(await statusOf(ELSEWHERE, `/p/${code}`)).toBe(200);
  });

  it('lets a room behind one address look up its code far more often than its misses allow', async () => {
    const { app, code } = await start();
    const urls = [`/p/${code}`, `/api/polls/${code}`, `/join?code=${code.toLowerCase()}`, `/p/${code}/results`];
    const answers = await Promise.all(
      Array.from({ length: 400 }, (_, i) => statusOf(ROOM, urls[i % urls.length] ?? '')),
    );
    expect(answers.filter((status) => status === undefined || status >= 400)).toEqual([]);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const viewers = await Promise.all(Array.from({ length: 20 }, () => openWebSocket(base, code, from(ROOM))));
    for (const viewer of viewers) viewer.close();
    // None of that was a miss: the whole budget is still there.
    for (const unknown of unknownCodes(MISSES)) expect(await statusOf(ROOM, `/api/polls/${unknown}`)).toBe(404);
  });

  it('counts a mistyped code asked again once, and keeps a room on its poll while a guesser there spends the budget', async () => {
    const { app, code } = await start();
    expect(await statusOf(ROOM, `/p/${code}`)).toBe(200);
    const [typo = ''] = unknownCodes(1, 'TY');
    for (let i = 0; i < 20; i++) expect(await statusOf(ROOM, `/join?code=${typo}`)).toBe(404);
    for (const guess of unknownCodes(MISSES - 1)) expect(await statusOf(ROOM, `/api/polls/${guess}`)).toBe(404);
    expect(await statusOf(ROOM, `/api/polls/${unknownCodes(MISSES)[MISSES - 1]}`)).toBe(429);

    // The room's own code, found from this address before: still served, live feeds too.
    expect(await statusOf(ROOM, `/p/${code}`)).toBe(200);
    expect(await statusOf(ROOM, `/api/polls/${code}/results`)).toBe(200);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const viewer = await openWebSocket(base, code, from(ROOM));
    await viewer.inbox.next((m) => m.type === 'snapshot');
    viewer.close();
    // A poll it never found is not.
    expect(await statusOf(ROOM, '/p/default')).toBe(429);
  });

  it('holds every route that answers anyone about a code to the limit', async () => {
    const { app, code, manageToken } = await start();
    const question = await createLiveQuestion(app, await adminToken(app));
    const vote = { questionId: question.id, optionId: question.options[0]?.id };
    const routes = routesOf(app).filter(
      (route) => (route.path.includes(':code') && !/^\/(api\/)?admin\//.test(route.path)) || route.path === '/join',
    );
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/p/:code', '/api/polls/:code/votes', '/api/polls/:code/ws', '/p/:code/manage', '/join']),
    );
    const request = (method: string, path: string, pollCode: string, address: string) => {
      const url = path === '/join' ? `/join?code=${pollCode}` : path.replace(':code', pollCode);
      const api = url.startsWith('/api/');
      return app.inject({
        method: method as 'POST',
        url,
        headers: {
          ...from(address),
          'x-manage-token': manageToken,
          ...(method === 'GET' || method === 'DELETE'
            ? {}
            : { 'content-type': api ? 'application/json' : 'application/x-www-form-urlencoded' }),
        },
        ...(method === 'GET' || method === 'DELETE'
          ? {}
          : {
              payload: api
                ? JSON.stringify(vote)
                : new URLSearchParams({
                    questionId: String(vote.questionId),
                    optionId: String(vote.optionId),
                  }).toString(),
            }),
      });
    };

    await spendBudget(ROOM);
    let walked = 0;
    for (const route of routes) {
      for (const method of route.methods) {
        const label = `${method} ${route.path}`;
        expect((await request(method, route.path, code, ROOM)).statusCode, label).toBe(429);
        // Only a code that names a poll is ever answered with success (what the limit counts as found).
        const [unknown = ''] = unknownCodes(1, 'UN');
        expect(
          (await request(method, route.path, unknown, `10.1.${walked}.1`)).statusCode,
          label,
        ).toBeGreaterThanOrEqual(400);
        walked += 1;
      }
    }
    expect(walked).toBeGreaterThan(15);
  });

  it("leaves organizers' routes out: they answer alike for another's poll and for none", async () => {
    const { app } = await start();
    const bearer = await organizerToken(app, 'another-organizer');
    const cookie = await signInCookie(app, 'another-organizer', 'another-organizer-password');
    const [unknown = ''] = unknownCodes(1, 'OR');
    const routes = routesOf(app).filter(
      (route) => route.path.includes(':code') && /^\/(api\/)?admin\//.test(route.path),
    );
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) {
      for (const method of route.methods) {
        for (const headers of [{}, { authorization: `Bearer ${bearer}` }, { cookie }]) {
          const answer = async (pollCode: string) =>
            (await app.inject({ method: method as 'POST', url: route.path.replace(':code', pollCode), headers }))
              .statusCode;
          expect(await answer('default'), `${method} ${route.path}`).toBe(await answer(unknown));
        }
      }
    }
  });
});
