import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsMessage } from '../../src/realtime/messages.js';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  metricsText,
  type TestApp,
  voteAs,
} from '../helpers.js';
import { openWebSocket } from '../live-clients.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const resultsWithTotal = (total: number) => (m: { type: string }) =>
  m.type === 'results' && (m as ResultsMessage).totalVotes === total;

describe('what a viewer sends over its WebSocket', () => {
  let t: TestApp;
  let base: string;
  let question: Awaited<ReturnType<typeof createLiveQuestion>>;
  let votes = 0;

  beforeAll(async () => {
    t = await buildTestApp(sqlite);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    question = await createLiveQuestion(t.app, await adminToken(t.app));
  });
  afterAll(() => t?.close());

  /** One more vote; every open viewer must see the new total. */
  const castOne = async () => {
    votes += 1;
    const response = await voteAs(t.app, `frames-${votes}`, question.id, question.options[0]?.id);
    expect(response.statusCode).toBe(201);
    return votes;
  };

  it('ignores garbage, binary and floods: the socket stays open and keeps its updates', async () => {
    const hostile = await openWebSocket(base, 'default');
    const bystander = await openWebSocket(base, 'default');
    try {
      hostile.socket.send('{"type":"vote","questionId":1,"optionId":1}');
      hostile.socket.send('not json at all {{{');
      hostile.socket.send(Buffer.from([0x00, 0xff, 0x13, 0x37]), { binary: true });
      for (let i = 0; i < 500; i++) hostile.socket.send(`flood ${i}`);
      const total = await castOne();
      for (const viewer of [hostile, bystander]) await viewer.inbox.next(resultsWithTotal(total));
      expect(hostile.socket.readyState).toBe(hostile.socket.OPEN);
      // A frame is never taken for a vote.
      const stored = await t.app.db.selectFrom('votes').select('voter_id').execute();
      expect(stored).toHaveLength(total);
    } finally {
      hostile.close();
      bystander.close();
    }
  });

  it('closes a socket that sends an oversized frame (1009), and only that one', async () => {
    const hostile = await openWebSocket(base, 'default');
    const bystander = await openWebSocket(base, 'default');
    try {
      hostile.socket.send('x'.repeat(64 * 1024));
      expect((await hostile.closed).code).toBe(1009);
      const total = await castOne();
      await bystander.inbox.next(resultsWithTotal(total));
      expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
    } finally {
      bystander.close();
    }
  });

  it('closes a socket that sends text that is not UTF-8 (1007)', async () => {
    const hostile = await openWebSocket(base, 'default');
    hostile.socket.send(Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), { binary: false });
    expect((await hostile.closed).code).toBe(1007);
  });

  it('counts every socket it closed as gone, and keeps serving new viewers', async () => {
    await expect.poll(async () => metricsText(t.app)).toContain('pollcast_live_connections{transport="websocket"} 0');
    const late = await openWebSocket(base, 'default');
    try {
      const snapshot = await late.inbox.next((m) => m.type === 'snapshot');
      expect(snapshot).toMatchObject({ question: { id: question.id, totalVotes: votes } });
    } finally {
      late.close();
    }
  });
});
