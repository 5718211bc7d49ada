import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  asUser,
  buildTestApp,
  dialects,
  type OptionsQuestion,
  organizerToken,
  postForm,
  signInCookie,
  type TestApp,
  voteAs,
} from '../../test/helpers.js';
import { openWebSocket } from '../../test/live-clients.js';
import type { QuestionView } from '../realtime/messages.js';

describe.each(dialects)('organizers and their polls on $name', (dialect) => {
  let t: TestApp;
  let base: string;
  let olga: ReturnType<typeof asUser>;
  let pete: ReturnType<typeof asUser>;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    olga = asUser(t.app, await organizerToken(t.app, 'olga'));
    pete = asUser(t.app, await organizerToken(t.app, 'pete'));
  });
  afterAll(() => t?.close());

  const newPoll = async (api: typeof olga, title: string) => {
    const response = await api({ method: 'POST', url: '/api/admin/polls', payload: { title } });
    expect(response.statusCode).toBe(201);
    return response.json() as { code: string; title: string; urls: Record<string, string> };
  };
  const addQuestion = async (api: typeof olga, code: string, text: string, options: string[], activate = false) => {
    const response = await api({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: { text, options, activate },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().question as OptionsQuestion;
  };
  const vote = (code: string, voter: string, questionId: number, optionId: number | undefined) =>
    voteAs(t.app, voter, questionId, optionId, { code });

  it('creates polls with join codes from the alphabet, matched in any case', async () => {
    const poll = await newPoll(olga, '  Monday all-hands ');
    expect(poll.code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/);
    expect(poll.title).toBe('Monday all-hands');
    expect(poll.urls.vote).toBe(`http://localhost:80/p/${poll.code}`);
    const lower = await t.app.inject({ url: `/api/polls/${poll.code.toLowerCase()}` });
    expect(lower.json()).toEqual({
      code: poll.code,
      title: 'Monday all-hands',
      rules: {
        oneVotePerAddress: false,
        votesChangeable: false,
        profanityFilter: false,
        hideResults: false,
        language: null,
      },
      qa: { open: false, moderated: false, named: false },
      liveQuestion: null,
      currentQuestion: null,
    });
    expect((await t.app.inject({ url: `/p/${poll.code.toLowerCase()}` })).statusCode).toBe(200);
    const empty = await olga({ method: 'POST', url: '/api/admin/polls', payload: { title: '   ' } });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.message).toBe('The poll needs a title.');
  });

  it("lists each organizer's own polls, and every poll for the admin", async () => {
    const mine = await newPoll(pete, 'Pete only');
    const petes = (await pete({ url: '/api/admin/polls' })).json().polls;
    expect(petes.map((p: { code: string }) => p.code)).toEqual([mine.code]);
    expect(petes[0]).toMatchObject({ title: 'Pete only', hasOwner: true, questionCount: 0, liveQuestion: null });
    const olgas = (await olga({ url: '/api/admin/polls' })).json().polls;
    expect(olgas.map((p: { title: string }) => p.title)).not.toContain('Pete only');
    const all = (await asUser(t.app, await adminToken(t.app))({ url: '/api/admin/polls' })).json().polls;
    expect(all.map((p: { title: string }) => p.title)).toEqual(
      expect.arrayContaining(['Pete only', 'Monday all-hands']),
    );
  });

  it("answers 404 to every attempt on another organizer's poll and changes nothing", async () => {
    const poll = await newPoll(pete, 'Private');
    const question = await addQuestion(pete, poll.code, 'Secret?', ['Yes', 'No'], true);
    const attempts = [
      olga({ url: `/api/admin/polls/${poll.code}/questions` }),
      olga({
        method: 'POST',
        url: `/api/admin/polls/${poll.code}/questions`,
        payload: { text: 'Mine?', options: ['a', 'b'] },
      }),
      olga({ method: 'DELETE', url: `/api/admin/polls/${poll.code}` }),
      olga({ method: 'PATCH', url: `/api/admin/questions/${question.id}`, payload: { text: 'Hijacked' } }),
      olga({ method: 'POST', url: `/api/admin/questions/${question.id}/close` }),
      olga({ method: 'POST', url: `/api/admin/questions/${question.id}/activate` }),
      olga({ method: 'POST', url: `/api/admin/questions/${question.id}/move`, payload: { direction: 'up' } }),
      olga({ method: 'DELETE', url: `/api/admin/questions/${question.id}` }),
      olga({ url: `/api/admin/questions/${question.id}/results.csv` }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.body).not.toContain('Secret?');
    }
    const unknown = await olga({ url: '/api/admin/polls/ZZZZZZ/questions' });
    expect(unknown.json()).toEqual((await olga({ url: `/api/admin/polls/${poll.code}/questions` })).json());
    const live = (await t.app.inject({ url: `/api/polls/${poll.code}` })).json().liveQuestion;
    expect(live).toMatchObject({ id: question.id, text: 'Secret?', status: 'live' });
    // Pages too: another organizer's poll page is "not found".
    const cookie = await signInCookie(t.app, 'olga', 'olga-password');
    const page = await t.app.inject({ url: `/admin/polls/${poll.code}`, headers: { cookie } });
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Secret?');
    // Without signing in at all: 401.
    expect((await t.app.inject({ url: `/api/admin/polls/${poll.code}/questions` })).statusCode).toBe(401);
  });

  it('runs a session: drafts, one live question at a time, and every change reaches viewers live', async () => {
    const poll = await newPoll(olga, 'Session');
    const viewer = await openWebSocket(base, poll.code);
    try {
      await viewer.inbox.next((m) => m.type === 'snapshot' && m.question === null);
      const first = await addQuestion(olga, poll.code, 'First?', ['A', 'B']);
      const second = await addQuestion(olga, poll.code, 'Second?', ['C', 'D', 'E']);
      expect([first.status, second.status]).toEqual(['draft', 'draft']);

      await olga({ method: 'POST', url: `/api/admin/questions/${first.id}/activate` });
      await viewer.inbox.next((m) => m.type === 'question' && m.question?.id === first.id);
      expect((await vote(poll.code, 'v1', first.id, first.options[0]?.id)).statusCode).toBe(201);

      await olga({ method: 'POST', url: `/api/admin/questions/${second.id}/activate` });
      await viewer.inbox.next((m) => m.type === 'question' && m.question?.id === second.id);
      const list = (await olga({ url: `/api/admin/polls/${poll.code}/questions` })).json().questions;
      // In the order they were made: a session runs top to bottom.
      expect(list.map((q: QuestionView) => [q.text, q.status, q.totalVotes])).toEqual([
        ['First?', 'closed', 1],
        ['Second?', 'live', 0],
      ]);

      const edited = await olga({
        method: 'PATCH',
        url: `/api/admin/questions/${second.id}`,
        payload: { text: 'Second, edited?' },
      });
      expect(edited.statusCode).toBe(200);
      await viewer.inbox.next((m) => m.type === 'question' && m.question?.text === 'Second, edited?');

      viewer.inbox.clear();
      await olga({ method: 'POST', url: `/api/admin/questions/${second.id}/close` });
      // A closed question stays on the screens with its results until another goes live.
      await viewer.inbox.next(
        (m) => m.type === 'question' && m.question?.id === second.id && m.question.status === 'closed',
      );
      expect((await vote(poll.code, 'v2', second.id, second.options[0]?.id)).json().error.code).toBe(
        'question_not_live',
      );

      const reopened = await olga({ method: 'POST', url: `/api/admin/questions/${first.id}/reopen` });
      expect(reopened.json().question).toMatchObject({ status: 'live', totalVotes: 1 });
      await viewer.inbox.next((m) => m.type === 'question' && m.question?.id === first.id);
      expect((await vote(poll.code, 'v1', first.id, first.options[1]?.id)).json().error.code).toBe('already_voted');

      viewer.inbox.clear();
      expect((await olga({ method: 'DELETE', url: `/api/admin/questions/${first.id}` })).statusCode).toBe(204);
      await viewer.inbox.next((m) => m.type === 'question' && m.question === null);
      expect(await t.app.db.selectFrom('votes').where('question_id', '=', first.id).selectAll().execute()).toEqual([]);
    } finally {
      viewer.close();
    }
  });

  it('keeps questions in the order they were made, and moves one up or down', async () => {
    const poll = await newPoll(olga, 'Ordered');
    const [a, b, c] = [
      await addQuestion(olga, poll.code, 'A?', ['1', '2']),
      await addQuestion(olga, poll.code, 'B?', ['1', '2'], true),
      await addQuestion(olga, poll.code, 'C?', ['1', '2']),
    ];
    const order = async () =>
      (await olga({ url: `/api/admin/polls/${poll.code}/questions` }))
        .json()
        .questions.map((q: QuestionView) => q.text);
    expect(await order()).toEqual(['A?', 'B?', 'C?']);
    const move = (question: QuestionView | undefined, direction: string) =>
      olga({ method: 'POST', url: `/api/admin/questions/${question?.id}/move`, payload: { direction } });

    const moved = await move(c, 'up');
    expect(moved.statusCode).toBe(200);
    expect(moved.json().questions.map((q: QuestionView) => q.text)).toEqual(['A?', 'C?', 'B?']);
    expect((await move(a, 'down')).json().questions.map((q: QuestionView) => q.text)).toEqual(['C?', 'A?', 'B?']);
    // The first cannot go up nor the last down: they stay.
    expect((await move(c, 'up')).statusCode).toBe(200);
    expect((await move(b, 'down')).statusCode).toBe(200);
    expect(await order()).toEqual(['C?', 'A?', 'B?']);
    // A new question comes last; moving changes nothing else (B is still the live one).
    await addQuestion(olga, poll.code, 'D?', ['1', '2']);
    expect(await order()).toEqual(['C?', 'A?', 'B?', 'D?']);
    expect((await t.app.inject({ url: `/api/polls/${poll.code}` })).json().liveQuestion.text).toBe('B?');

    const sideways = await move(a, 'left');
    expect([sideways.statusCode, sideways.json().error.code]).toEqual([422, 'validation_failed']);
  });

  it('never moves votes to another option when a question with votes is edited', async () => {
    const poll = await newPoll(olga, 'Edits');
    const question = await addQuestion(olga, poll.code, 'Pick one', ['Red', 'Green', 'Blue'], true);
    const [red, green] = question.options;
    await vote(poll.code, 'e1', question.id, red?.id);
    await vote(poll.code, 'e2', question.id, red?.id);
    await vote(poll.code, 'e3', question.id, green?.id);
    const edit = (options: string[]) =>
      olga({ method: 'PATCH', url: `/api/admin/questions/${question.id}`, payload: { options } });

    for (const refused of [
      ['Green', 'Red', 'Blue'],
      ['Red', 'Green'],
      ['Red', 'Green', 'Blue', 'Yellow'],
    ]) {
      const response = await edit(refused);
      expect(response.statusCode, refused.join()).toBe(409);
      expect(response.json().error.code).toBe('question_has_votes');
    }
    // The same rule on the poll's page: the error is shown there, with the question under review.
    const cookie = await signInCookie(t.app, 'olga', 'olga-password');
    const page = await t.app.inject({ url: `/admin/polls/${poll.code}?review=${question.id}`, headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const refusedForm = await postForm(
      t.app,
      `/admin/questions/${question.id}/edit`,
      { _csrf: csrf, text: 'Pick one', options: ['Blue', 'Green', 'Red'] },
      cookie,
    );
    expect(refusedForm.statusCode).toBe(409);
    expect(refusedForm.body).toContain('<h1><bdi>Edits</bdi>');
    expect(refusedForm.body).toContain('not added, removed or reordered');
    expect(refusedForm.body).toContain('id="review"');

    const reworded = await edit(['Crimson', 'green', 'Blue']);
    expect(reworded.statusCode).toBe(200);
    expect(reworded.json().question.options.map((o: { text: string; votes: number }) => [o.text, o.votes])).toEqual([
      ['Crimson', 2],
      ['green', 1],
      ['Blue', 0],
    ]);
  });

  it('lets an organizer delete a poll with everything in it, but never the default poll', async () => {
    const poll = await newPoll(olga, 'Short-lived');
    const question = await addQuestion(olga, poll.code, 'Gone soon?', ['Yes', 'No'], true);
    await vote(poll.code, 'd1', question.id, question.options[0]?.id);
    expect((await olga({ method: 'DELETE', url: `/api/admin/polls/${poll.code}` })).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/polls/${poll.code}` })).statusCode).toBe(404);
    expect(await t.app.db.selectFrom('votes').where('question_id', '=', question.id).selectAll().execute()).toEqual([]);
    const admin = asUser(t.app, await adminToken(t.app));
    const refused = await admin({ method: 'DELETE', url: '/api/admin/polls/default' });
    expect(refused.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/polls/default' })).statusCode).toBe(200);
  });

  it('exports results as CSV that a spreadsheet shows as text', async () => {
    const poll = await newPoll(olga, 'Export');
    const question = await addQuestion(
      olga,
      poll.code,
      'Formulas?',
      ['=HYPERLINK("http://evil","click")', '+1', '-2', '@SUM(A1)', 'Plain, with "quotes"', 'עברית 🎉'],
      true,
    );
    await vote(poll.code, 'c1', question.id, question.options[0]?.id);
    await vote(poll.code, 'c2', question.id, question.options[5]?.id);
    await vote(poll.code, 'c3', question.id, question.options[5]?.id);
    const response = await olga({ url: `/api/admin/questions/${question.id}/results.csv` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${poll.code}-formulas.csv"`);
    const exportedAt = /"exported_at","([^"]+)"/.exec(response.body)?.[1];
    expect(response.body).toBe(
      [
        '\uFEFF"poll","Export"',
        `"code","${poll.code}"`,
        `"exported_at","${exportedAt}"`,
        '',
        '"question_number","question","status","option","votes","percent"',
        `1,"Formulas?","live","'=HYPERLINK(""http://evil"",""click"")",1,33.3`,
        `1,"Formulas?","live","'+1",0,0`,
        `1,"Formulas?","live","'-2",0,0`,
        `1,"Formulas?","live","'@SUM(A1)",0,0`,
        '1,"Formulas?","live","Plain, with ""quotes""",0,0',
        '1,"Formulas?","live","עברית 🎉",2,66.7',
        '',
      ].join('\r\n'),
    );
  });
});
