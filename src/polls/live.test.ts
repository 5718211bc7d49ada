import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  type OptionsResults,
  type TestApp,
  voterCookie,
} from '../../test/helpers.js';
import { openEventStream, openWebSocket } from '../../test/live-clients.js';
import type { QuestionMessage, ResultsMessage, SnapshotMessage } from '../realtime/messages.js';

const isSnapshot = (m: { type: string }): m is SnapshotMessage => m.type === 'snapshot';
const isQuestion = (m: { type: string }): m is QuestionMessage => m.type === 'question';
const resultsWithTotal = (total: number) => (m: { type: string }) =>
  m.type === 'results' && (m as ResultsMessage).totalVotes === total;

describe.each(dialects)('live results over WebSocket and SSE on $name', (dialect) => {
  let t: TestApp;
  let base: string;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    token = await adminToken(t.app);
  });
  afterAll(() => t?.close());

  const vote = (voter: string, questionId: number, optionId: number) =>
    fetch(`${base}/api/polls/default/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: voterCookie(voter) },
      body: JSON.stringify({ questionId, optionId }),
    });

  it('sends a snapshot first, then results as votes arrive, to both transports alike', async () => {
    const question = await createLiveQuestion(t.app, token);
    const ws = await openWebSocket(base, 'default');
    const sse = await openEventStream(base, 'default');
    try {
      expect(sse.response.headers.get('content-type')).toContain('text/event-stream');
      for (const client of [ws, sse]) {
        const snapshot = await client.inbox.next(isSnapshot);
        expect(snapshot.question?.id).toBe(question.id);
        expect(snapshot.question?.totalVotes).toBe(0);
      }
      const optionId = question.options[2]?.id ?? 0;
      expect((await vote('live-1', question.id, optionId)).status).toBe(201);
      for (const client of [ws, sse]) {
        const results = (await client.inbox.next(resultsWithTotal(1))) as OptionsResults;
        expect(results).toMatchObject({ pollCode: 'default', questionId: question.id, totalVotes: 1 });
        expect(results.options.find((o) => o.id === optionId)?.votes).toBe(1);
        expect(results.version).toBeGreaterThan(question.version);
      }
      // How many voters are here comes right after the snapshot.
      expect(sse.names.slice(0, 3)).toEqual(['snapshot', 'audience', 'results']);
    } finally {
      ws.close();
      sse.close();
    }
  });

  it('tells viewers about the next live question and about edits', async () => {
    await createLiveQuestion(t.app, token);
    const ws = await openWebSocket(base, 'DEFAULT');
    const sse = await openEventStream(base, 'default');
    try {
      await Promise.all([ws.inbox.next(isSnapshot), sse.inbox.next(isSnapshot)]);
      const next = await createLiveQuestion(t.app, token, { text: 'Next question?', options: ['Yes', 'No'] });
      for (const client of [ws, sse]) {
        const message = await client.inbox.next(isQuestion);
        expect(message.question).toMatchObject({ id: next.id, text: 'Next question?', status: 'live' });
        client.inbox.clear();
      }
      await t.app.inject({
        method: 'PATCH',
        url: `/api/admin/questions/${next.id}`,
        headers: { authorization: `Bearer ${token}` },
        payload: { text: 'Next question, corrected?' },
      });
      for (const client of [ws, sse]) {
        const message = await client.inbox.next(isQuestion);
        expect(message.question?.text).toBe('Next question, corrected?');
        expect(message.question?.version).toBeGreaterThan(next.version);
      }
    } finally {
      ws.close();
      sse.close();
    }
  });

  it('coalesces a burst of votes into a few broadcasts that end on the latest counts', async () => {
    const question = await createLiveQuestion(t.app, token);
    const ws = await openWebSocket(base, 'default');
    try {
      await ws.inbox.next(isSnapshot);
      const responses = await Promise.all(
        Array.from({ length: 60 }, (_, i) => vote(`burst-${i}`, question.id, question.options[i % 4]?.id ?? 0)),
      );
      expect(responses.every((r) => r.status === 201)).toBe(true);
      const last = (await ws.inbox.next(resultsWithTotal(60))) as OptionsResults;
      expect(last.options.map((o) => o.votes)).toEqual([15, 15, 15, 15]);
      const broadcasts = ws.inbox.messages.filter((m) => m.type === 'results') as OptionsResults[];
      expect(broadcasts.length).toBeLessThan(60);
      const versions = broadcasts.map((m) => m.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    } finally {
      ws.close();
    }
  });

  it('refuses to open a feed for an unknown poll', async () => {
    await expect(openWebSocket(base, 'ZZZZZZ')).rejects.toThrow('HTTP 404');
    const sse = await fetch(`${base}/api/polls/ZZZZZZ/events`);
    expect(sse.status).toBe(404);
    expect((await sse.json()).error.code).toBe('poll_not_found');
  });
});

describe('stopping the server', () => {
  it('sends the last counts, then closes live sockets with a going-away code', async () => {
    const [sqlite] = dialects;
    if (!sqlite) throw new Error('no dialect');
    const t = await buildTestApp(sqlite);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const question = await createLiveQuestion(t.app, await adminToken(t.app));
    const ws = await openWebSocket(base, 'default');
    const sse = await openEventStream(base, 'default');
    await Promise.all([ws.inbox.next(isSnapshot), sse.inbox.next(isSnapshot)]);
    // Two votes in a row: the second one's results wait in the coalescing window when the stop begins.
    for (const voter of ['last-1', 'last-2']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/polls/default/votes',
        headers: { cookie: voterCookie(voter) },
        payload: { questionId: question.id, optionId: question.options[0]?.id },
      });
      expect(response.statusCode).toBe(201);
    }
    await t.close();
    expect((await ws.closed).code).toBe(1001);
    await sse.reading;
    for (const client of [ws, sse]) {
      const results = client.inbox.messages.filter((m) => m.type === 'results') as OptionsResults[];
      expect(results.at(-1)?.totalVotes).toBe(2);
    }
  });
});
