import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {} from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { PollRow } from '../db/database.js';
import { AppError } from '../errors.js';
import type { LiveConnections } from '../realtime/live-connections.js';
import { HEARTBEAT_FRAME, HEARTBEAT_WITH_PING, LiveFrame } from '../realtime/live-frame.js';
import type { LiveMessage } from '../realtime/messages.js';
import type { Viewer, ViewerHub } from '../realtime/viewer-hub.js';
import { CodeParams } from './schemas.js';
import { currentQuestionOf, type PollDeps, requirePoll } from './service.js';
import { voterIdOf } from './voter.js';

// A viewer whose unsent data passes this has stopped reading: it is dropped and will resync
// from a snapshot when it reconnects, instead of growing the server's memory.
const MAX_BUFFERED_BYTES = 256 * 1024;
const CLOSE_HANDSHAKE_MS = 1000;
// A refused viewer's page retries with its own backoff; Retry-After suggests a pause to other clients.
const REFUSED_RETRY_AFTER_SECONDS = 10;

/** The poll's current question as it is stored now. */
async function snapshotOf(deps: PollDeps, pollCode: string): Promise<LiveFrame> {
  const poll = await requirePoll(deps.db, pollCode);
  const question = await currentQuestionOf(deps.db, poll);
  const leaderboard = poll.show_leaderboard === 1;
  return new LiveFrame(JSON.stringify({ type: 'snapshot', pollCode, question, leaderboard } satisfies LiveMessage));
}

/** How many voters have the poll open now. */
export const audienceFrame = (pollCode: string, joined: number) =>
  new LiveFrame(JSON.stringify({ type: 'audience', pollCode, joined } satisfies LiveMessage));

/**
 * Adds a viewer to its poll and sends the snapshot (the poll's current question) first, then how
 * many voters are here. Messages published while the snapshot is being read are held back and
 * sent after it, so none is lost; the client drops any that the snapshot already covers by their
 * version. A voter's connection (`voterId`) counts them as here until it ends. Returns how to leave.
 */
async function openFeed(
  deps: PollDeps,
  hub: ViewerHub,
  poll: PollRow,
  viewer: Viewer,
  voterId: string | null,
): Promise<() => void> {
  let held: LiveFrame[] | null = [];
  const leave = await hub.join(poll.code, {
    send: (frame) => (held ? held.push(frame) : viewer.send(frame)),
    heartbeat: () => viewer.heartbeat(),
    close: () => viewer.close(),
  });
  try {
    // Read after joining, not from the row loaded at the handshake: a question that went live
    // in between is then in the snapshot or in a held message.
    viewer.send(await snapshotOf(deps, poll.code));
  } catch (error) {
    leave();
    throw error;
  }
  for (const frame of held) viewer.send(frame);
  held = null;
  const exit = deps.audience.enter(poll.code, voterId);
  viewer.send(audienceFrame(poll.code, deps.audience.joined(poll.code)));
  return () => {
    leave();
    exit();
  };
}

/** The voter behind a connection opened by a voting page (`?as=voter`); screens are not counted. */
const voterOf = (request: FastifyRequest) =>
  (request.query as { as?: string }).as === 'voter' ? (voterIdOf(request) ?? null) : null;
const FeedQuery = Type.Object({
  as: Type.Optional(
    Type.Literal('voter', { description: 'opened by a voting page: the voter is counted as here while it lasts' }),
  ),
});

declare module 'fastify' {
  interface FastifyRequest {
    poll: PollRow | null;
  }
}

/** The two live transports over one subscription: WebSocket and Server-Sent Events. */
export default async function liveRoutes(
  app: FastifyInstance,
  { deps, hub, connections }: { deps: PollDeps; hub: ViewerHub; connections: LiveConnections },
) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  app.decorateRequest('poll', null);

  // Messages from other instances were lost (Redis was away): this instance's viewers of the poll are
  // sent its stored state, which they take at any time, without reconnecting.
  app.broadcaster.onResync?.((pollCode) => {
    hub
      .resync(pollCode, () => snapshotOf(deps, pollCode))
      .catch((error: unknown) => app.log.warn({ err: error, pollCode }, 'live viewers could not be resynced'));
  });

  // Runs before the upgrade, so an unknown poll or a page of another site gets a plain 4xx
  // instead of a socket: no other site's page can hold its visitors' live connections here.
  const loadPoll = async (request: FastifyRequest<{ Params: { code: string } }>) => {
    app.requireSameSite(request);
    request.poll = await requirePoll(deps.db, request.params.code);
  };

  // Before the stream starts or the socket is upgraded, so a refusal is a plain 429 or 503. The place
  // is given back when the connection ends, however it ends: closed by either side, dropped, or an
  // upgrade that failed. An upgraded request's response never ends; its socket does.
  const admitViewer = async (request: FastifyRequest, reply: FastifyReply) => {
    const admission = connections.admit(request.ip);
    if (admission.admitted) {
      (request.ws ? request.raw.socket : reply.raw).once('close', admission.release);
      // A client that left while the poll was being looked up has closed already.
      if (request.raw.socket.destroyed) admission.release();
      return;
    }
    app.metrics.liveConnectionRefused(admission.full);
    const retryAfterSeconds = REFUSED_RETRY_AFTER_SECONDS;
    // One address at its cap is asked to slow down; a full instance is busy for everyone, which
    // tells a load balancer to try another instance.
    throw admission.full === 'address'
      ? new AppError('rate_limited', 'audience.live.tooManyConnections', {}, { retryAfterSeconds })
      : new AppError('server_busy', 'audience.live.serverFull', {}, { retryAfterSeconds });
  };

  api.get(
    '/api/polls/:code/events',
    {
      schema: {
        tags: ['voting'],
        description: 'Server-Sent Events: snapshot, results, question, audience, heartbeat',
        params: CodeParams,
        querystring: FeedQuery,
      },
      preValidation: loadPoll,
      preHandler: admitViewer,
    },
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
      const send = (frame: LiveFrame) => {
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
        // A fan-out in progress may still reach a stream that ended: nothing more may be written.
        else if (!res.writableEnded) res.write(frame.eventStream);
      };
      const viewer: Viewer = { send, heartbeat: () => send(HEARTBEAT_FRAME), close: () => res.end() };
      let leave: (() => void) | undefined;
      app.metrics.liveConnectionOpened('sse');
      res.on('close', () => {
        app.metrics.liveConnectionClosed('sse');
        leave?.();
      });
      try {
        leave = await openFeed(deps, hub, poll, viewer, voterOf(request));
        if (res.destroyed) leave();
      } catch (error) {
        request.log.warn({ err: error }, 'live feed failed to open');
        res.destroy();
      }
    },
  );

  api.get(
    '/api/polls/:code/ws',
    {
      schema: {
        tags: ['voting'],
        description: 'WebSocket: the live messages as JSON text frames',
        params: CodeParams,
        querystring: FeedQuery,
      },
      preValidation: loadPoll,
      preHandler: admitViewer,
      websocket: true,
    },
    (socket, request) => {
      const poll = request.poll as PollRow;
      // Frames are encoded once per message and written to the connection as they are, not framed
      // again for every socket (there is no compression to negotiate: it is off).
      const connection = request.raw.socket;
      const write = (bytes: Buffer) => {
        if (connection.writableLength > MAX_BUFFERED_BYTES) socket.terminate();
        // Nothing may follow the closing frame.
        else if (socket.readyState === socket.OPEN) connection.write(bytes);
      };
      let alive = true;
      let leave: (() => void) | undefined;
      const viewer: Viewer = {
        send: (frame) => write(frame.webSocket),
        // A socket that did not answer the previous ping is dead: drop it.
        heartbeat() {
          if (!alive) return void socket.terminate();
          alive = false;
          write(HEARTBEAT_WITH_PING);
        },
        // Going away (1001) tells the client to reconnect, with backoff, to the next instance.
        // A client that does not finish the closing handshake is cut off soon after.
        close: () => {
          socket.close(1001, 'Server is restarting');
          setTimeout(() => socket.terminate(), CLOSE_HANDSHAKE_MS).unref();
        },
      };
      // Listeners are attached before any await, so no event is missed.
      socket.on('pong', () => {
        alive = true;
      });
      app.metrics.liveConnectionOpened('websocket');
      socket.on('close', () => {
        app.metrics.liveConnectionClosed('websocket');
        leave?.();
      });
      openFeed(deps, hub, poll, viewer, voterOf(request)).then(
        (opened) => {
          leave = opened;
          if (socket.readyState !== socket.OPEN) opened();
        },
        (error: unknown) => {
          request.log.warn({ err: error }, 'live feed failed to open');
          socket.close(1011, 'Try again');
        },
      );
    },
  );
}
