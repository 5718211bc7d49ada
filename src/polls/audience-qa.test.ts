import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  asUser,
  buildTestApp,
  dialects,
  organizerToken,
  postForm,
  signInCookie,
  storedRows,
  type TestApp,
  voterCookie,
} from '../../test/helpers.js';
import { openEventStream, openWebSocket } from '../../test/live-clients.js';
import type { LiveMessage, QaMessage } from '../realtime/messages.js';

const isQa = (message: LiveMessage): message is QaMessage => message.type === 'qa';

describe.each(dialects)('audience Q&A on $name', (dialect) => {
  let t: TestApp;
  let admin: ReturnType<typeof asUser>;
  let base = '';
  let code = '';

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    admin = asUser(t.app, await adminToken(t.app));
    code = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Town hall' } })).json().code;
  });
  afterAll(() => t?.close());

  const ask = (voter: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/polls/${code}/qa`, headers: { cookie: voterCookie(voter) }, payload });
  const upvote = (voter: string, id: number, method: 'POST' | 'DELETE' = 'POST') =>
    t.app.inject({ method, url: `/api/polls/${code}/qa/${id}/upvote`, headers: { cookie: voterCookie(voter) } });
  const listed = async (sort = 'votes', voter = 'nobody') =>
    (await t.app.inject({ url: `/api/polls/${code}/qa?sort=${sort}`, headers: { cookie: voterCookie(voter) } })).json();
  const settings = (payload: object) => admin({ method: 'PATCH', url: `/api/admin/polls/${code}/qa`, payload });
  const moderate = (id: number, action: string) =>
    admin({ method: 'POST', url: `/api/admin/polls/${code}/qa/${id}/${action}` });

  it('takes no question until the organizer opens the Q&A', async () => {
    const before = await storedRows(t.app);
    const closed = await ask('ana', { text: 'Is this on?' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error).toEqual({
      code: 'qa_closed',
      message: 'This poll takes no questions from the audience right now.',
    });
    expect(await storedRows(t.app)).toEqual(before);
    expect((await settings({ open: true })).json()).toEqual({ open: true, moderated: false, named: false });
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().qa).toEqual({
      open: true,
      moderated: false,
      named: false,
    });
  });

  it('shows questions at once without moderation, counts one upvote per voter, and sorts by upvotes or newest', async () => {
    const socket = await openWebSocket(base, code);
    const stream = await openEventStream(base, code);
    try {
      const first = (await ask('ana', { text: '  Why   Tuesdays? ' })).json();
      expect(first).toMatchObject({
        text: 'Why Tuesdays?',
        name: null,
        upvotes: 0,
        answered: false,
        status: 'approved',
      });
      const second = (await ask('bob', { text: 'Will slides be shared?' })).json();
      for (const inbox of [socket.inbox, stream.inbox]) {
        const message = await inbox.next((m) => isQa(m) && m.items.some((item) => item.id === second.id));
        expect(message).toMatchObject({ pollCode: code, removed: [], pending: 0 });
      }

      // Three phones upvote the first, one of them twice; one takes it back.
      for (const voter of ['bob', 'cid', 'dee', 'dee']) expect((await upvote(voter, first.id)).statusCode).toBe(200);
      expect((await upvote('cid', first.id, 'DELETE')).json()).toMatchObject({ upvotes: 2, upvoted: false });
      expect((await upvote('cid', first.id, 'DELETE')).json()).toMatchObject({ upvotes: 2, upvoted: false });
      expect((await upvote('eve', second.id)).json()).toMatchObject({ upvotes: 1, upvoted: true });

      const byVotes = await listed('votes', 'dee');
      expect(byVotes.items.map((item: { id: number; upvotes: number }) => [item.id, item.upvotes])).toEqual([
        [first.id, 2],
        [second.id, 1],
      ]);
      expect(byVotes.upvoted).toEqual([first.id]);
      expect((await listed('newest')).items.map((item: { id: number }) => item.id)).toEqual([second.id, first.id]);

      // The screens heard the latest counts, coalesced.
      await expect
        .poll(
          () =>
            socket.inbox.messages
              .filter(isQa)
              .flatMap((m) => m.items)
              .filter((item) => item.id === first.id)
              .at(-1)?.upvotes,
        )
        .toBe(2);
    } finally {
      socket.close();
      stream.close();
    }
  });

  it('with moderation on, shows nothing until approved; dismissing takes a question away', async () => {
    await settings({ moderated: true, named: true });
    const socket = await openWebSocket(base, code);
    try {
      const waiting = (await ask('fay', { text: 'Who decides the budget?', name: 'Fay' })).json();
      expect(waiting).toMatchObject({ status: 'pending', name: 'Fay' });
      expect((await listed()).items.map((item: { id: number }) => item.id)).not.toContain(waiting.id);
      const told = await socket.inbox.next((m) => isQa(m) && m.removed.includes(waiting.id));
      // The audience learns only that one waits, never its text.
      expect(JSON.stringify(told)).not.toContain('budget');
      expect(told).toMatchObject({ pending: 1 });
      expect((await upvote('ana', waiting.id)).statusCode).toBe(404);

      expect((await moderate(waiting.id, 'approve')).json()).toMatchObject({ status: 'approved' });
      await socket.inbox.next((m) => isQa(m) && m.items.some((item) => item.id === waiting.id));
      expect((await listed()).items.map((item: { id: number }) => item.id)).toContain(waiting.id);

      await moderate(waiting.id, 'answered');
      await moderate(waiting.id, 'highlight');
      const shown = (await listed()).items.find((item: { id: number }) => item.id === waiting.id);
      expect(shown).toMatchObject({ answered: true, highlighted: true });
      const presenter = await t.app.inject({ url: `/p/${code}/present` });
      expect(presenter.body).toContain('Who decides the budget?');

      await moderate(waiting.id, 'dismiss');
      await socket.inbox.next((m) => isQa(m) && m.removed.includes(waiting.id) && m.highlighted === null);
      expect((await listed()).items.map((item: { id: number }) => item.id)).not.toContain(waiting.id);
      expect((await t.app.inject({ url: `/p/${code}/present` })).body).not.toContain('Who decides the budget?');
    } finally {
      socket.close();
    }
  });

  it('refuses bad questions clearly and stores nothing', async () => {
    const before = await storedRows(t.app);
    for (const [payload, message] of [
      [{ text: '' }, 'Write your question first.'],
      [{ text: '\u202e\u0000' }, 'Write your question first.'],
      [{ text: 'x'.repeat(281) }, 'A question is at most 280 characters.'],
      [{ text: 'Fine?', name: 'n'.repeat(41) }, 'A name is at most 40 characters.'],
    ] as const) {
      const refused = await ask('gus', payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(422);
      expect(refused.json().error.message).toBe(message);
    }
    expect(await storedRows(t.app)).toEqual(before);
    await settings({ named: false });
    const anonymous = await storedRows(t.app);
    expect((await ask('gus', { text: 'Fine?', name: 'Gus' })).json().error.message).toBe(
      'Questions here are anonymous: leave the name out.',
    );
    expect(await storedRows(t.app)).toEqual(anonymous);
  });

  it('holds profanity for the organizer where the poll filters it', async () => {
    await settings({ moderated: false });
    await admin({ method: 'PATCH', url: `/api/admin/polls/${code}`, payload: { profanityFilter: true } });
    expect((await ask('hal', { text: 'What the fuck is the plan?' })).json().status).toBe('pending');
    expect((await ask('hal', { text: 'What is the plan?' })).json().status).toBe('approved');
  });

  it('works without JavaScript: ask, upvote and take it back from the voting page', async () => {
    const asked = await postForm(t.app, `/p/${code}/qa`, { text: 'Is lunch provided?' }, voterCookie('ivy'));
    expect(asked.statusCode).toBe(303);
    const page = await t.app.inject({ url: `/p/${code}`, headers: { cookie: voterCookie('jo') } });
    const id = Number(/data-qa-id="(\d+)"[^>]*>\s*<p class="qa-text"[^>]*>Is lunch provided\?/.exec(page.body)?.[1]);
    expect(id).toBeGreaterThan(0);
    expect((await postForm(t.app, `/p/${code}/qa/${id}/upvote`, {}, voterCookie('jo'))).statusCode).toBe(303);
    expect((await listed('votes', 'jo')).upvoted).toContain(id);
    await postForm(t.app, `/p/${code}/qa/${id}/upvote`, {}, voterCookie('jo'));
    expect((await listed('votes', 'jo')).upvoted).not.toContain(id);

    const refused = await postForm(t.app, `/p/${code}/qa`, { text: 'x'.repeat(281) }, voterCookie('ivy'));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('A question is at most 280 characters.');
  });

  it('exports every question as CSV, and only the organizer moderates', async () => {
    const csv = await admin({ url: `/api/admin/polls/${code}/qa.csv` });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('"Why Tuesdays?"');
    expect(csv.body).toContain('"Who decides the budget?"');
    expect(csv.body.split('\r\n')[4]).toBe('"id","question","name","upvotes","status","answered","asked_at"');

    // The Q&A page's link serves its manager (a signed-in organizer, or a quick poll's creator).
    const session = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const page = await t.app.inject({ url: `/p/${code}/qa.csv`, headers: { cookie: session } });
    const undated = (body: string) => body.replace(/"exported_at","[^"]*"/, '');
    expect(undated(page.body)).toBe(undated(csv.body));
    expect((await t.app.inject({ url: `/p/${code}/qa.csv` })).statusCode).toBe(303);

    const other = asUser(t.app, await organizerToken(t.app, 'someone'));
    const items = (await listed()).items;
    const refused = await other({ method: 'POST', url: `/api/admin/polls/${code}/qa/${items[0].id}/dismiss` });
    expect(refused.statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'PATCH', url: `/api/admin/polls/${code}/qa`, payload: { open: false } }))
        .statusCode,
    ).toBe(401);
  });
});
