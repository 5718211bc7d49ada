import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  appForTests,
  cookieFrom,
  createLiveOfKind,
  dialects,
  postForm,
  signInCookie,
  voterCookie,
  voteWith,
} from '../../../test/helpers.js';
import { openEventStream, openWebSocket } from '../../../test/live-clients.js';
import type { LiveMessage } from '../../realtime/messages.js';
import { typedRightOptions } from './quiz-templates.js';

describe.each(dialects)('quiz questions on $name', (dialect) => {
  const t = appForTests(dialect);
  const capitals = { text: 'Capital of Australia?', options: ['Sydney', 'Canberra', 'Melbourne'] };
  const createQuiz = (fields: Record<string, unknown> = {}) =>
    createLiveOfKind(t.app, t.token, 'choice', { ...capitals, correct: [1], ...fields });
  const create = (payload: Record<string, unknown>) =>
    t.admin({ method: 'POST', url: '/api/admin/polls/default/questions', payload: { ...capitals, ...payload } });
  const reveal = (id: number) => t.admin({ method: 'POST', url: `/api/admin/questions/${id}/reveal` });
  const votePage = async (voter: string) =>
    (await t.app.inject({ url: '/vote?partial=1', headers: { cookie: voterCookie(voter) } })).body;

  it('keeps the right answer from the audience until the organizer reveals it, then shows it everywhere', async () => {
    const question = await createQuiz();
    const canberra = question.options[1]?.id;
    // The organizer who made it sees the answer; the audience's API does not.
    expect(question.quiz).toEqual({ revealed: false, correctOptionIds: [canberra] });
    const publicView = (await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion;
    expect(publicView.quiz).toEqual({ revealed: false, correctOptionIds: [] });

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const ws = await openWebSocket(base, 'default');
    const sse = await openEventStream(base, 'default');
    try {
      const right = await voteWith(t.app, 'quiz-right', { questionId: question.id, optionId: canberra });
      expect(right.json().question.quiz.correctOptionIds).toEqual([]);
      await voteWith(t.app, 'quiz-wrong', { questionId: question.id, optionId: question.options[0]?.id });
      expect(await votePage('quiz-right')).toContain('revealed later');
      expect(await votePage('quiz-right')).not.toContain('right answer</span>');

      expect((await reveal(question.id)).json().question.quiz).toEqual({
        revealed: true,
        correctOptionIds: [canberra],
      });
      const revealed = (m: LiveMessage) =>
        m.type === 'question' && m.question?.kind === 'choice' && !!m.question.quiz?.revealed;
      for (const client of [ws, sse]) {
        const message = await client.inbox.next(revealed);
        expect(message).toMatchObject({ question: { quiz: { correctOptionIds: [canberra] } } });
        // No frame before the reveal carried the answer.
        const before = client.inbox.messages.slice(0, client.inbox.messages.indexOf(message));
        expect(JSON.stringify(before)).not.toMatch(/"correctOptionIds":\[\d/);
      }
    } finally {
      ws.close();
      sse.close();
    }
    expect(await votePage('quiz-right')).toContain('You got it right!');
    expect(await votePage('quiz-wrong')).toContain('Not this time');
    const results = (await t.app.inject({ url: '/results?partial=1' })).body;
    expect(results).toMatch(
      /class="bar-row right" data-option-id="\d+">\n<div class="bar-label"><span class="option-text">Canberra <span class="right-answer">/,
    );
    // A second reveal changes nothing.
    expect((await reveal(question.id)).statusCode).toBe(200);
    // Another right answer, set after the reveal, is a secret again until revealed again.
    const changed = await t.admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { correct: [2] },
    });
    expect(changed.json().question.quiz).toEqual({ revealed: false, correctOptionIds: [question.options[2]?.id] });
    const audience = (await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion;
    expect(audience.quiz).toEqual({ revealed: false, correctOptionIds: [] });
  });

  it('says a multiple-choice voter was right only for exactly the right options', async () => {
    const question = await createLiveOfKind(t.app, t.token, 'multi', {
      text: 'Which are prime?',
      options: ['2', '4', '5', '9'],
      maxChoices: 3,
      correct: [2, 0],
    });
    const [two, four, five] = question.options.map((option) => option.id);
    expect(question.quiz?.correctOptionIds).toEqual([two, five]);
    await voteWith(t.app, 'prime-exact', { questionId: question.id, optionIds: [five, two] });
    await voteWith(t.app, 'prime-half', { questionId: question.id, optionIds: [two] });
    await voteWith(t.app, 'prime-extra', { questionId: question.id, optionIds: [two, four, five] });
    await reveal(question.id);
    expect(await votePage('prime-exact')).toContain('You got it right!');
    expect(await votePage('prime-half')).toContain('Not this time');
    expect(await votePage('prime-extra')).toContain('Not this time');
  });

  it('refuses right options that cannot be, and a reveal of a question that is no quiz', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ correct: [0, 1] }, /one option is right/],
      [{ correct: [3] }, /from 0 to 2/],
      [{ kind: 'multi', correct: [1, 1] }, /named once/],
      [{ kind: 'multi', maxChoices: 1, correct: [0, 1] }, /one option is right/],
      [{ kind: 'wordcloud', options: undefined, correct: [0] }, /single- or multiple-choice/],
      [{ correct: [] }, /correct/],
      [{ correct: [-1] }, /correct/],
    ];
    for (const [payload, message] of cases) {
      const refused = await create(payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(422);
      expect(refused.json().error.message).toMatch(message);
    }
    const plain = (await create({})).json().question;
    expect(plain.quiz).toBeUndefined();
    const notQuiz = await reveal(plain.id);
    expect(notQuiz.statusCode).toBe(409);
    expect(notQuiz.json().error.code).toBe('not_a_quiz');
    expect((await t.app.inject({ method: 'POST', url: `/api/admin/questions/${plain.id}/reveal` })).statusCode).toBe(
      401,
    );
  });

  it('lets a quick poll be a quiz that its creator reveals with the manage token', async () => {
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/polls',
      payload: { question: 'Largest ocean?', options: ['Atlantic', 'Pacific'], correct: [1] },
    });
    expect(made.statusCode).toBe(201);
    const { code, manageToken, question } = made.json();
    expect(question.quiz.correctOptionIds).toEqual([question.options[1].id]);
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().liveQuestion.quiz.correctOptionIds).toEqual([]);
    const stranger = await t.app.inject({
      method: 'POST',
      url: `/api/polls/${code}/reveal`,
      headers: { 'x-manage-token': 'not-the-token' },
    });
    expect(stranger.statusCode).toBe(404);
    const revealed = await t.app.inject({
      method: 'POST',
      url: `/api/polls/${code}/reveal`,
      headers: { 'x-manage-token': manageToken },
    });
    expect(revealed.json().question.quiz).toEqual({ revealed: true, correctOptionIds: [question.options[1].id] });
  });

  it('is typed on the admin page with the right option’s number, and revealed from the question list', async () => {
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const form = await t.app.inject({ url: '/admin/polls/default', headers: { cookie } });
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const post = (fields: Record<string, string | string[]>) =>
      postForm(t.app, '/admin/polls/default/questions', { _csrf, ...fields }, cookie);
    const typed = await post({
      text: 'Longest river?',
      options: ['Nile', 'Danube', 'Thames'],
      kind: 'choice',
      rightOption: '1',
      activate: 'true',
    });
    expect(typed.statusCode).toBe(303);
    const question = (await t.admin({ url: '/api/admin/polls/default/questions' }))
      .json()
      .questions.find((q: { text: string }) => q.text === 'Longest river?');
    expect(question.quiz).toEqual({ revealed: false, correctOptionIds: [question.options[0].id] });
    const page = await t.app.inject({ url: '/admin/polls/default', headers: { cookie } });
    expect(page.body).toContain(`action="/admin/questions/${question.id}/reveal"`);
    const wrongNumber = await post({
      text: 'Longest river?',
      options: ['Nile', 'Danube'],
      kind: 'choice',
      rightOption: 'first',
    });
    expect(wrongNumber.body).toContain('Name the right options by their numbers');
  });

  it('is made on the quick-poll form, and revealed from its manage page', async () => {
    const created = await postForm(t.app, '/polls', {
      question: 'Which is a mammal?',
      options: ['Shark', 'Dolphin', 'Trout'],
      kind: 'choice',
      rightOption: '2',
    });
    expect(created.statusCode).toBe(303);
    const code = /^\/p\/([A-Z0-9]{6})\/share$/.exec(String(created.headers.location))?.[1] ?? '';
    const manager = cookieFrom(created.headers['set-cookie'], 'pc_manage');
    const page = await t.app.inject({ url: `/p/${code}/manage`, headers: { cookie: manager } });
    expect(page.body).toContain(`action="/p/${code}/manage/reveal"`);
    expect(page.body).toMatch(/option-text">Dolphin <span class="right-answer">/);
    expect((await t.app.inject({ url: `/p/${code}/results?partial=1` })).body).not.toContain('right-answer');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const revealed = await postForm(t.app, `/p/${code}/manage/reveal`, { _csrf }, manager);
    expect(revealed.headers.location).toBe(`/p/${code}/manage?notice=revealed`);
    expect((await t.app.inject({ url: `/p/${code}/results?partial=1` })).body).toMatch(
      /option-text">Dolphin <span class="right-answer">/,
    );
  });
});

describe('right options typed in a form', () => {
  it('takes option numbers apart by spaces and commas, Arabic ones and Arabic-Indic digits too', () => {
    expect(typedRightOptions('2')).toEqual({ correct: [1] });
    expect(typedRightOptions('1, 3')).toEqual({ correct: [0, 2] });
    expect(typedRightOptions('١، ٣')).toEqual({ correct: [0, 2] });
    expect(typedRightOptions('')).toEqual({});
    expect(() => typedRightOptions('0')).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
    expect(() => typedRightOptions('second')).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
  });
});
