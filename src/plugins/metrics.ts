import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { AppError } from '../errors.js';

/** What the rest of the code reports; the Prometheus types stay in this file. */
export interface Metrics {
  votesAccepted(count: number): void;
  voteRejected(reason: string, count?: number): void;
  liveConnectionOpened(transport: LiveTransport): void;
  liveConnectionClosed(transport: LiveTransport): void;
  /** A live connection refused because a cap on open connections was reached. */
  liveConnectionRefused(cap: 'address' | 'instance'): void;
  /** Seconds from the commit of votes to their counts being handed to this instance's viewers. */
  broadcastLatency(seconds: number): void;
  ocrCall(provider: string, outcome: string, seconds: number): void;
  /** Whether this instance reaches Redis now (reported only when REDIS_URL is set). */
  redisAvailable(available: boolean): void;
  /** An error no code caught, which the process logged and survived. */
  unexpectedError(kind: UnexpectedErrorKind): void;
}

export type UnexpectedErrorKind = 'uncaughtException' | 'unhandledRejection';

export type LiveTransport = 'websocket' | 'sse';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const sent = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  return timingSafeEqual(digest(sent), digest(token));
}

/**
 * `GET /metrics` in Prometheus text format, from a registry of this app's own (tests build many
 * apps), for whoever holds the token. Without a token it is not served at all: "only from this
 * machine" would mean "to everyone" behind a reverse proxy on the same machine.
 */
export default fp<{ token: string | undefined }>(
  async (app, { token }) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'pollcast_' });
    const votes = new Counter({
      name: 'pollcast_votes_total',
      help: 'Votes received, by outcome: accepted, or the error code that refused them.',
      labelNames: ['outcome'],
      registers: [registry],
    });
    const connections = new Gauge({
      name: 'pollcast_live_connections',
      help: 'Live result viewers connected to this instance, by transport.',
      labelNames: ['transport'],
      registers: [registry],
    });
    const broadcast = new Histogram({
      name: 'pollcast_broadcast_latency_seconds',
      help: 'From the commit of votes to their counts being sent to the viewers (includes the coalescing wait).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const ocr = new Histogram({
      name: 'pollcast_ocr_call_duration_seconds',
      help: 'OCR calls by provider and outcome (ok, or the error code); the _count is the number of calls.',
      labelNames: ['provider', 'outcome'],
      buckets: [0.5, 1, 2, 5, 10, 20, 30, 60],
      registers: [registry],
    });
    const refused = new Counter({
      name: 'pollcast_live_connections_refused_total',
      help: 'Live connections refused because a cap was reached: one address (429), or this instance (503).',
      labelNames: ['cap'],
      registers: [registry],
    });
    const unexpected = new Counter({
      name: 'pollcast_unexpected_errors_total',
      help: 'Errors no code caught (a throw in a library callback, a rejection nobody awaited), logged and survived.',
      labelNames: ['kind'],
      registers: [registry],
    });
    const redis = new Gauge({
      name: 'pollcast_redis_available',
      help: 'With REDIS_URL set: 1 while this instance reaches Redis, 0 while it serves its own viewers and limits alone.',
      registers: [registry],
    });
    const redisLosses = new Counter({
      name: 'pollcast_redis_losses_total',
      help: 'With REDIS_URL set: how many times this instance lost Redis after having reached it.',
      registers: [registry],
    });
    let redisWasAvailable = false;
    // Both transports are always listed, so a dashboard shows 0 rather than nothing.
    connections.set({ transport: 'websocket' }, 0);
    connections.set({ transport: 'sse' }, 0);
    votes.inc({ outcome: 'accepted' }, 0);
    refused.inc({ cap: 'address' }, 0);
    refused.inc({ cap: 'instance' }, 0);
    unexpected.inc({ kind: 'uncaughtException' }, 0);
    unexpected.inc({ kind: 'unhandledRejection' }, 0);

    app.decorate('metrics', {
      votesAccepted: (count) => votes.inc({ outcome: 'accepted' }, count),
      voteRejected: (reason, count = 1) => votes.inc({ outcome: reason }, count),
      liveConnectionOpened: (transport) => connections.inc({ transport }),
      liveConnectionClosed: (transport) => connections.dec({ transport }),
      liveConnectionRefused: (cap) => refused.inc({ cap }),
      broadcastLatency: (seconds) => broadcast.observe(seconds),
      ocrCall: (provider, outcome, seconds) => ocr.observe({ provider, outcome }, seconds),
      redisAvailable: (available) => {
        if (redisWasAvailable && !available) redisLosses.inc();
        redisWasAvailable = available;
        redis.set(available ? 1 : 0);
      },
      unexpectedError: (kind) => unexpected.inc({ kind }),
    } satisfies Metrics);

    if (!token) return;
    app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
      if (!bearerMatches(request, token)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('unauthorized', 'infra.metrics.tokenRequired', { header: 'Authorization: Bearer <token>' });
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics' },
);
