import zlib from 'node:zlib';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { LoginThrottle } from './accounts/login-throttle.js';
import { RedisLoginThrottle } from './accounts/redis-login-throttle.js';
import accountRoutes from './accounts/routes.js';
import type { Config } from './config.js';
import { createDb } from './db/create-db.js';
import type { Db } from './db/database.js';
import { type BootInfo, ensureFirstRecords } from './first-records.js';
import languageSwitch from './i18n/language-switch.js';
import { type LogDestination, loggerOptions, RequestLog } from './logging.js';
import { createLocalOcrProvider, createOcrProvider } from './ocr/create-ocr-provider.js';
import { appVersion, assetsDir } from './paths.js';
import authPlugin from './plugins/auth.js';
import dbPlugin from './plugins/db.js';
import errorHandler, { clientErrors, frameworkErrors } from './plugins/error-handler.js';
import health from './plugins/health.js';
import i18n from './plugins/i18n.js';
import metrics from './plugins/metrics.js';
import multipart from './plugins/multipart.js';
import ocrPlugin from './plugins/ocr.js';
import openapi from './plugins/openapi.js';
import rateLimits from './plugins/rate-limits.js';
import realtimePlugin from './plugins/realtime.js';
import redisPlugin from './plugins/redis.js';
import securityHeaders from './plugins/security-headers.js';
import validation from './plugins/validation.js';
import polls from './polls/index.js';
import type { Broadcaster } from './realtime/broadcaster.js';
import { createBroadcaster } from './realtime/create-broadcaster.js';
import { resolveSessionSecret } from './session-secret.js';

/** Parts a test (or another entry point) may provide instead of the ones built from config. */
export interface AppOverrides {
  db?: Db;
  broadcaster?: Broadcaster;
  /** false silences the log; a stream receives it instead of stdout. */
  logger?: LogDestination;
}

declare module 'fastify' {
  interface FastifyInstance {
    boot: BootInfo;
  }
}

// JSON bodies are small (a vote, a question of 20 options); uploads have their own limits.
const JSON_BODY_LIMIT = 64 * 1024;
/** Where the page scripts, the stylesheet and the icon are served from. */
const ASSETS_PREFIX = '/assets/';

// Node checks for late requests every 30 s unless told otherwise: too coarse for a 20 s limit.
const TIMEOUT_CHECK_MS = 5000;

/** A number of hops becomes the function form, which Fastify's types spell out. */
function trustProxyOf(setting: Config['trustProxy']) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}

/** Builds the whole application without listening, so that tests can build it too. */
export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config, overrides.logger),
    logController: new RequestLog(),
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: trustProxyOf(config.trustProxy),
    // On close, idle keep-alive connections are dropped and requests in flight finish; the live
    // feature ends its SSE and WebSocket connections itself. Requests arriving meanwhile get 503.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    frameworkErrors,
    // A client gets this long to send its request, or it gets 408 and the connection closes, so a
    // slow body cannot hold a connection for as long as it likes. Node times only requests still
    // arriving: an SSE stream or an upgraded WebSocket has arrived whole, and lives on.
    requestTimeout: config.timeouts.requestMs,
    http: {
      headersTimeout: config.timeouts.headersMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, Math.ceil(config.timeouts.headersMs / 4)),
    },
    clientErrorHandler: clientErrors,
  });

  // Before every route: pages and JSON travel compressed. The page assets were compressed at build
  // time; live feeds never are (SSE is left out by its type, WebSocket frames do not pass here).
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    // Quality 5 is about as fast as the plugin's 4 and a tenth smaller; the slow top qualities are
    // for the assets, compressed once when built.
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
    globalDecompression: false,
  });
  await app.register(i18n);
  await app.register(validation);
  await app.register(errorHandler);
  await app.register(metrics, { token: config.metricsToken });
  await app.register(openapi, { version: appVersion });
  await app.register(securityHeaders, { publicUrl: config.publicUrl, assetsPrefix: ASSETS_PREFIX });
  await app.register(dbPlugin, { db: overrides.db ?? createDb(config.database) });
  await app.register(redisPlugin, { target: config.redis });
  await app.register(health);
  await app.register(realtimePlugin, { broadcaster: overrides.broadcaster ?? createBroadcaster(app.redis) });
  await app.register(ocrPlugin, {
    ocr: createOcrProvider(config.ocr),
    local: () => createLocalOcrProvider(config.ocr),
  });
  await app.register(authPlugin, {
    secret: await resolveSessionSecret(config.sessionSecret, app.db, config.dataDir),
    publicUrl: config.publicUrl,
  });
  await app.register(rateLimits, { limits: config.rateLimits });
  await app.register(formbody, { bodyLimit: JSON_BODY_LIMIT });
  await app.register(multipart, { maxFileBytes: config.ocr.maxImageBytes });
  await app.register(websocket, {
    // Viewers send nothing that matters: a large frame is abuse and closes the socket.
    // Without compression, live messages are framed once and written to every socket as they are.
    options: { maxPayload: 1024, perMessageDeflate: false },
    // The live feature closes its sockets itself, after the last votes and counts are out.
    preClose(done) {
      done();
    },
  });
  // Assets go out as compressed at build time. Their ETag is enough to revalidate them, and they are
  // too small for ranges: fewer header bytes on the voting page's first load.
  await app.register(fastifyStatic, {
    root: assetsDir,
    prefix: ASSETS_PREFIX,
    maxAge: '1h',
    preCompressed: true,
    lastModified: false,
    acceptRanges: false,
  });

  app.decorate('boot', await ensureFirstRecords(app.db, config.admin));

  await app.register(languageSwitch);
  await app.register(accountRoutes, {
    throttle: app.redis ? new RedisLoginThrottle(app.redis) : new LoginThrottle(),
    registration: config.registration,
  });
  await app.register(polls, {
    maxImageBytes: config.ocr.maxImageBytes,
    ocrLanguages: config.ocr.languages,
    publicUrl: config.publicUrl,
    liveConnections: config.liveConnections,
  });
  return app;
}
