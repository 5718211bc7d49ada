import type { IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { LiveMessage } from '../src/realtime/messages.js';
import type { OptionsQuestion } from './helpers.js';

/** Collects the live messages a client receives, and waits for the one a test expects. */
class Inbox {
  readonly messages: LiveMessage[] = [];
  private waiters: { test: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void }[] = [];

  push(message: LiveMessage) {
    this.messages.push(message);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.test(message)) return true;
      waiter.resolve(message);
      return false;
    });
  }

  next<T extends LiveMessage>(test: (m: LiveMessage) => m is T, timeoutMs?: number): Promise<T>;
  next(test: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage>;
  // Long enough for a busy machine, short of the test's own timeout so that this message is the one shown.
  next(test: (m: LiveMessage) => boolean, timeoutMs = 20_000): Promise<LiveMessage> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching live message in ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  clear() {
    this.messages.length = 0;
  }
}

const webSocketUrl = (baseUrl: string, code: string) => `${baseUrl.replace(/^http/, 'ws')}/api/polls/${code}/ws`;

/** A live connection as a voting page opens it: its voter is counted as here. */
export const AS_VOTER = '?as=voter';

export async function openWebSocket(baseUrl: string, code: string, headers: Record<string, string> = {}, query = '') {
  const inbox = new Inbox();
  const socket = new WebSocket(`${webSocketUrl(baseUrl, code)}${query}`, { headers });
  const closed = new Promise<{ code: number }>((resolve) => socket.on('close', (code) => resolve({ code })));
  socket.on('message', (data) => inbox.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return { inbox, socket, closed, close: () => socket.close() };
}

/** The plain HTTP answer to a WebSocket handshake that the server refuses; rejects if the socket opens. */
export function refusedWebSocket(baseUrl: string, code: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(webSocketUrl(baseUrl, code), { headers });
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    socket.once('open', () => {
      socket.close();
      reject(new Error('the WebSocket opened'));
    });
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    socket.once('error', () => {});
  });
}

/** A Server-Sent Events client over fetch: each event's name must equal its message type. */
export async function openEventStream(baseUrl: string, code: string, headers: Record<string, string> = {}, query = '') {
  const inbox = new Inbox();
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/polls/${code}/events${query}`, { signal: abort.signal, headers });
  const names: string[] = [];
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += decoder.decode(chunk.value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) {
            names.push(event);
            inbox.push(JSON.parse(data));
          }
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by the test, or the server went away
    }
  })();
  return { inbox, response, names, reading, close: () => abort.abort() };
}

/**
 * A screen that stays on the poll through lost connections, as the page script does: whenever
 * its connection ends (a server killed, a balancer that drops it) it opens a new one, and it
 * shows the counts of the highest version it received for a question, whatever the connection.
 */
export function followResults(baseUrl: string, code: string, transport: 'websocket' | 'sse') {
  const inboxes: Inbox[] = [];
  let following = true;
  let closeCurrent = () => {};
  const connect = async () => {
    if (transport === 'websocket') {
      const { inbox, closed, close } = await openWebSocket(baseUrl, code);
      return { inbox, ended: closed, close };
    }
    const { inbox, reading, close } = await openEventStream(baseUrl, code);
    return { inbox, ended: reading, close };
  };
  const running = (async () => {
    while (following) {
      try {
        const connection = await connect();
        inboxes.push(connection.inbox);
        closeCurrent = connection.close;
        if (following) await connection.ended;
        else connection.close();
      } catch {
        // refused or cut off before it opened: tried again below
      }
      // The page script backs off longer, with jitter; a short pause keeps the test brief.
      if (following) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    /** How many connections it has opened. */
    connections: () => inboxes.length,
    /** The question's votes per option id as shown now; undefined before its first message. */
    shown(questionId: number): Record<number, number> | undefined {
      let best: { version: number; options: { id: number; votes: number }[] } | undefined;
      for (const message of inboxes.flatMap((inbox) => inbox.messages)) {
        const seen =
          message.type === 'results' && message.questionId === questionId
            ? message
            : (message.type === 'snapshot' || message.type === 'question') && message.question?.id === questionId
              ? (message.question as OptionsQuestion | null)
              : undefined;
        if (seen && 'options' in seen && (!best || seen.version > best.version)) best = seen;
      }
      return best && Object.fromEntries(best.options.map((option) => [option.id, option.votes]));
    },
    async close() {
      following = false;
      closeCurrent();
      await running;
    },
  };
}
