import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  asUser,
  buildTestApp,
  dialects,
  postForm,
  storedRows,
  type TestApp,
  voterCookie,
  voterId,
  voteWith,
} from '../../test/helpers.js';
import { openEventStream, openWebSocket } from '../../test/live-clients.js';
import type { LeaderboardMessage, LiveMessage } from '../realtime/messages.js';

const isLeaderboard = (message: LiveMessage): message is LeaderboardMessage => message.type === 'leaderboard';

describe.each(dialects)('a quiz leaderboard on $name', (dialect) => {
  let t: TestApp;
  let admin: ReturnType<typeof asUser>;
  let base = '';
  let code = '';
  const questions: { id: number; options: { id: number }[] }[] = [];

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    admin = asUser(t.app, await adminToken(t.app));
    code = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Pub quiz' } })).json().code;
    for (const payload of [
      { text: 'Capital of Peru?', options: ['Lima', 'Cusco', 'Quito'], correct: [0] },
      { kind: 'multi', text: 'Which are primes?', options: ['2', '3', '4'], maxChoices: 2, correct: [0, 1] },
    ]) {
      questions.push(
        (await admin({ method: 'POST', url: `/api/admin/polls/${code}/questions`, payload })).json().question,
      );
    }
  });
  afterAll(() => t?.close());

  const nickname = (voter: string, name: unknown) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/polls/${code}/nickname`,
      headers: { cookie: voterCookie(voter) },
      payload: { nickname: name },
    });
  const leaderboard = async () => (await t.app.inject({ url: `/api/polls/${code}/leaderboard` })).json();
  const standing = async (voter: string) =>
    (await t.app.inject({ url: `/api/polls/${code}/standing`, headers: { cookie: voterCookie(voter) } })).json();
  const vote = async (voter: string, payload: object) =>
    expect((await voteWith(t.app, voter, payload, { code })).statusCode).toBe(201);
  /** Dates the question's going live and each vote, as if the room had answered at those moments. */
  const answeredAt = async (questionId: number, seconds: Record<string, number>) => {
    const live = Date.parse('2026-12-07T10:00:00.000Z');
    await t.app.db
      .updateTable('questions')
      .set({ live_at: new Date(live).toISOString() })
      .where('id', '=', questionId)
      .execute();
    for (const [voter, after] of Object.entries(seconds)) {
      await t.app.db
        .updateTable('votes')
        .set({ created_at: new Date(live + after * 1000).toISOString() })
        .where('question_id', '=', questionId)
        .where('voter_id', '=', voterId(voter))
        .execute();
    }
  };

  it('gives each voter one nickname, unique in the poll whatever its case, and refuses bad ones clearly', async () => {
    expect((await nickname('ana', '  Ana  ')).json()).toEqual({ nickname: 'Ana' });
    const before = await storedRows(t.app);
    const taken = await nickname('bob', 'ANA');
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toEqual({
      code: 'nickname_taken',
      message: 'Someone in this poll is already called “ANA”. Pick another nickname.',
    });
    for (const [name, message] of [
      ['', 'Type a nickname first.'],
      ['\u202e\u0000 ', 'Type a nickname first.'],
      ['x'.repeat(25), 'A nickname is at most 24 characters.'],
      ['fuck', 'Pick another nickname: this one will not be shown.'],
    ]) {
      const refused = await nickname('bob', name);
      expect(refused.statusCode, name).toBe(422);
      expect(refused.json().error.message, name).toBe(message);
    }
    expect((await nickname('bob', 42)).json().error.code).toBe('validation_failed');
    expect(await storedRows(t.app)).toEqual(before);

    // Renamed, the old name is free for someone else; saving the same name again changes nothing.
    expect((await nickname('ana', 'Ana M.')).json()).toEqual({ nickname: 'Ana M.' });
    expect((await nickname('ana', 'Ana M.')).statusCode).toBe(200);
    expect((await nickname('bob', 'ana')).json()).toEqual({ nickname: 'ana' });
    expect((await standing('ana')).nickname).toBe('Ana M.');
  });

  it('counts only revealed answers: right ones earn 500 and up to 500 more the sooner they came', async () => {
    const [first, second] = questions;
    if (!first || !second) throw new Error('no questions');
    await admin({ method: 'POST', url: `/api/admin/polls/${code}/next` });
    await vote('ana', { questionId: first.id, optionId: first.options[0]?.id });
    await vote('bob', { questionId: first.id, optionId: first.options[1]?.id });
    await vote('cid', { questionId: first.id, optionId: first.options[0]?.id });
    await answeredAt(first.id, { ana: 3, bob: 1, cid: 15 });

    // The answer is secret: nothing counts yet.
    expect(await leaderboard()).toEqual({ shown: false, players: 0, top: [] });
    expect(await standing('ana')).toEqual({ nickname: 'Ana M.', points: 0, rank: null, players: 0 });

    await admin({ method: 'POST', url: `/api/admin/questions/${first.id}/reveal` });
    expect(await leaderboard()).toEqual({
      shown: false,
      players: 3,
      top: [
        { rank: 1, nickname: 'Ana M.', points: 950, rightAnswers: 1 },
        { rank: 2, nickname: null, points: 750, rightAnswers: 1 },
        { rank: 3, nickname: 'ana', points: 0, rightAnswers: 0 },
      ],
    });

    // Multiple choice is right only with exactly the right options.
    await admin({ method: 'POST', url: `/api/admin/polls/${code}/next` });
    const [two, three] = second.options.map((option) => option.id);
    await vote('ana', { questionId: second.id, optionIds: [two] });
    await vote('bob', { questionId: second.id, optionIds: [two, three] });
    await vote('cid', { questionId: second.id, optionIds: [three, two] });
    await answeredAt(second.id, { ana: 1, bob: 6, cid: 40 });
    await admin({ method: 'POST', url: `/api/admin/questions/${second.id}/reveal` });

    expect((await leaderboard()).top).toEqual([
      { rank: 1, nickname: null, points: 1250, rightAnswers: 2 },
      { rank: 2, nickname: 'Ana M.', points: 950, rightAnswers: 1 },
      { rank: 3, nickname: 'ana', points: 900, rightAnswers: 1 },
    ]);
    expect(await standing('bob')).toEqual({ nickname: 'ana', points: 900, rank: 3, players: 3 });
    // Someone who never answered has no rank.
    expect(await standing('dee')).toEqual({ nickname: null, points: 0, rank: null, players: 3 });

    // Each phone says where its voter stands, once the answer is out.
    const page = await t.app.inject({ url: `/p/${code}?partial=1`, headers: { cookie: voterCookie('ana') } });
    expect(page.body).toContain(
      'You are <strong>2nd</strong> of 3 with <strong>950 points</strong> as <bdi>Ana M.</bdi>.',
    );
  });

  it('shows the leaderboard on every screen and takes it away, live over WebSocket and SSE', async () => {
    const socket = await openWebSocket(base, code);
    const stream = await openEventStream(base, code);
    try {
      const snapshot = await socket.inbox.next((m) => m.type === 'snapshot');
      expect(snapshot).toMatchObject({ leaderboard: false });

      const shown = await admin({
        method: 'POST',
        url: `/api/admin/polls/${code}/leaderboard`,
        payload: { shown: true },
      });
      expect(shown.json()).toMatchObject({ shown: true, players: 3 });
      for (const inbox of [socket.inbox, stream.inbox]) {
        const message = await inbox.next(isLeaderboard);
        expect(message).toMatchObject({ pollCode: code, shown: true, players: 3 });
        expect(message.top.map((entry) => entry.nickname)).toEqual([null, 'Ana M.', 'ana']);
      }
      expect(stream.names).toContain('leaderboard');

      // Screens opened now start with it, as do pages that reconnect.
      const later = await openWebSocket(base, code);
      expect(await later.inbox.next((m) => m.type === 'snapshot')).toMatchObject({ leaderboard: true });
      later.close();
      for (const url of [`/p/${code}/results`, `/p/${code}/present`]) {
        const screen = await t.app.inject({ url });
        expect(screen.body, url).toContain('<h1 id="leaderboard-title">Leaderboard</h1>');
        expect(screen.body, url).toContain('<span class="leaderboard-name" dir="auto">Ana M.</span>');
        expect(screen.body, url).not.toContain('question-text');
      }

      socket.inbox.clear();
      await admin({ method: 'POST', url: `/api/admin/polls/${code}/leaderboard`, payload: { shown: false } });
      expect(await socket.inbox.next(isLeaderboard)).toMatchObject({ shown: false });
      expect((await t.app.inject({ url: `/p/${code}/results` })).body).not.toContain('leaderboard-title');

      // A question going live takes the leaderboard's place.
      await admin({ method: 'POST', url: `/api/admin/polls/${code}/leaderboard`, payload: { shown: true } });
      await admin({ method: 'POST', url: `/api/admin/questions/${questions[0]?.id}/activate` });
      expect(await leaderboard()).toMatchObject({ shown: false });
    } finally {
      socket.close();
      stream.close();
    }
  });

  it('takes a nickname from the voting page without JavaScript, and says why one is refused', async () => {
    const page = await t.app.inject({ url: `/p/${code}`, headers: { cookie: voterCookie('cid') } });
    expect(page.body).toContain('Pick a nickname for the leaderboard');
    const saved = await postForm(t.app, `/p/${code}/nickname`, { nickname: 'Cid' }, voterCookie('cid'));
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/p/${code}`);
    const again = await t.app.inject({ url: `/p/${code}`, headers: { cookie: voterCookie('cid') } });
    expect(again.body).toContain('value="Cid"');

    const taken = await postForm(t.app, `/p/${code}/nickname`, { nickname: 'cid' }, voterCookie('dee'));
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Someone in this poll is already called “cid”. Pick another nickname.');
    expect(taken.body).toContain('aria-invalid="true"');
  });

  it('only its organizer shows or hides the leaderboard', async () => {
    const stranger = await t.app.inject({
      method: 'POST',
      url: `/api/admin/polls/${code}/leaderboard`,
      payload: { shown: true },
    });
    expect(stranger.statusCode).toBe(401);
    const bad = await admin({ method: 'POST', url: `/api/admin/polls/${code}/leaderboard`, payload: { shown: 'yes' } });
    expect(bad.json().error.code).toBe('validation_failed');
    expect(await leaderboard()).toMatchObject({ shown: false });
  });
});
