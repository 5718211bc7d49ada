import { describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  appForTests,
  dialects,
  fixture,
  postForm,
  signInCookie,
  uploadImages,
  voteWith,
} from '../../../test/helpers.js';

// A question read from images is single choice unless asked otherwise; before its first vote it
// may become multiple choice, a ranking or a quiz, through the API or in the review step.
describe.each(dialects)('the kind of a question with options, chosen and changed, on $name', (dialect) => {
  const t = appForTests(dialect);
  const images = { question_image: fixture('capital-question.png'), options_image: fixture('capital-options.png') };
  const read = (fields: Record<string, string>) =>
    uploadImages(t.app, t.token, images, { activate: 'false', ocr: 'local', ...fields });
  const edit = (id: number, payload: object) =>
    t.admin({ method: 'PATCH', url: `/api/admin/questions/${id}`, payload });

  it('reads the two images into the kind asked for, a quiz with `correct`', async () => {
    const multi = await read({ kind: 'multi' });
    expect(multi.statusCode).toBe(201);
    expect(multi.json().question).toMatchObject({ kind: 'multi', maxChoices: 4, status: 'draft' });
    const ranking = (await read({ kind: 'ranking' })).json().question;
    expect(ranking.kind).toBe('ranking');
    expect(ranking.options.map((o: { text: string }) => o.text)).toEqual(['Sydney', 'Canberra', 'Melbourne', 'Perth']);
    const quiz = (await read({ correct: '1' })).json().question;
    expect(quiz.quiz).toEqual({ revealed: false, correctOptionIds: [quiz.options[1].id] });

    const refusals: [Record<string, string>, RegExp][] = [
      [{ kind: 'rating' }, /kind must be one of choice, multi, ranking/],
      [{ correct: 'second' }, /places of the right options/],
      [{ kind: 'ranking', correct: '0' }, /single- or multiple-choice/],
      [{ correct: '9' }, /from 0 to 3/],
    ];
    for (const [fields, message] of refusals) {
      const refused = await read(fields);
      expect(refused.statusCode, JSON.stringify(fields)).toBe(422);
      expect(refused.json().error.message).toMatch(message);
    }
  });

  it('changes the kind before the first vote, and only the right options after it', async () => {
    const question = (await read({})).json().question;
    const asMulti = await edit(question.id, { kind: 'multi', maxChoices: 2, correct: [1, 3] });
    expect(asMulti.statusCode).toBe(200);
    expect(asMulti.json().question).toMatchObject({
      kind: 'multi',
      maxChoices: 2,
      quiz: { revealed: false, correctOptionIds: [question.options[1].id, question.options[3].id] },
    });
    // A ranking has no right options: the quiz goes with the change of kind.
    const asRanking = (await edit(question.id, { kind: 'ranking' })).json().question;
    expect(asRanking.kind).toBe('ranking');
    expect(asRanking.quiz).toBeUndefined();
    const back = (await edit(question.id, { kind: 'choice', correct: [2] })).json().question;
    expect(back).toMatchObject({ kind: 'choice', quiz: { correctOptionIds: [question.options[2].id] } });
    // Single and multiple choice both keep right options: the quiz stays through the change.
    const multi = (await edit(question.id, { kind: 'multi' })).json().question;
    expect(multi).toMatchObject({ kind: 'multi', quiz: { correctOptionIds: [question.options[2].id] } });
    // Options put in another order: the right one is still Melbourne, at its new place.
    const reordered = (
      await edit(question.id, { kind: 'choice', options: ['Melbourne', 'Perth', 'Sydney', 'Canberra'] })
    ).json().question;
    expect(reordered.options[0].text).toBe('Melbourne');
    expect(reordered.quiz.correctOptionIds).toEqual([reordered.options[0].id]);
    const removed = await edit(question.id, { options: ['Perth', 'Sydney', 'Canberra'] });
    expect(removed.statusCode).toBe(422);
    expect(removed.json().error.message).toMatch(/say again which options are right/);
    await edit(question.id, { options: ['Sydney', 'Canberra', 'Melbourne', 'Perth'], correct: [2] });

    await t.admin({ method: 'POST', url: `/api/admin/questions/${question.id}/activate` });
    await voteWith(t.app, 'reshape-voter', { questionId: question.id, optionId: question.options[0].id });
    const tooLate = await edit(question.id, { kind: 'multi' });
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().error.code).toBe('question_has_votes');
    // A mistyped right answer may still be put right, and a quiz turned back into a plain question.
    const fixed = (await edit(question.id, { correct: [1] })).json().question;
    expect(fixed.quiz.correctOptionIds).toEqual([question.options[1].id]);
    expect((await edit(question.id, { correct: null })).json().question.quiz).toBeUndefined();
    expect((await t.app.inject({ url: '/api/polls/default/results' })).json().question).toMatchObject({
      kind: 'choice',
      totalVotes: 1,
    });
  });

  it('offers the kinds with options in the review step, and saves the one picked with its right options', async () => {
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const question = (await read({})).json().question;
    const page = (await t.app.inject({ url: `/admin?review=${question.id}`, headers: { cookie } })).body;
    const review = page.slice(page.indexOf('id="review"'), page.indexOf('</form>', page.indexOf('id="review"')));
    expect(review).toContain('name="kind" value="multi"');
    expect(review).toContain('name="kind" value="ranking"');
    expect(review).not.toContain('value="rating"');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const saved = await postForm(
      t.app,
      `/admin/questions/${question.id}/edit`,
      {
        _csrf,
        text: question.text,
        options: question.options.map((o: { text: string }) => o.text),
        kind: 'multi',
        maxChoices: '',
        rightOptions: '2, 4',
      },
      cookie,
    );
    expect(saved.statusCode).toBe(303);
    const stored = (await t.admin({ url: '/api/admin/polls/default/questions' }))
      .json()
      .questions.find((q: { id: number }) => q.id === question.id);
    expect(stored).toMatchObject({
      kind: 'multi',
      maxChoices: 4,
      quiz: { correctOptionIds: [question.options[1].id, question.options[3].id] },
    });
  });
});
