import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsMessage } from '../../src/realtime/messages.js';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  multipart,
  storedRows,
  type TestApp,
  voteAs,
  voterCookie,
} from '../helpers.js';
import { openEventStream, openWebSocket } from '../live-clients.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

// Short, so that the test does not wait minutes; the defaults are in the README.
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 1500;
const DRIP_EVERY_MS = 100;

interface SlowRequest {
  /** Everything the server sent before the connection closed. */
  answer: Promise<string>;
}

/**
 * A slow-loris client: sends the start of a request at once, then one more byte of it at a time,
 * never the whole, until the server closes the connection.
 */
function dripRequest(base: string, head: string, rest: Buffer): SlowRequest {
  const { port } = new URL(base);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  let sent = 0;
  socket.on('data', (chunk) => {
    received += chunk;
  });
  socket.on('error', () => {});
  socket.write(head);
  const drip = setInterval(() => {
    // One byte short of the whole: the request never completes on its own.
    if (sent < rest.length - 1 && socket.writable) socket.write(rest.subarray(sent, ++sent));
  }, DRIP_EVERY_MS);
  const answer = new Promise<string>((resolve) =>
    socket.on('close', () => {
      clearInterval(drip);
      resolve(received);
    }),
  );
  return { answer };
}

/** The status and error code of a raw HTTP answer. */
function parse(answer: string) {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  return { status, code: JSON.parse(body).error.code as string };
}

const post = (path: string, headers: Record<string, string>, body: Buffer) => ({
  head: `POST ${path} HTTP/1.1\r\nHost: localhost\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}Content-Length: ${body.length}\r\n\r\n`,
  body,
});

describe('clients that send their requests too slowly', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  let question: Awaited<ReturnType<typeof createLiveQuestion>>;
  const warnings: string[] = [];

  beforeAll(async () => {
    t = await buildTestApp(
      sqlite,
      {
        HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
      },
      { logger: { stream: { write: (line: string) => void warnings.push(line) } } },
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    token = await adminToken(t.app);
    question = await createLiveQuestion(t.app, token);
  });
  afterAll(() => t?.close());

  const slowBodies = () => {
    const upload = multipart({ question_image: Buffer.alloc(4096, 1), options_image: Buffer.alloc(4096, 2) });
    return {
      'a JSON vote': post(
        '/api/polls/default/votes',
        { 'content-type': 'application/json', cookie: voterCookie('slow-json') },
        Buffer.from(JSON.stringify({ questionId: question.id, optionId: question.options[0]?.id })),
      ),
      'a vote form': post(
        '/vote',
        { 'content-type': 'application/x-www-form-urlencoded', cookie: voterCookie('slow-form') },
        Buffer.from(`questionId=${question.id}&optionId=${question.options[0]?.id}`),
      ),
      'an image upload': post(
        '/api/admin/polls/default/questions/from-images',
        { ...upload.headers, authorization: `Bearer ${token}` },
        upload.payload,
      ),
    };
  };

  it('cuts off a body sent one byte at a time with 408, storing nothing', async () => {
    const before = await storedRows(t.app);
    const requests = Object.entries(slowBodies()).map(([name, { head, body }]) => ({
      name,
      ...dripRequest(base, head, body),
    }));
    for (const { name, answer } of requests) {
      expect({ name, ...parse(await answer) }).toEqual({ name, status: 408, code: 'request_timeout' });
    }
    expect(await storedRows(t.app)).toEqual(before);
    // A body its client never finished is the client's doing, not an outage to report.
    expect(warnings).toEqual([]);
    // The server goes on serving.
    expect((await voteAs(t.app, 'after-slow', question.id, question.options[0]?.id)).statusCode).toBe(201);
  });

  it('cuts off headers sent one line at a time with 408', async () => {
    const lines = Buffer.from(Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: ${i}\r\n`).join(''));
    const { answer } = dripRequest(base, 'GET /vote HTTP/1.1\r\nHost: localhost\r\n', lines);
    expect(parse(await answer)).toEqual({ status: 408, code: 'request_timeout' });
  });

  it('leaves SSE streams and WebSockets open past the timeout: they are not requests still arriving', async () => {
    const ws = await openWebSocket(base, 'default');
    const sse = await openEventStream(base, 'default');
    try {
      await Promise.all([ws.inbox.next((m) => m.type === 'snapshot'), sse.inbox.next((m) => m.type === 'snapshot')]);
      // The clock: a slow request started after the streams opened, and cut off by the timeout.
      const { head, body } = slowBodies()['a JSON vote'];
      expect(parse(await dripRequest(base, head, body).answer).status).toBe(408);

      const response = await voteAs(t.app, 'outlived', question.id, question.options[1]?.id);
      expect(response.statusCode).toBe(201);
      const total = response.json().question.totalVotes as number;
      for (const client of [ws, sse]) {
        const results = await client.inbox.next((m) => m.type === 'results' && m.totalVotes === total);
        expect((results as ResultsMessage).totalVotes).toBe(total);
      }
      expect(ws.socket.readyState).toBe(ws.socket.OPEN);
    } finally {
      ws.close();
      sse.close();
    }
  });
});
