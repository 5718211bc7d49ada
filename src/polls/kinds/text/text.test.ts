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

describe.each(dialects)('open-text questions on $name', (dialect) => {
  const t = appForTests(dialect);
  const createOpen = () => createLiveOfKind(t.app, t.token, 'text', { text: 'What should we change?' });
  const vote = (voter: string, payload: object) => voteWith(t.app, voter, payload);
  const texts = (question: { answers: { text: string }[] }) => question.answers.map((answer) => answer.text);

  it('puts each voter’s answer on the wall, newest first, cleaned of invisible characters', async () => {
    const question = await createOpen();
    expect(question).toMatchObject({ kind: 'text', answers: [], totalVotes: 0 });
    expect((await vote('o1', { questionId: question.id, text: 'Shorter  meetings' })).statusCode).toBe(201);
    const second = await vote('o2', { questionId: question.id, text: 'More \u202eexamples\u0007 please' });
    expect(second.statusCode).toBe(201);
    expect(texts(second.json().question)).toEqual(['More examples please', 'Shorter meetings']);
    const shown = await liveResults(t.app);
    expect(shown.totalVotes).toBe(2);
    expect(shown.answers[0]).toMatchObject({ id: expect.any(Number), createdAt: expect.any(String) });
    // One answer per voter, as for every kind.
    expect((await vote('o1', { questionId: question.id, text: 'Again' })).json().error.code).toBe('already_voted');
  });

  it('refuses an answer that does not fit, saying why, and stores none', async () => {
    const question = await createOpen();
    const cases: [object, string, RegExp][] = [
      [{ questionId: question.id, text: '' }, 'invalid_vote', /Write an answer/],
      [{ questionId: question.id, text: ' \u200f\u0000 ' }, 'invalid_vote', /Write an answer/],
      [{ questionId: question.id, text: 'x'.repeat(281) }, 'invalid_vote', /at most 280 characters/],
      [{ questionId: question.id, text: 'y'.repeat(2001) }, 'validation_failed', /2000/],
      [{ questionId: question.id, text: 7 }, 'validation_failed', /string/],
      [{ questionId: question.id, words: ['hi'] }, 'invalid_vote', /text, an answer/],
    ];
    for (const [payload, code, message] of cases) {
      const response = await vote('careful-author', payload);
      expect([response.statusCode, response.json().error?.code], JSON.stringify(payload)).toEqual([422, code]);
      expect(response.json().error.message).toMatch(message);
    }
    expect(await liveResults(t.app)).toMatchObject({ totalVotes: 0, answers: [] });
    // 280 characters of emoji are 280 characters, not 560 code units.
    expect((await vote('careful-author', { questionId: question.id, text: '🙂'.repeat(280) })).statusCode).toBe(201);
  });

  it('shows the latest 50; the organizer reads and exports every answer', async () => {
    const question = await createOpen();
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => vote(`many-${i}`, { questionId: question.id, text: `Idea ${i}` })),
    );
    const shown = await liveResults(t.app);
    expect(shown.totalVotes).toBe(60);
    expect(shown.answers).toHaveLength(50);
    const all = (await t.admin({ url: `/api/admin/questions/${question.id}/answers` })).json().answers;
    expect(all).toHaveLength(60);
    expect(new Set(texts({ answers: all }))).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `Idea ${i}`)));
    expect(all[0].id).toBeGreaterThan(all[59].id);
    const csv = (await t.admin({ url: `/api/admin/questions/${question.id}/results.csv` })).body;
    expect(csv.match(/"Idea \d+"/g)).toHaveLength(60);

    const choice = await t.admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { text: 'Tea?', options: ['Yes', 'No'] },
    });
    const notOpen = await t.admin({ url: `/api/admin/questions/${choice.json().question.id}/answers` });
    expect(notOpen.statusCode).toBe(422);
    expect(notOpen.json().error.message).toMatch(/Only an open question/);
  });

  it('moves a changed answer to the top of the wall, where votes may change', async () => {
    await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: true } });
    try {
      const question = await createOpen();
      await vote('changer', { questionId: question.id, text: 'First thought' });
      await vote('other', { questionId: question.id, text: 'Something else' });
      const changed = await vote('changer', { questionId: question.id, text: 'Second thought' });
      expect(changed.statusCode).toBe(201);
      expect(changed.json().question.totalVotes).toBe(2);
      expect(texts(changed.json().question)).toEqual(['Second thought', 'Something else']);
    } finally {
      await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: false } });
    }
  });

  it('is answered without JavaScript, and typed on the quick-poll form', async () => {
    const question = await createOpen();
    const page = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('form-author') } });
    expect(page.body).toContain('<textarea id="open-answer" name="text"');
    const posted = await postForm(
      t.app,
      '/vote',
      { questionId: String(question.id), text: 'Start on time' },
      voterCookie('form-author'),
    );
    expect(posted.statusCode).toBe(303);
    const after = await t.app.inject({ url: '/vote', headers: { cookie: voterCookie('form-author') } });
    expect(after.body).toContain('Vote recorded');
    expect(after.body).toMatch(/class="wall-answer mine" data-answer-id="\d+">Start on time/);

    const form = await postForm(t.app, '/polls', { question: 'Any questions?', kind: 'text' });
    expect(form.statusCode).toBe(303);
    const code = /\/p\/([A-Z0-9]+)/.exec(form.headers.location ?? '')?.[1];
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion).toMatchObject({
      kind: 'text',
      answers: [],
    });
  });
});
