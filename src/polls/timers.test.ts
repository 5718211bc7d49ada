import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  asUser,
  buildTestApp,
  dialects,
  postForm,
  signInCookie,
  type TestApp,
  voteWith,
} from '../../test/helpers.js';
import { openWebSocket } from '../../test/live-clients.js';
import type { QuestionView } from '../realtime/messages.js';

type Question = QuestionView & { options: { id: number }[] };

describe.each(dialects)('countdowns on $name', (dialect) => {
  let t: TestApp;
  let admin: ReturnType<typeof asUser>;
  let code = '';

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    admin = asUser(t.app, await adminToken(t.app));
    code = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Timed' } })).json().code;
  });
  afterAll(() => t?.close());

  const create = async (payload: object) => {
    const response = await admin({ method: 'POST', url: `/api/admin/polls/${code}/questions`, payload });
    expect(response.statusCode).toBe(201);
    return response.json().question as Question;
  };
  const current = async () => (await t.app.inject({ url: `/api/polls/${code}` })).json().currentQuestion as Question;
  const base = () => `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;

  it('starts counting down when a question with a time limit goes live, and closes it at zero with no page open', async () => {
    const draft = await create({ text: 'Quick one?', options: ['Yes', 'No'], timeLimitSec: 5 });
    expect(draft).toMatchObject({ status: 'draft', timeLimitSec: 5 });
    expect(draft.closesAt).toBeUndefined();

    const viewer = await openWebSocket(base(), code);
    try {
      const started = Date.now();
      const live = (await admin({ method: 'POST', url: `/api/admin/questions/${draft.id}/activate` })).json()
        .question as Question;
      expect(live.status).toBe('live');
      const end = Date.parse(live.closesAt ?? '');
      expect(end - started).toBeGreaterThan(4000);
      expect(end - started).toBeLessThanOrEqual(5000 + (Date.now() - started));
      expect(live.closesInMs).toBeGreaterThan(4000);
      expect(live.closesInMs).toBeLessThanOrEqual(5000);
      // Every screen learns when voting closes, and how long that is from the moment it was told.
      const told = await viewer.inbox.next((m) => m.type === 'question' && m.question?.id === draft.id);
      expect(told.type === 'question' && told.question?.closesInMs).toBeGreaterThan(3000);

      const voted = await voteWith(
        t.app,
        'in-time',
        { questionId: draft.id, optionId: draft.options[0]?.id },
        { code },
      );
      expect(voted.statusCode).toBe(201);
      // At zero the server closes it and says so, though no page asked.
      const closed = await viewer.inbox.next(
        (m) => m.type === 'question' && m.question?.id === draft.id && m.question.status === 'closed',
        15_000,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
      expect(closed.type === 'question' && closed.question?.closesAt).toBeUndefined();
      expect(closed.type === 'question' && closed.question?.totalVotes).toBe(1);
      const late = await voteWith(
        t.app,
        'too-late',
        { questionId: draft.id, optionId: draft.options[1]?.id },
        { code },
      );
      expect(late.statusCode).toBe(409);
      expect(late.json().error.code).toBe('question_not_live');
    } finally {
      viewer.close();
    }
  });

  it('refuses a vote that arrives after zero, before any instance closed the question', async () => {
    const question = await create({ text: 'Just missed?', options: ['Yes', 'No'], activate: true });
    // The countdown ended a moment ago; the server has not looked yet.
    await t.app.db
      .updateTable('questions')
      .set({ closes_at: new Date(Date.now() - 50).toISOString() })
      .where('id', '=', question.id)
      .execute();
    const late = await voteWith(
      t.app,
      'missed',
      { questionId: question.id, optionId: question.options[0]?.id },
      { code },
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('question_not_live');
    await expect.poll(async () => (await current()).status, { timeout: 10_000 }).toBe('closed');
    expect((await current()).totalVotes).toBe(0);
  });

  it('closes a question whose time ran out while the server was down, as it comes back', async () => {
    const question = await create({ text: 'Still there?', options: ['Yes', 'No'], activate: true, timeLimitSec: 5 });
    expect(question.closesAt).toBeDefined();
    await t.restart(() => sleep(5_500));
    const after = await current();
    expect(after).toMatchObject({ id: question.id, status: 'closed' });
    expect(after.closesAt).toBeUndefined();
  });

  it('lets the organizer start and stop a countdown on the live question, from the API or the presenter', async () => {
    admin = asUser(t.app, await adminToken(t.app));
    const question = await create({ text: 'Timed by hand?', options: ['Yes', 'No'], activate: true });
    expect(question.closesAt).toBeUndefined();
    const started = await admin({
      method: 'POST',
      url: `/api/admin/questions/${question.id}/timer`,
      payload: { seconds: 600 },
    });
    expect(started.statusCode).toBe(200);
    expect(started.json().question.closesInMs).toBeGreaterThan(595_000);
    const stopped = await admin({ method: 'DELETE', url: `/api/admin/questions/${question.id}/timer` });
    expect(stopped.json().question).toMatchObject({ status: 'live' });
    expect(stopped.json().question.closesAt).toBeUndefined();

    for (const seconds of [4, 3601, 1.5, '30']) {
      const refused = await admin({
        method: 'POST',
        url: `/api/admin/questions/${question.id}/timer`,
        payload: { seconds },
      });
      expect(refused.statusCode).toBe(422);
    }

    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const present = await t.app.inject({ url: `/p/${code}/present`, headers: { cookie } });
    expect(present.body).toContain('Start the countdown');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(present.body)?.[1] ?? '';
    const badLength = await postForm(t.app, `/p/${code}/control/timer`, { _csrf: csrf, seconds: '2' }, cookie);
    expect(badLength.statusCode).toBe(422);
    expect(badLength.body).toContain('A countdown lasts 5 to 3600 seconds.');
    const timed = await postForm(t.app, `/p/${code}/control/timer`, { _csrf: csrf, seconds: '120' }, cookie);
    expect(timed.statusCode).toBe(303);
    const counting = await t.app.inject({ url: `/p/${code}/present`, headers: { cookie } });
    expect(counting.body).toMatch(/Voting closes in <span class="countdown-time" role="timer">(2:00|1:59)<\/span>/);
    expect(counting.body).toContain('Stop the countdown');
    const phone = await t.app.inject({ url: `/p/${code}` });
    expect(phone.body).toContain('Voting closes in');

    await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/close` });
    const closed = await admin({
      method: 'POST',
      url: `/api/admin/questions/${question.id}/timer`,
      payload: { seconds: 30 },
    });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('question_not_live');
  });

  it('keeps a time limit through edits, and drops it on null', async () => {
    const question = await create({ text: 'Limited?', options: ['Yes', 'No'], timeLimitSec: 45 });
    const edited = await admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { timeLimitSec: 90 },
    });
    expect(edited.json().question.timeLimitSec).toBe(90);
    const dropped = await admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { timeLimitSec: null },
    });
    expect(dropped.json().question.timeLimitSec).toBeUndefined();
    const tooShort = await admin({
      method: 'PATCH',
      url: `/api/admin/questions/${question.id}`,
      payload: { timeLimitSec: 2 },
    });
    expect(tooShort.statusCode).toBe(422);
  });
});
