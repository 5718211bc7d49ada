import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  asUser,
  buildTestApp,
  dialects,
  type OptionsQuestion,
  postForm,
  type TestApp,
  voteAs,
  voterCookie,
} from '../../test/helpers.js';
import { openEventStream, openWebSocket } from '../../test/live-clients.js';
import type { LiveMessage, QuestionMessage, QuestionView, SnapshotMessage } from '../realtime/messages.js';

const isSnapshot = (m: LiveMessage): m is SnapshotMessage => m.type === 'snapshot';
const questionMessage = (test: (question: QuestionView | null) => boolean) => (m: LiveMessage) =>
  m.type === 'question' && test((m as QuestionMessage).question);

// A poll's current question: the one most recently made live. It stays on every screen, closed
// and with its final results, until another question goes live; deleting it clears it.
describe.each(dialects)('the current question on $name', (dialect) => {
  let t: TestApp;
  let base: string;
  let admin: ReturnType<typeof asUser>;

  beforeAll(async () => {
    t = await buildTestApp(dialect, { PUBLIC_URL: 'https://polls.example.org' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    admin = asUser(t.app, await adminToken(t.app));
  });
  afterAll(() => t?.close());

  const newPoll = async (title: string): Promise<string> =>
    (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title } })).json().code;
  const addQuestion = async (code: string, text: string, options: string[], activate = true) =>
    (
      await admin({ method: 'POST', url: `/api/admin/polls/${code}/questions`, payload: { text, options, activate } })
    ).json().question as OptionsQuestion;
  const summary = async (code: string) => (await t.app.inject({ url: `/api/polls/${code}` })).json();

  it('keeps a closed question with its final results for every viewer, until the next one goes live', async () => {
    const code = await newPoll('Closing');
    const question = await addQuestion(code, 'Coffee or tea?', ['Coffee', 'Tea']);
    expect((await voteAs(t.app, 'c1', question.id, question.options[0]?.id, { code })).statusCode).toBe(201);
    expect((await voteAs(t.app, 'c2', question.id, question.options[0]?.id, { code })).statusCode).toBe(201);
    expect((await voteAs(t.app, 'c3', question.id, question.options[1]?.id, { code })).statusCode).toBe(201);
    const ws = await openWebSocket(base, code);
    const sse = await openEventStream(base, code);
    try {
      await Promise.all([ws.inbox.next(isSnapshot), sse.inbox.next(isSnapshot)]);
      expect((await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/close` })).statusCode).toBe(200);
      for (const client of [ws, sse]) {
        const message = (await client.inbox.next(questionMessage((q) => q?.status === 'closed'))) as QuestionMessage;
        expect(message.question).toMatchObject({ id: question.id, status: 'closed', totalVotes: 3 });
        expect((message.question as OptionsQuestion).options.map((o) => [o.text, o.votes, o.percent])).toEqual([
          ['Coffee', 2, 66.7],
          ['Tea', 1, 33.3],
        ]);
        expect(message.question?.version).toBeGreaterThan(question.version);
      }
      expect(ws.inbox.messages.some((m) => m.type === 'question' && m.question === null)).toBe(false);

      // Whoever connects now gets the closed question first; a vote on it is still refused.
      const late = await openEventStream(base, code);
      const snapshot = await late.inbox.next(isSnapshot);
      late.close();
      expect(snapshot.question).toMatchObject({ id: question.id, status: 'closed', totalVotes: 3 });
      const refused = await voteAs(t.app, 'c4', question.id, question.options[1]?.id, { code });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('question_not_live');

      // The API keeps liveQuestion for the question open for votes, and shows the closed one apart.
      expect(await summary(code)).toMatchObject({
        liveQuestion: null,
        currentQuestion: { id: question.id, status: 'closed', totalVotes: 3 },
      });
      expect((await t.app.inject({ url: `/api/polls/${code}/results` })).json()).toEqual({ question: null });

      const next = await addQuestion(code, 'Cake or pie?', ['Cake', 'Pie']);
      for (const client of [ws, sse]) {
        await client.inbox.next(questionMessage((q) => q?.id === next.id && q.status === 'live'));
      }
      expect(await summary(code)).toMatchObject({
        liveQuestion: { id: next.id, status: 'live' },
        currentQuestion: { id: next.id, status: 'live' },
      });
    } finally {
      ws.close();
      sse.close();
    }
  });

  it('describes the current question beside the live one in the API document', async () => {
    const { paths } = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const poll = paths['/api/polls/{code}'].get.responses['200'].content['application/json'].schema;
    expect(poll.required).toEqual(expect.arrayContaining(['liveQuestion', 'currentQuestion']));
    expect(poll.properties.currentQuestion.description).toContain('most recently made live');
  });

  it('keeps the current question through a draft and edits, and clears it when it is deleted', async () => {
    const code = await newPoll('Deleting');
    const first = await addQuestion(code, 'First?', ['A', 'B']);
    await admin({ method: 'POST', url: `/api/admin/questions/${first.id}/close` });
    const draft = await addQuestion(code, 'Draft?', ['C', 'D'], false);
    expect((await summary(code)).currentQuestion).toMatchObject({ id: first.id, status: 'closed' });

    const ws = await openWebSocket(base, code);
    try {
      await ws.inbox.next(isSnapshot);
      // An edit of the closed question reaches its screens; one of the draft does not.
      await admin({ method: 'PATCH', url: `/api/admin/questions/${draft.id}`, payload: { text: 'Draft, edited?' } });
      await admin({ method: 'PATCH', url: `/api/admin/questions/${first.id}`, payload: { text: 'First, edited?' } });
      const edited = (await ws.inbox.next(questionMessage((q) => q !== null))) as QuestionMessage;
      expect(edited.question).toMatchObject({ id: first.id, text: 'First, edited?', status: 'closed' });

      // Deleting another question leaves the screens alone; deleting the current one clears them.
      expect((await admin({ method: 'DELETE', url: `/api/admin/questions/${draft.id}` })).statusCode).toBe(204);
      expect((await admin({ method: 'DELETE', url: `/api/admin/questions/${first.id}` })).statusCode).toBe(204);
      await ws.inbox.next(questionMessage((q) => q === null));
      expect(ws.inbox.messages.filter((m) => m.type === 'question')).toHaveLength(2);
      expect(await summary(code)).toMatchObject({ liveQuestion: null, currentQuestion: null });
      const late = await openWebSocket(base, code);
      const snapshot = await late.inbox.next(isSnapshot);
      late.close();
      expect(snapshot.question).toBeNull();
    } finally {
      ws.close();
    }
  });

  it('shows a closed question without JavaScript: final results and no form, the vote refused', async () => {
    const code = await newPoll('Pages');
    const question = await addQuestion(code, 'Left or right?', ['Left', 'Right']);
    const cookie = voterCookie('page-voter');
    expect((await voteAs(t.app, 'page-voter', question.id, question.options[1]?.id, { code })).statusCode).toBe(201);
    await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/close` });

    const vote = await t.app.inject({ url: `/p/${code}`, headers: { cookie } });
    expect(vote.body).toContain('Voting is closed');
    expect(vote.body).toContain('Left or right?');
    expect(vote.body).not.toContain('class="vote-form"');
    expect(vote.body).toMatch(
      /class="bar-row chosen" data-option-id="\d+">\s*<div class="bar-label"><span class="option-text">Right/,
    );
    const refused = await postForm(
      t.app,
      `/p/${code}`,
      { questionId: String(question.id), optionId: String(question.options[0]?.id) },
      voterCookie('late-voter'),
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Voting is closed');
    expect(refused.body).not.toContain('class="vote-form"');

    for (const url of [`/p/${code}/results`, `/p/${code}/present`]) {
      const page = (await t.app.inject({ url })).body;
      expect(page).toContain('Voting is closed');
      expect(page).toContain('Left or right?');
      expect(page).toContain('<span class="total-count">1</span>');
    }
  });

  it("shows the poll's full join address and code on the results screen", async () => {
    const code = await newPoll('Joining');
    await addQuestion(code, 'Here?', ['Yes', 'No']);
    const results = (await t.app.inject({ url: `/p/${code}/results` })).body;
    expect(results).toContain(`Join at <strong class="join-url" dir="ltr">polls.example.org/p/${code}</strong>`);
    expect(results).toContain(`<p class="join-code" aria-label="Join code ${code.split('').join(' ')}">${code}</p>`);
    expect(results).toContain(`<img class="qr" src="/p/${code}/qr.svg"`);
    // The site's default poll has no code to show: its address is enough.
    const site = (await t.app.inject({ url: '/results' })).body;
    expect(site).toContain('Join at <strong class="join-url" dir="ltr">polls.example.org/vote</strong>');
    expect(site).not.toContain('class="join-code"');
  });
});
