import { describe, expect, it } from 'vitest';
import {
  appForTests,
  createLiveOfKind,
  createLiveQuestion,
  dialects,
  liveResults,
  postForm,
  voterCookie,
  voteWith,
} from '../../../../test/helpers.js';

describe.each(dialects)('ranking questions on $name', (dialect) => {
  const t = appForTests(dialect);
  const createRanking = (options = ['Pizza', 'Sushi', 'Tacos']) =>
    createLiveOfKind(t.app, t.token, 'ranking', { text: 'Order the lunches', options });
  const vote = (voter: string, payload: object) => voteWith(t.app, voter, payload);
  const scores = (question: { options: { text: string; score: number; averagePosition: number | null }[] }) =>
    question.options.map((option) => [option.text, option.score, option.averagePosition]);

  it('scores each ranking by Borda count, the highest first, with each option’s average place', async () => {
    const question = await createRanking();
    expect(scores(question)).toEqual([
      ['Pizza', 0, null],
      ['Sushi', 0, null],
      ['Tacos', 0, null],
    ]);
    const [pizza, sushi, tacos] = question.options.map((option) => option.id);
    await vote('k1', { questionId: question.id, ranking: [sushi, pizza, tacos] });
    await vote('k2', { questionId: question.id, ranking: [sushi, tacos, pizza] });
    const third = await vote('k3', { questionId: question.id, ranking: [pizza, sushi, tacos] });
    expect(third.statusCode).toBe(201);
    // Sushi: 2 + 2 + 1; Pizza: 1 + 0 + 2; Tacos: 0 + 1 + 0.
    expect(scores(third.json().question)).toEqual([
      ['Sushi', 5, 1.33],
      ['Pizza', 3, 2],
      ['Tacos', 1, 2.67],
    ]);
    expect((await liveResults(t.app)).totalVotes).toBe(3);
  });

  it('refuses a ranking that leaves out, repeats or invents an option, and stores none', async () => {
    const question = await createRanking();
    const other = await createLiveQuestion(t.app, t.token);
    await t.admin({ method: 'POST', url: `/api/admin/questions/${question.id}/activate` });
    const [a = 0, b = 0, c = 0] = question.options.map((option) => option.id);
    const cases: [object, string, RegExp][] = [
      [{ questionId: question.id, ranking: [a, b] }, 'invalid_vote', /every one of the 3 options, each once/],
      [{ questionId: question.id, ranking: [a, b, b] }, 'invalid_vote', /each once/],
      [{ questionId: question.id, ranking: [a, b, c, a] }, 'invalid_vote', /each once/],
      [{ questionId: question.id, ranking: [a, b, other.options[0]?.id] }, 'invalid_option', /does not belong/],
      [{ questionId: question.id, ranking: [a, b, '3'] }, 'validation_failed', /integer/],
      [{ questionId: question.id, optionIds: [a, b, c] }, 'invalid_vote', /ranking, every option once/],
    ];
    for (const [payload, code, message] of cases) {
      const response = await vote('careful-ranker', payload);
      expect([response.statusCode, response.json().error?.code], JSON.stringify(payload)).toEqual([422, code]);
      expect(response.json().error.message).toMatch(message);
    }
    expect((await liveResults(t.app)).totalVotes).toBe(0);
  });

  it('takes 2 to 10 options, and keeps counts exact under simultaneous votes and a changed ranking', async () => {
    const eleven = await t.admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { kind: 'ranking', text: 'Too many', options: Array.from({ length: 11 }, (_, i) => `O${i}`) },
    });
    expect(eleven.json().error.message).toMatch(/at most 10 options/);

    const question = await createRanking(['A', 'B', 'C', 'D']);
    const ids = [...question.options].sort((x, y) => x.id - y.id).map((option) => option.id);
    const orders = Array.from({ length: 48 }, (_, i) => {
      const order = [...ids];
      for (let j = order.length - 1; j > 0; j--) {
        const k = (i * 7 + j * 3) % (j + 1);
        [order[j], order[k]] = [order[k] ?? 0, order[j] ?? 0];
      }
      return order;
    });
    const responses = await Promise.all(
      orders.map((ranking, i) => vote(`crowd-ranker-${i}`, { questionId: question.id, ranking })),
    );
    expect(responses.every((response) => response.statusCode === 201)).toBe(true);
    const expected = new Map(ids.map((id) => [id, 0]));
    for (const order of orders) {
      for (const [place, id] of order.entries()) expected.set(id, (expected.get(id) ?? 0) + 3 - place);
    }
    const shown = await liveResults(t.app);
    expect(shown.totalVotes).toBe(48);
    expect(Object.fromEntries(shown.options.map((o: { id: number; score: number }) => [o.id, o.score]))).toEqual(
      Object.fromEntries(expected),
    );

    await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: true } });
    try {
      const first = orders[0] ?? [];
      const changed = await vote('crowd-ranker-0', { questionId: question.id, ranking: [...first].reverse() });
      expect(changed.statusCode).toBe(201);
      const after = Object.fromEntries(
        changed.json().question.options.map((o: { id: number; score: number }) => [o.id, o.score]),
      );
      first.forEach((id, place) => {
        expect(after[id]).toBe((expected.get(id) ?? 0) - (3 - place) + place);
      });
    } finally {
      await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: false } });
    }
  });

  it('is ranked without JavaScript, a choice per place; exports points and their share', async () => {
    const question = await createRanking();
    const page = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('form-ranker') } });
    expect(page.body.match(/<select id="rank-\d" name="ranking">/g)).toHaveLength(3);
    expect(page.body).toContain('1st place');
    const [pizza = 0, sushi = 0, tacos = 0] = question.options.map((option) => option.id);
    const posted = await postForm(
      t.app,
      '/vote',
      { questionId: String(question.id), ranking: [String(tacos), String(pizza), String(sushi)] },
      voterCookie('form-ranker'),
    );
    expect(posted.statusCode).toBe(303);
    expect((await liveResults(t.app)).options[0]).toMatchObject({ text: 'Tacos', score: 2, averagePosition: 1 });
    const twice = await postForm(
      t.app,
      '/vote',
      { questionId: String(question.id), ranking: [String(tacos), String(tacos), String(sushi)] },
      voterCookie('form-twice'),
    );
    expect(twice.statusCode).toBe(422);
    expect(twice.body).toContain('each once');

    const csv = (await t.admin({ url: `/api/admin/questions/${question.id}/results.csv` })).body;
    expect(csv).toContain('"Tacos",2,100');
    expect(csv).toContain('"Sushi",0,0');
  });
});
