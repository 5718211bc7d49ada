import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { PollRow } from '../db/database.js';
import type { Broadcaster } from '../realtime/broadcaster.js';
import { HEARTBEAT_INTERVAL_MS, type LiveMessage } from '../realtime/messages.js';
import { CodeParams } from './schemas.js';
import { liveQuestionOf, type PollDeps, requirePoll } from './service.js';

// A viewer whose unsent data passes this has stopped reading: it is dropped and will resync
// from a snapshot when it reconnects, instead of growing the server's memory.
const MAX_BUFFERED_BYTES = 256 * 1024;
// Every live message is serialized with `type` first; the SSE event name is read from there.
const MESSAGE_TYPE = /^\{"type":"(\w+)"/;

const HEARTBEAT = JSON.stringify({ type: 'heartbeat' } satisfies LiveMessage);

interface Feed {
  close(): void;
}

/**
 * Subscribes a viewer to a poll and sends the snapshot first. Messages published while the
 * snapshot is being read are held back and sent after it, so none is lost; the client drops
 * any that the snapshot already covers by their version.
 */
async function openFeed(
  deps: PollDeps,
  broadcaster: Broadcaster,
  poll: PollRow,
  send: (payload: string) => void,
): Promise<Feed> {
  let held: string[] | null = [];
  const unsubscribe = broadcaster.subscribe(poll.code, (payload) => {
    if (held) held.push(payload);
    else send(payload);
  });
  try {
    const question = await liveQuestionOf(deps.db, poll);
    send(JSON.stringify({ type: 'snapshot', pollCode: poll.code, question } satisfies LiveMessage));
  } catch (error) {
    unsubscribe();
    throw error;
  }
  for (const payload of held) send(payload);
  held = null;
  const heartbeat = setInterval(() => send(HEARTBEAT), HEARTBEAT_INTERVAL_MS);
  return {
    close() {
      clearInterval(heartbeat);
      unsubscribe();
    },
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    poll: PollRow | null;
  }
}

/** The two live transports over one subscription: WebSocket and Server-Sent Events. */
export default async function liveRoutes(app: FastifyInstance, { deps }: { deps: PollDeps }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('poll', null);
  // Event streams are plain responses: they are ended here so that the server can close.
  const streams = new Set<{ end(): void }>();
  app.addHook('preClose', () => {
    for (const stream of streams) stream.end();
  });

  // Runs before the upgrade, so an unknown poll gets a plain 404 instead of a socket.
  const loadPoll = async (request: { params: { code: string }; poll: PollRow | null }) => {
    request.poll = await requirePoll(deps.db, request.params.code);
  };

  api.get(
    '/api/polls/:code/events',
    { schema: { params: CodeParams }, preValidation: loadPoll },
    async (request, reply) => {
      const poll = request.poll as PollRow;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Stops reverse proxies (nginx) from buffering the stream.
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const send = (payload: string) => {
        if (res.writableLength > MAX_BUFFERED_BYTES) return void res.destroy();
        const type = MESSAGE_TYPE.exec(payload)?.[1] ?? 'message';
        res.write(`event: ${type}\ndata: ${payload}\n\n`);
      };
      let feed: Feed | undefined;
      streams.add(res);
      res.on('close', () => {
        streams.delete(res);
        feed?.close();
      });
      try {
        feed = await openFeed(deps, app.broadcaster, poll, send);
        if (res.destroyed) feed.close();
      } catch (error) {
        request.log.warn({ err: error }, 'live feed failed to open');
        res.destroy();
      }
    },
  );

  api.get(
    '/api/polls/:code/ws',
    { schema: { params: CodeParams }, preValidation: loadPoll, websocket: true },
    (socket, request) => {
      const poll = request.poll as PollRow;
      let alive = true;
      let feed: Feed | undefined;
      const send = (payload: string) => {
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return void socket.terminate();
        socket.send(payload);
      };
      // Listeners are attached before any await, so no event is missed.
      socket.on('pong', () => {
        alive = true;
      });
      const ping = setInterval(() => {
        if (!alive) return void socket.terminate();
        alive = false;
        socket.ping();
      }, HEARTBEAT_INTERVAL_MS);
      socket.on('close', () => {
        clearInterval(ping);
        feed?.close();
      });
      openFeed(deps, app.broadcaster, poll, send).then(
        (opened) => {
          feed = opened;
          if (socket.readyState !== socket.OPEN) opened.close();
        },
        (error: unknown) => {
          request.log.warn({ err: error }, 'live feed failed to open');
          socket.close(1011, 'Try again');
        },
      );
    },
  );
}
