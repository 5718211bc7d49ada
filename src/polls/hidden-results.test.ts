import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, asUser, buildTestApp, dialects, type TestApp, voterCookie, voteWith } from '../../test/helpers.js';
import { openEventStream, openWebSocket } from '../../test/live-clients.js';
import type { LiveMessage, QuestionView } from '../realtime/messages.js';

/** Every count a question object or a results message carries, whatever its kind. */
function countsIn(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(countsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    ['votes', 'percent', 'score', 'count', 'average', 'averagePosition'].includes(key) && typeof inner === 'number'
      ? [inner]
      : countsIn(inner),
  );
}
/** What a frame gives away of the results: its counts, words and answers. */
const disclosed = (message: LiveMessage) => {
  const body = message.type === 'results' ? message : 'question' in message ? message.question : null;
  if (!body) return [];
  const { words = [], answers = [] } = body as { words?: unknown[]; answers?: unknown[] };
  return [...countsIn(body).filter((count) => count !== 0), ...words, ...answers];
};

describe.each(dialects)('results hidden until the reveal on $name', (dialect) => {
  let t: TestApp;
  let admin: ReturnType<typeof asUser>;
  let base = '';
  let code = '';

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    admin = asUser(t.app, await adminToken(t.app));
    code = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Hidden' } })).json().code;
  });
  afterAll(() => t?.close());

  const create = async (payload: object) => {
    const response = await admin({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: { activate: true, ...payload },
    });
    expect(response.statusCode).toBe(201);
    return response.json().question as QuestionView & { options: { id: number; votes: number }[] };
  };

  it("follows the poll's rule unless a question says otherwise", async () => {
    const rules = await admin({ method: 'PATCH', url: `/api/admin/polls/${code}`, payload: { hideResults: true } });
    expect(rules.json().rules.hideResults).toBe(true);
    const hidden = await create({ text: 'Hidden by the rule?', options: ['Yes', 'No'] });
    expect(hidden.hiddenResults).toEqual({ revealed: false, withheld: false });
    const shown = await create({ text: 'Shown?', options: ['Yes', 'No'], hideResults: false });
    expect(shown.hiddenResults).toBeUndefined();
    await admin({ method: 'PATCH', url: `/api/admin/polls/${code}`, payload: { hideResults: false } });
    const asked = await create({ text: 'Hidden when asked?', options: ['Yes', 'No'], hideResults: true });
    expect(asked.hiddenResults).toEqual({ revealed: false, withheld: false });
  });

  it('sends the audience how many answered and no count, over every transport, until the reveal', async () => {
    const question = await create({ text: 'Best tea?', options: ['Green', 'Black', 'Mint'], hideResults: true });
    const socket = await openWebSocket(base, code);
    const stream = await openEventStream(base, code);
    try {
      const picks = [0, 1, 1, 2, 1];
      for (const [i, pick] of picks.entries()) {
        const voted = await voteWith(
          t.app,
          `hidden-${i}`,
          { questionId: question.id, optionId: question.options[pick]?.id },
          { code },
        );
        expect(voted.statusCode).toBe(201);
        const seen = voted.json().question;
        // The voter's own answer: recorded, counted in the total, no results.
        expect(seen.totalVotes).toBe(i + 1);
        expect(seen.hiddenResults).toEqual({ revealed: false, withheld: true });
        expect(countsIn(seen).every((count) => count === 0)).toBe(true);
      }
      for (const { inbox } of [socket, stream]) {
        await inbox.next((m) => m.type === 'results' && m.totalVotes === picks.length);
      }
      const poll = (await t.app.inject({ url: `/api/polls/${code}` })).json();
      expect(poll.liveQuestion.totalVotes).toBe(5);
      expect(countsIn(poll.liveQuestion).every((count) => count === 0)).toBe(true);
      const page = await t.app.inject({ url: `/p/${code}/results` });
      expect(page.body).toContain('The results will show when the presenter reveals them.');
      expect(page.body).not.toContain('class="count"');
      const votePage = await t.app.inject({ url: `/p/${code}`, headers: { cookie: voterCookie('hidden-0') } });
      expect(votePage.body).toContain('Vote recorded');
      expect(votePage.body).toContain('The results will show when the presenter reveals them.');

      // The organizer sees them, on the API as on the admin page.
      const list = (await admin({ url: `/api/admin/polls/${code}/questions` })).json().questions;
      const theirs = list.find((q: QuestionView) => q.id === question.id);
      expect(theirs.options.map((o: { votes: number }) => o.votes)).toEqual([1, 3, 1]);
      expect(theirs.hiddenResults).toEqual({ revealed: false, withheld: false });

      const revealed = await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/reveal` });
      expect(revealed.statusCode).toBe(200);
      for (const { inbox } of [socket, stream]) {
        const shown = await inbox.next((m) => m.type === 'question' && m.question?.hiddenResults?.revealed === true);
        const view = (shown.type === 'question' ? shown.question : null) as { options: { votes: number }[] } | null;
        expect(view?.options.map((o) => o.votes)).toEqual([1, 3, 1]);
        // Before the reveal, not one frame carried a count.
        const before = inbox.messages.slice(0, inbox.messages.indexOf(shown));
        expect(before.flatMap(disclosed)).toEqual([]);
        expect(before.filter((m) => m.type === 'results').length).toBeGreaterThan(0);
      }
      const after = (await t.app.inject({ url: `/api/polls/${code}/results` })).json().question;
      expect(after.options.map((o: { votes: number }) => o.votes)).toEqual([1, 3, 1]);
    } finally {
      socket.close();
      stream.close();
    }
  });

  it('keeps a rating’s average and a ranking’s points back too', async () => {
    const rating = await create({ kind: 'rating', text: 'How good?', hideResults: true });
    await voteWith(t.app, 'rate-1', { questionId: rating.id, value: 4 }, { code });
    const rated = (await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion;
    expect(rated.totalVotes).toBe(1);
    expect(countsIn(rated).filter((count) => count !== 0)).toEqual([]);
    const ranking = await create({ kind: 'ranking', text: 'Order?', options: ['A', 'B', 'C'], hideResults: true });
    const ids = ranking.options.map((option) => option.id).reverse();
    await voteWith(t.app, 'rank-1', { questionId: ranking.id, ranking: ids }, { code });
    const ranked = (await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion;
    expect(countsIn(ranked).filter((count) => count !== 0)).toEqual([]);
    // Nor does the order give the points away: the options stay in the order they were made.
    expect(ranked.options.map((option: { text: string }) => option.text)).toEqual(['A', 'B', 'C']);
    await admin({ method: 'POST', url: `/api/admin/questions/${ranking.id}/reveal` });
    const shown = (await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion;
    expect(shown.options.map((option: { text: string }) => option.text)).toEqual(['C', 'B', 'A']);
  });

  it('keeps the words of a cloud and the wall of open answers back too', async () => {
    const cloud = await create({ kind: 'wordcloud', text: 'One word?', hideResults: true });
    await voteWith(t.app, 'cloud-1', { questionId: cloud.id, words: ['sunny'] }, { code });
    const audience = (await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion;
    expect(audience).toMatchObject({ totalVotes: 1, words: [] });
    const wall = await create({ kind: 'text', text: 'Anything else?', hideResults: true });
    await voteWith(t.app, 'wall-1', { questionId: wall.id, text: 'More coffee' }, { code });
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion).toMatchObject({
      totalVotes: 1,
      answers: [],
    });
    await admin({ method: 'POST', url: `/api/admin/questions/${wall.id}/reveal` });
    const shown = (await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion;
    expect(shown.answers.map((a: { text: string }) => a.text)).toEqual(['More coffee']);
  });

  it('hides them again on an edit until the next reveal, and has nothing to reveal on a plain question', async () => {
    const question = await create({ text: 'Lunch?', options: ['Now', 'Later'] });
    const plain = await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/reveal` });
    expect(plain.statusCode).toBe(409);
    expect(plain.json().error.code).toBe('not_a_quiz');
    await voteWith(t.app, 'lunch-1', { questionId: question.id, optionId: question.options[0]?.id }, { code });
    const edited = await admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { hideResults: true },
    });
    expect(edited.json().question.hiddenResults).toEqual({ revealed: false, withheld: false });
    const audience = (await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion;
    expect(countsIn(audience).every((count) => count === 0)).toBe(true);
    const bad = await admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { hideResults: 'yes' },
    });
    expect(bad.statusCode).toBe(422);
    const unhidden = await admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { hideResults: false },
    });
    expect(unhidden.json().question.hiddenResults).toBeUndefined();
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion.options[0].votes).toBe(1);
  });
});
