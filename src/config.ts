import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { languageDataInstalled } from './ocr/language-data.js';

/** A limit: requests per window, or connections at once; 0 turns it off. */
function limit(perWindow: number) {
  return Type.Integer({ minimum: 0, maximum: 1_000_000, default: perWindow });
}

/**
 * Every environment variable Pollcast reads, with its default and meaning.
 * Nothing else in the code reads `process.env`.
 */
const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '0.0.0.0' }),
  PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  DATABASE_URL: Type.String({
    pattern: '^(sqlite:.+|postgres(ql)?://.+|(mysql|mariadb)://.+)$',
    default: 'sqlite:./data/pollcast.db',
  }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://[^\\s]+$' })),
  REDIS_PREFIX: Type.String({ pattern: '^[\\w:.-]{1,64}$', default: 'pollcast:' }),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ADMIN_USERNAME: Type.String({ minLength: 1, maxLength: 64, default: 'admin' }),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
  OCR_PROVIDER: Type.Union([Type.Literal('auto'), Type.Literal('gemini'), Type.Literal('tesseract')], {
    default: 'auto',
  }),
  GEMINI_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  GEMINI_MODEL: Type.String({ minLength: 1, default: 'gemini-flash-latest' }),
  GEMINI_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$' })),
  OCR_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 600_000, default: 30_000 }),
  // Tesseract's language codes ("eng,fra,deu"), the first the default; each from its npm package.
  OCR_LANGUAGES: Type.String({ pattern: '^[a-z_]{3,10}(,[a-z_]{3,10})*$', default: 'eng' }),
  MAX_IMAGE_BYTES: Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024, default: 10 * 1024 * 1024 }),
  REGISTRATION: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'closed' }),
  TRUST_PROXY: Type.String({ pattern: '^(true|false|\\d{1,2}|[0-9a-fA-F.:/, ]+)$', default: 'false' }),
  RATE_LIMIT_VOTES_PER_VOTER: limit(10),
  RATE_LIMIT_VOTES_PER_ADDRESS: limit(3000),
  RATE_LIMIT_QUESTIONS_PER_VOTER: limit(5),
  RATE_LIMIT_UPVOTES_PER_VOTER: limit(60),
  RATE_LIMIT_LOGINS_PER_ADDRESS: limit(30),
  RATE_LIMIT_UPLOADS_PER_USER: limit(20),
  RATE_LIMIT_POLLS_PER_ADDRESS: limit(60),
  RATE_LIMIT_CODE_MISSES_PER_ADDRESS: limit(100),
  LIVE_CONNECTIONS_PER_ADDRESS: limit(3000),
  LIVE_CONNECTIONS_PER_INSTANCE: limit(10_000),
  HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 1000, maximum: 300_000, default: 20_000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 120_000 }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' })),
  SHUTDOWN_DELAY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1000, maximum: 300_000, default: 10_000 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  LOG_FORMAT: Type.Optional(Type.Union([Type.Literal('pretty'), Type.Literal('json')])),
  // Read by toConfig, which says what is wrong in words rather than as a pattern.
  WEB_CONCURRENCY: Type.String({ default: '1' }),
});

type Env = Static<typeof EnvSchema>;

export type DatabaseTarget =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; url: string }
  | { dialect: 'mysql'; url: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string | undefined;
  readonly database: DatabaseTarget;
  /** Where generated state (the SQLite file) lives; earlier versions kept the session secret here too. */
  readonly dataDir: string;
  /** Several instances share live messages and limits through this Redis; none: each keeps its own. */
  readonly redis: RedisTarget | undefined;
  readonly sessionSecret: string | undefined;
  readonly admin: { readonly username: string; readonly password: string | undefined };
  readonly ocr: {
    readonly provider: 'auto' | 'gemini' | 'tesseract';
    readonly timeoutMs: number;
    readonly maxImageBytes: number;
    /** The languages the local engine reads (Tesseract's codes), the first when an upload names none. */
    readonly languages: readonly string[];
    readonly gemini: {
      readonly apiKey: string | undefined;
      readonly model: string;
      readonly baseUrl: string | undefined;
    };
  };
  readonly registration: 'open' | 'closed';
  /** Fastify's trustProxy: whether (and which) proxies' X-Forwarded-* headers are believed. */
  readonly trustProxy: boolean | number | string;
  readonly rateLimits: RateLimits;
  readonly liveConnections: LiveConnectionCaps;
  readonly timeouts: Timeouts;
  /** The bearer token `/metrics` asks for; without one, `/metrics` is not served. */
  readonly metricsToken: string | undefined;
  /** After SIGTERM, how long /readyz fails before the server stops listening. */
  readonly shutdownDelayMs: number;
  /** After SIGTERM, the longest the whole stop may take before the process exits anyway. */
  readonly shutdownGraceMs: number;
  readonly logLevel: string;
  /** Readable lines for a person at a terminal, or JSON lines for a log collector. */
  readonly logFormat: 'pretty' | 'json';
  /** Worker processes serving the one port; 1 is a single process with no primary. */
  readonly webConcurrency: number;
}

export interface RedisTarget {
  readonly url: string;
  /** Starts every key and channel, so that deployments sharing one Redis do not see each other. */
  readonly prefix: string;
}

/** Requests allowed per window (0: no limit); the windows are part of each limit's meaning. */
export interface RateLimits {
  /** Per voter cookie (per address when there is none), per minute. */
  readonly votesPerVoter: number;
  /** Per network address, per minute: a whole room may share one. */
  readonly votesPerAddress: number;
  /** Questions asked (audience Q&A) per voter cookie, per minute. */
  readonly questionsPerVoter: number;
  /** Upvotes given and taken back (audience Q&A) per voter cookie, per minute. */
  readonly upvotesPerVoter: number;
  /** Sign-in attempts per network address, per minute (each account is throttled too). */
  readonly loginsPerAddress: number;
  /** Image uploads (OCR) per signed-in user, per minute. */
  readonly uploadsPerUser: number;
  /** Polls and accounts created per network address, per hour. */
  readonly pollsPerAddress: number;
  /** Distinct join codes that name no poll, looked up per network address, per minute. */
  readonly codeMissesPerAddress: number;
}

/** Live connections (WebSocket and SSE together) open at once; 0: no cap. */
export interface LiveConnectionCaps {
  /** From one network address (an IPv6 /64); a room behind one NAT shares it. */
  readonly perAddress: number;
  /** On this instance, from everyone. */
  readonly perInstance: number;
}

/** How long a client may take to send a request (Node's server timeouts); live streams are not requests in flight. */
export interface Timeouts {
  /** Until the request's headers are in. */
  readonly headersMs: number;
  /** Until the whole request, body included, is in (0: no limit). */
  readonly requestMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once; reports every bad variable together. Where the log
 * goes decides its default format: readable at a terminal, JSON anywhere else.
 */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  logTo: { isTTY?: boolean } = process.stdout,
): Config {
  const raw = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .map((key) => [key, source[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const env = Value.Convert(EnvSchema, Value.Default(EnvSchema, raw));
  if (!Value.Check(EnvSchema, env)) {
    const problems = new Map<string, string>();
    for (const error of Value.Errors(EnvSchema, env)) {
      const name = error.instancePath.replace(/^\//, '');
      if (!problems.has(name)) problems.set(name, `${name}: ${error.message} (got ${JSON.stringify(raw[name])})`);
    }
    throw new ConfigError([...problems.values()]);
  }
  return toConfig(env, logTo.isTTY === true);
}

function toConfig(env: Env, logToTerminal: boolean): Config {
  const database = parseDatabaseUrl(env.DATABASE_URL);
  const dataDir = database.dialect === 'sqlite' && database.path !== ':memory:' ? dirname(database.path) : './data';
  if (env.OCR_PROVIDER === 'gemini' && !env.GEMINI_API_KEY) {
    throw new ConfigError(['GEMINI_API_KEY: required when OCR_PROVIDER=gemini']);
  }
  const ocrLanguages = [...new Set(env.OCR_LANGUAGES.split(','))];
  const missing = ocrLanguages.filter((language) => !languageDataInstalled(language));
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map(
        (language) =>
          `OCR_LANGUAGES: no language data for "${language}": install it with npm install @tesseract.js-data/${language}`,
      ),
    );
  }
  if (env.REQUEST_TIMEOUT_MS > 0 && env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(['HEADERS_TIMEOUT_MS: must not be longer than REQUEST_TIMEOUT_MS']);
  }
  const webConcurrency = parseWebConcurrency(env.WEB_CONCURRENCY);
  if (webConcurrency > 1 && database.dialect === 'sqlite' && database.path === ':memory:') {
    throw new ConfigError([
      'WEB_CONCURRENCY: several workers need a database they share (an SQLite file or PostgreSQL); ' +
        'each would have its own sqlite::memory:',
    ]);
  }
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    database,
    dataDir,
    redis: env.REDIS_URL ? Object.freeze({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX }) : undefined,
    sessionSecret: env.SESSION_SECRET,
    admin: Object.freeze({ username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD }),
    ocr: Object.freeze({
      provider: env.OCR_PROVIDER,
      timeoutMs: env.OCR_TIMEOUT_MS,
      maxImageBytes: env.MAX_IMAGE_BYTES,
      languages: Object.freeze(ocrLanguages),
      gemini: Object.freeze({
        apiKey: env.GEMINI_API_KEY,
        model: env.GEMINI_MODEL,
        baseUrl: env.GEMINI_BASE_URL?.replace(/\/+$/, ''),
      }),
    }),
    registration: env.REGISTRATION,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    rateLimits: Object.freeze({
      votesPerVoter: env.RATE_LIMIT_VOTES_PER_VOTER,
      votesPerAddress: env.RATE_LIMIT_VOTES_PER_ADDRESS,
      questionsPerVoter: env.RATE_LIMIT_QUESTIONS_PER_VOTER,
      upvotesPerVoter: env.RATE_LIMIT_UPVOTES_PER_VOTER,
      loginsPerAddress: env.RATE_LIMIT_LOGINS_PER_ADDRESS,
      uploadsPerUser: env.RATE_LIMIT_UPLOADS_PER_USER,
      pollsPerAddress: env.RATE_LIMIT_POLLS_PER_ADDRESS,
      codeMissesPerAddress: env.RATE_LIMIT_CODE_MISSES_PER_ADDRESS,
    }),
    liveConnections: Object.freeze({
      perAddress: env.LIVE_CONNECTIONS_PER_ADDRESS,
      perInstance: env.LIVE_CONNECTIONS_PER_INSTANCE,
    }),
    timeouts: Object.freeze({ headersMs: env.HEADERS_TIMEOUT_MS, requestMs: env.REQUEST_TIMEOUT_MS }),
    metricsToken: env.METRICS_TOKEN,
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (logToTerminal ? 'pretty' : 'json'),
    webConcurrency,
  });
}

/** `true`, `false`, a number of proxy hops, or a comma-separated list of proxy addresses. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

const MAX_WORKERS = 256;

/** A number of worker processes, or `auto`: one per core this process may use. */
function parseWebConcurrency(value: string): number {
  if (value === 'auto') return availableParallelism();
  const workers = /^\d{1,4}$/.test(value) ? Number(value) : 0;
  if (workers >= 1 && workers <= MAX_WORKERS) return workers;
  throw new ConfigError([
    `WEB_CONCURRENCY: the number of worker processes, 1 to ${MAX_WORKERS}, or auto for one per core (got ${JSON.stringify(value)})`,
  ]);
}

function parseDatabaseUrl(url: string): DatabaseTarget {
  if (url.startsWith('sqlite:')) return { dialect: 'sqlite', path: url.slice('sqlite:'.length) };
  if (/^(mysql|mariadb):/.test(url)) return { dialect: 'mysql', url };
  return { dialect: 'postgres', url };
}

/** Reads `.env` into the environment when the file exists; variables already set win. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Settings that work but deserve a word at start: each a sentence for the log. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.trustProxy === true) {
    warnings.push(
      'TRUST_PROXY=true believes the X-Forwarded-For, -Host and -Proto headers of every client: whoever reaches ' +
        'this server without the proxy picks their own address and escapes every per-address limit. Set the ' +
        'number of proxies in front (TRUST_PROXY=1) or their addresses instead.',
    );
  }
  return warnings;
}
