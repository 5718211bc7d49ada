import { describe, expect, it } from 'vitest';
import {
  appForTests,
  createLiveOfKind,
  createLiveQuestion,
  dialects,
  postForm,
  voterCookie,
  voteWith,
} from '../../../../test/helpers.js';

describe.each(dialects)('multiple-choice questions on $name', (dialect) => {
  const t = appForTests(dialect);
  const createMulti = (maxChoices?: number) =>
    createLiveOfKind(t.app, t.token, 'multi', {
      text: 'Which do you play?',
      options: ['Guitar', 'Piano', 'Drums', 'Violin'],
      ...(maxChoices === undefined ? {} : { maxChoices }),
    });
  const vote = (voter: string, payload: object) => voteWith(t.app, voter, payload);
  const counts = (question: { options: { votes: number }[] }) => question.options.map((option) => option.votes);
  const storedCount = async (questionId: number) =>
    (await t.app.db.selectFrom('votes').select('voter_id').where('question_id', '=', questionId).execute()).length;

  it('lets a voter pick several options, counting each once and each share of the voters', async () => {
    const question = await createMulti(2);
    expect(question).toMatchObject({ kind: 'multi', maxChoices: 2, totalVotes: 0 });
    const [guitar, piano, drums] = question.options.map((option) => option.id);

    const first = await vote('multi-a', { questionId: question.id, optionIds: [drums, guitar] });
    expect(first.statusCode).toBe(201);
    expect(counts(first.json().question)).toEqual([1, 0, 1, 0]);

    const second = await vote('multi-b', { questionId: question.id, optionIds: [guitar] });
    const view = second.json().question;
    expect(view.totalVotes).toBe(2);
    expect(view.options.map((o: { percent: number }) => o.percent)).toEqual([100, 0, 50, 0]);
    expect((await t.app.inject({ url: '/api/polls/default/results' })).json().question).toMatchObject({
      kind: 'multi',
      totalVotes: 2,
    });
    // Picking the same options again is the vote it was.
    const again = await vote('multi-a', { questionId: question.id, optionIds: [guitar, drums] });
    expect(again.json().error.code).toBe('already_voted');
    expect(piano).toBeDefined();
  });

  it('takes every option as the limit when none is given, and refuses a limit above the options', async () => {
    expect((await createMulti()).maxChoices).toBe(4);
    const tooMany = await t.admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { kind: 'multi', text: 'Pick', options: ['A', 'B'], maxChoices: 3 },
    });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().error.message).toMatch(/at most the number of options \(2\)/);
  });

  it('refuses answers that do not fit the question, saying what was expected, and stores none', async () => {
    const question = await createMulti(2);
    const single = await createLiveQuestion(t.app, t.token);
    const [a = 0, b = 0, c = 0] = question.options.map((option) => option.id);
    // The single-choice question is live now; the multiple-choice one is made live again to vote on.
    await t.admin({ method: 'POST', url: `/api/admin/questions/${question.id}/activate` });
    const cases: [object, number, string, RegExp?][] = [
      [{ questionId: question.id, optionIds: [a, b, c] }, 422, 'invalid_vote', /at most 2/],
      [{ questionId: question.id, optionIds: [] }, 422, 'invalid_vote', /at least one/],
      [{ questionId: question.id, optionIds: [a, a] }, 422, 'invalid_vote', /once/],
      [{ questionId: question.id, optionId: a }, 422, 'invalid_vote', /optionIds/],
      [{ questionId: question.id, optionIds: [single.options[0]?.id] }, 422, 'invalid_option'],
      [{ questionId: question.id, optionIds: ['1'] }, 422, 'validation_failed'],
      [{ questionId: question.id, optionIds: a }, 422, 'validation_failed'],
    ];
    for (const [payload, status, code, message] of cases) {
      const response = await vote('multi-careful', payload);
      expect([response.statusCode, response.json().error?.code], JSON.stringify(payload)).toEqual([status, code]);
      if (message) expect(response.json().error.message).toMatch(message);
    }
    expect(await storedCount(question.id)).toBe(0);
    // And the other way round: several options for a single-choice question.
    await t.admin({ method: 'POST', url: `/api/admin/questions/${single.id}/activate` });
    const wrongKind = await vote('multi-careful', { questionId: single.id, optionIds: [single.options[0]?.id] });
    expect(wrongKind.json().error).toMatchObject({ code: 'invalid_vote', message: expect.stringMatching(/optionId/) });
    expect(await storedCount(single.id)).toBe(0);
  });

  it('moves every count of a changed answer at once, where votes may change', async () => {
    await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: true } });
    try {
      const question = await createMulti();
      const [a, b, c, d] = question.options.map((option) => option.id);
      await vote('multi-changer', { questionId: question.id, optionIds: [a, b, c] });
      await vote('multi-other', { questionId: question.id, optionIds: [b] });
      const changed = await vote('multi-changer', { questionId: question.id, optionIds: [d, c] });
      expect(changed.statusCode).toBe(201);
      expect(changed.json().question.totalVotes).toBe(2);
      expect(counts(changed.json().question)).toEqual([0, 1, 1, 1]);
    } finally {
      await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: false } });
    }
  });

  it('keeps every count equal to the stored answers under many simultaneous votes', async () => {
    const question = await createMulti(3);
    const ids = question.options.map((option) => option.id);
    const picks = Array.from({ length: 60 }, (_, i) => ids.filter((_, j) => (i >> j) % 2 === 1).slice(0, 3));
    const responses = await Promise.all(
      picks.map((optionIds, i) => vote(`multi-crowd-${i}`, { questionId: question.id, optionIds })),
    );
    const acknowledged = responses.filter((response) => response.statusCode === 201).length;
    // Those who picked nothing are refused; everyone else is counted once.
    expect(acknowledged).toBe(picks.filter((optionIds) => optionIds.length > 0).length);
    const rows = await t.app.db.selectFrom('votes').select('answer').where('question_id', '=', question.id).execute();
    const expected = ids.map(
      (id) => rows.filter((row) => (JSON.parse(row.answer ?? '[]') as number[]).includes(id)).length,
    );
    const results = (await t.app.inject({ url: '/api/polls/default/results' })).json().question;
    expect(results.totalVotes).toBe(acknowledged);
    expect(counts(results)).toEqual(expected);
  });

  it('votes without JavaScript: the page shows checkboxes, and a form with several picked is counted', async () => {
    const question = await createMulti(2);
    const page = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('multi-form') } });
    expect(page.body).toContain('type="checkbox" name="optionIds"');
    expect(page.body).toContain('Pick up to 2');
    const [a = 0, , c = 0] = question.options.map((option) => option.id);
    const posted = await postForm(
      t.app,
      '/vote',
      { questionId: String(question.id), optionIds: [String(a), String(c)] },
      voterCookie('multi-form'),
    );
    expect(posted.statusCode).toBe(303);
    const after = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('multi-form') } });
    expect(after.body).toContain('Vote recorded');
    expect((after.body.match(/your vote/g) ?? []).length).toBe(2);
    // Nothing picked: the form comes back saying so.
    const empty = await postForm(t.app, '/vote', { questionId: String(question.id) }, voterCookie('multi-empty'));
    expect(empty.body).toContain('Choose one of the answers');
  });

  it('exports one line per option, with its votes and share of the voters', async () => {
    const question = await createMulti();
    const [a, b] = question.options.map((option) => option.id);
    await vote('multi-csv-1', { questionId: question.id, optionIds: [a, b] });
    await vote('multi-csv-2', { questionId: question.id, optionIds: [a] });
    const csv = (await t.admin({ url: `/api/admin/questions/${question.id}/results.csv` })).body;
    expect(csv).toContain('"Guitar",2,100');
    expect(csv).toContain('"Piano",1,50');
    expect(csv).toContain('"Drums",0,0');
  });

  it('makes a quick poll of several choices, through the API and the home page form', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/polls',
      payload: { kind: 'multi', question: 'Snacks?', options: ['Chips', 'Fruit', 'Nuts'], maxChoices: 2 },
    });
    expect(made.statusCode).toBe(201);
    expect(made.json().question).toMatchObject({ kind: 'multi', maxChoices: 2 });
    const form = await postForm(t.app, '/polls', {
      question: 'Drinks?',
      options: ['Tea', 'Coffee', 'Water'],
      kind: 'multi',
      maxChoices: '',
    });
    expect(form.statusCode).toBe(303);
    const code = /\/p\/([A-Z0-9]+)/.exec(form.headers.location ?? '')?.[1];
    const poll = (await t.app.inject({ url: `/api/polls/${code}` })).json();
    expect(poll.liveQuestion).toMatchObject({ kind: 'multi', maxChoices: 3 });
  });
});
