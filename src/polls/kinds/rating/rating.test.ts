import { describe, expect, it } from 'vitest';
import {
  appForTests,
  createLiveOfKind,
  dialects,
  liveResults,
  postForm,
  voterCookie,
  voteWith,
} from '../../../../test/helpers.js';

describe.each(dialects)('rating questions on $name', (dialect) => {
  const t = appForTests(dialect);
  const createRating = (scale?: object) =>
    createLiveOfKind(t.app, t.token, 'rating', { text: 'How clear was the talk?', ...(scale ? { scale } : {}) });
  const vote = (voter: string, payload: object) => voteWith(t.app, voter, payload);
  const votesOf = (question: { distribution: { votes: number }[] }) => question.distribution.map((row) => row.votes);
  const results = () => liveResults(t.app);

  it('rates on 1 to 5 by default: each value counted, the average to two decimals', async () => {
    const question = await createRating();
    expect(question).toMatchObject({ kind: 'rating', scale: { min: 1, max: 5 }, average: null, totalVotes: 0 });
    expect(question.distribution.map((row) => row.value)).toEqual([1, 2, 3, 4, 5]);
    for (const [voter, value] of [
      ['r1', 5],
      ['r2', 4],
      ['r3', 4],
    ] as const) {
      expect((await vote(voter, { questionId: question.id, value })).statusCode).toBe(201);
    }
    const shown = await results();
    expect(shown).toMatchObject({ kind: 'rating', totalVotes: 3, average: 4.33 });
    expect(votesOf(shown)).toEqual([0, 0, 0, 2, 1]);
    expect(shown.distribution[3].percent).toBe(66.7);
  });

  it('takes a scale from 0 to 10 with a label at each end, and refuses scales that cannot be', async () => {
    const question = await createRating({ min: 0, max: 10, minLabel: '  Not  at all ', maxLabel: 'Extremely' });
    expect(question.scale).toEqual({ min: 0, max: 10, minLabel: 'Not at all', maxLabel: 'Extremely' });
    expect(question.distribution).toHaveLength(11);
    expect((await vote('zero', { questionId: question.id, value: 0 })).statusCode).toBe(201);
    expect((await results()).average).toBe(0);

    const create = (payload: object) =>
      t.admin({
        method: 'POST',
        url: '/api/admin/polls/default/questions',
        payload: { kind: 'rating', text: 'Rate', ...payload },
      });
    const cases: [object, RegExp][] = [
      [{ scale: { min: 3, max: 3 } }, /highest value of the scale is above its lowest/],
      [{ scale: { min: 5, max: 2 } }, /highest value of the scale is above its lowest/],
      [{ scale: { max: 11 } }, /maximum|<= 10/],
      [{ scale: { min: -1 } }, /minimum|>= 0/],
      [{ scale: { min: 1, max: 5, minLabel: 'x'.repeat(61) } }, /at most 60 characters/],
      [{ scale: { min: 1, max: 5, colour: 'red' } }, /colour/],
      [{ options: ['Good', 'Bad'] }, /a scale, not options/],
    ];
    for (const [payload, message] of cases) {
      const response = await create(payload);
      expect([response.statusCode, response.json().error.code], JSON.stringify(payload)).toEqual([
        422,
        'validation_failed',
      ]);
      expect(response.json().error.message).toMatch(message);
    }
  });

  it('refuses a value off the scale or of the wrong shape, saying what fits, and stores none', async () => {
    const question = await createRating({ min: 1, max: 5 });
    const cases: [object, string, RegExp][] = [
      [{ questionId: question.id, value: 6 }, 'invalid_vote', /from 1 to 5/],
      [{ questionId: question.id, value: 0 }, 'invalid_vote', /from 1 to 5/],
      [{ questionId: question.id, value: -3 }, 'invalid_vote', /from 1 to 5/],
      [{ questionId: question.id, value: 1e300 }, 'invalid_vote', /from 1 to 5/],
      [{ questionId: question.id, value: 2.5 }, 'validation_failed', /integer/],
      [{ questionId: question.id, value: '3' }, 'validation_failed', /integer/],
      [{ questionId: question.id, optionId: question.id }, 'invalid_vote', /a value on its scale/],
      [{ questionId: question.id, value: 3, optionIds: [1] }, 'invalid_vote', /a value on its scale/],
      [{ questionId: question.id }, 'validation_failed', /fewer than 2|minProperties|at least/],
    ];
    for (const [payload, code, message] of cases) {
      const response = await vote('careful-rater', payload);
      expect([response.statusCode, response.json().error?.code], JSON.stringify(payload)).toEqual([422, code]);
      expect(response.json().error.message).toMatch(message);
    }
    expect((await results()).totalVotes).toBe(0);
  });

  it('keeps every count equal to the stored ratings under many simultaneous votes, and moves a changed one', async () => {
    const question = await createRating({ min: 1, max: 5 });
    const values = Array.from({ length: 50 }, (_, i) => (i % 5) + 1);
    const responses = await Promise.all(
      values.map((value, i) => vote(`crowd-rater-${i}`, { questionId: question.id, value })),
    );
    expect(responses.every((response) => response.statusCode === 201)).toBe(true);
    const shown = await results();
    expect(votesOf(shown)).toEqual([10, 10, 10, 10, 10]);
    expect(shown).toMatchObject({ totalVotes: 50, average: 3 });

    await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: true } });
    try {
      const changed = await vote('crowd-rater-0', { questionId: question.id, value: 5 });
      expect(changed.statusCode).toBe(201);
      expect(votesOf(changed.json().question)).toEqual([9, 10, 10, 10, 11]);
      expect(changed.json().question.totalVotes).toBe(50);
    } finally {
      await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: false } });
    }
  });

  it('votes without JavaScript: a radio per value, the voter’s own marked after', async () => {
    const question = await createRating({ min: 1, max: 5, minLabel: 'Lost', maxLabel: 'Crystal clear' });
    const page = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('form-rater') } });
    expect(page.body).toContain('type="radio" name="value" value="5"');
    expect(page.body).toContain('Rate from 1 · Lost to 5 · Crystal clear');
    const posted = await postForm(
      t.app,
      '/vote',
      { questionId: String(question.id), value: '2' },
      voterCookie('form-rater'),
    );
    expect(posted.statusCode).toBe(303);
    const after = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('form-rater') } });
    expect(after.body).toContain('Vote recorded');
    expect(after.body).toMatch(/class="bar-row chosen" data-value="2"/);
    expect(after.body).toContain('class="average">2<');
  });

  it('exports a line per value, and is typed on the quick-poll form with its scale', async () => {
    const question = await createRating({ min: 1, max: 3 });
    await vote('csv-rater', { questionId: question.id, value: 3 });
    const csv = (await t.admin({ url: `/api/admin/questions/${question.id}/results.csv` })).body;
    expect(csv).toContain('"1",0,0');
    expect(csv).toContain('"3",1,100');

    const form = await postForm(t.app, '/polls', {
      question: 'How was lunch?',
      // Rows left over from another kind are not a rating's.
      options: ['Soup', ''],
      kind: 'rating',
      scaleMin: '0',
      scaleMax: '10',
      minLabel: 'Awful',
      maxLabel: '',
    });
    expect(form.statusCode).toBe(303);
    const code = /\/p\/([A-Z0-9]+)/.exec(form.headers.location ?? '')?.[1];
    const poll = (await t.app.inject({ url: `/api/polls/${code}` })).json();
    expect(poll.liveQuestion).toMatchObject({ kind: 'rating', scale: { min: 0, max: 10, minLabel: 'Awful' } });
    const wrong = await postForm(t.app, '/polls', { question: 'Q?', kind: 'rating', scaleMax: 'ten' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('whole numbers from 0 to 10');
  });

  it('corrects a rating question’s text; it has no options to change', async () => {
    const question = await createRating();
    const edited = await t.admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { text: 'How clear, really?' },
    });
    expect(edited.json().question).toMatchObject({ text: 'How clear, really?', scale: { min: 1, max: 5 } });
    const withOptions = await t.admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { options: ['A', 'B'] },
    });
    expect(withOptions.json().error.message).toMatch(/a scale, not options/);
  });
});
