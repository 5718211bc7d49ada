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

describe.each(dialects)('word-cloud questions on $name', (dialect) => {
  const t = appForTests(dialect);
  const createCloud = (maxWords?: number) =>
    createLiveOfKind(t.app, t.token, 'wordcloud', {
      text: 'One word for this year?',
      ...(maxWords === undefined ? {} : { maxWords }),
    });
  const vote = (voter: string, payload: object) => voteWith(t.app, voter, payload);
  const results = () => liveResults(t.app);

  it('counts each word once per voter, normalized, the most given first', async () => {
    const question = await createCloud();
    expect(question).toMatchObject({ kind: 'wordcloud', maxWords: 3, words: [], totalVotes: 0 });
    const given: [string, string[]][] = [
      ['w1', ['Growth', 'calm']],
      ['w2', ['  growth ', 'CHAOS']],
      // The same word twice in one answer counts once; NFC and NFD spellings are one word.
      ['w3', ['Growth', 'growth', 'Cafe\u0301']],
      ['w4', ['café', 'new   start']],
    ];
    for (const [voter, words] of given) {
      expect((await vote(voter, { questionId: question.id, words })).statusCode).toBe(201);
    }
    const shown = await results();
    expect(shown.totalVotes).toBe(4);
    expect(shown.words).toEqual([
      { text: 'growth', count: 3 },
      { text: 'café', count: 2 },
      { text: 'calm', count: 1 },
      { text: 'chaos', count: 1 },
      { text: 'new start', count: 1 },
    ]);
  });

  it('refuses words that do not fit, saying why, and stores none', async () => {
    const question = await createCloud(2);
    const cases: [object, string, RegExp][] = [
      [{ questionId: question.id, words: ['a', 'b', 'c'] }, 'invalid_vote', /at most 2 words/],
      [{ questionId: question.id, words: [] }, 'invalid_vote', /at least one word/],
      [{ questionId: question.id, words: ['   '] }, 'invalid_vote', /some letters/],
      // Control and direction-changing characters are not letters.
      [{ questionId: question.id, words: ['\u202e\u0007'] }, 'invalid_vote', /some letters/],
      [{ questionId: question.id, words: ['x'.repeat(26)] }, 'invalid_vote', /at most 25 characters/],
      [{ questionId: question.id, words: ['y'.repeat(201)] }, 'validation_failed', /200/],
      [{ questionId: question.id, words: 'calm' }, 'validation_failed', /array/],
      [{ questionId: question.id, words: [7] }, 'validation_failed', /string/],
      [{ questionId: question.id, optionId: 1 }, 'invalid_vote', /words/],
    ];
    for (const [payload, code, message] of cases) {
      const response = await vote('careful-writer', payload);
      expect([response.statusCode, response.json().error?.code], JSON.stringify(payload)).toEqual([422, code]);
      expect(response.json().error.message).toMatch(message);
    }
    expect(await results()).toMatchObject({ totalVotes: 0, words: [] });
    // A direction mark inside a word goes, and the word stays.
    expect((await vote('careful-writer', { questionId: question.id, words: ['ca\u200flm'] })).statusCode).toBe(201);
    expect((await results()).words).toEqual([{ text: 'calm', count: 1 }]);
  });

  it('keeps every count equal to the stored answers under many simultaneous votes, and moves a changed one', async () => {
    const question = await createCloud();
    const pool = ['sun', 'rain', 'snow', 'wind', 'fog'];
    const answers = Array.from({ length: 60 }, (_, i) => [pool[i % 5] ?? '', pool[(i * 3 + 1) % 5] ?? '']);
    const responses = await Promise.all(
      answers.map((words, i) => vote(`crowd-writer-${i}`, { questionId: question.id, words })),
    );
    expect(responses.every((response) => response.statusCode === 201)).toBe(true);
    const stored = await t.app.db.selectFrom('votes').select('answer').where('question_id', '=', question.id).execute();
    const expected = new Map<string, number>();
    for (const { answer } of stored)
      for (const word of JSON.parse(answer ?? '[]')) expected.set(word, (expected.get(word) ?? 0) + 1);
    const shown = await results();
    expect(shown.totalVotes).toBe(60);
    expect(Object.fromEntries(shown.words.map((w: { text: string; count: number }) => [w.text, w.count]))).toEqual(
      Object.fromEntries(expected),
    );

    await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: true } });
    try {
      const before = Object.fromEntries(shown.words.map((w: { text: string; count: number }) => [w.text, w.count]));
      const [first = '', second = ''] = JSON.parse(stored[0]?.answer ?? '[]');
      const voter = (
        await t.app.db
          .selectFrom('votes')
          .select('voter_id')
          .where('question_id', '=', question.id)
          .where('answer', '=', stored[0]?.answer ?? '')
          .executeTakeFirstOrThrow()
      ).voter_id;
      const changed = await t.app.inject({
        method: 'POST',
        url: '/api/polls/default/votes',
        headers: { cookie: `pc_voter=${voter}` },
        payload: { questionId: question.id, words: ['hail'] },
      });
      expect(changed.statusCode).toBe(201);
      const after = Object.fromEntries(
        changed.json().question.words.map((w: { text: string; count: number }) => [w.text, w.count]),
      );
      expect(after).toMatchObject({ hail: 1, [first]: before[first] - 1 });
      if (second) expect(after[second]).toBe(before[second] - 1);
      expect(changed.json().question.totalVotes).toBe(60);
    } finally {
      await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: false } });
    }
  });

  it('shows the hundred words given most, and sends no more than those live', async () => {
    const question = await createCloud(3);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        vote(`many-words-${i}`, { questionId: question.id, words: [`w${i}a`, `w${i}b`, i < 5 ? 'popular' : `w${i}c`] }),
      ),
    );
    const shown = await results();
    expect(shown.words).toHaveLength(100);
    expect(shown.words[0]).toEqual({ text: 'popular', count: 5 });
  });

  it('votes without JavaScript: a field per word; exports a line per word; typed on the forms', async () => {
    const question = await createCloud(2);
    const page = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('form-writer') } });
    expect(page.body.match(/name="words"/g)).toHaveLength(2);
    expect(page.body).toContain('Up to 2 words');
    const posted = await postForm(
      t.app,
      '/vote',
      { questionId: String(question.id), words: ['Brave', ''] },
      voterCookie('form-writer'),
    );
    expect(posted.statusCode).toBe(303);
    const after = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('form-writer') } });
    expect(after.body).toContain('Vote recorded');
    expect(after.body).toMatch(/class="cloud-word size-6 mine" data-word="brave"/);
    const empty = await postForm(
      t.app,
      '/vote',
      { questionId: String(question.id), words: ['', ''] },
      voterCookie('blank-writer'),
    );
    expect(empty.body).toContain('Choose one of the answers');

    const csv = (await t.admin({ url: `/api/admin/questions/${question.id}/results.csv` })).body;
    expect(csv).toContain('"brave",1,100');

    const form = await postForm(t.app, '/polls', { question: 'Mood?', kind: 'wordcloud', maxWords: '1' });
    expect(form.statusCode).toBe(303);
    const code = /\/p\/([A-Z0-9]+)/.exec(form.headers.location ?? '')?.[1];
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion).toMatchObject({
      kind: 'wordcloud',
      maxWords: 1,
    });
    const tooMany = await t.admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { kind: 'wordcloud', text: 'Words?', maxWords: 4 },
    });
    expect(tooMany.statusCode).toBe(422);
  });
});
