import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { type AppOverrides, buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { dialectOf } from '../src/db/dialect.js';
import type { QuestionView, ResultsMessage } from '../src/realtime/messages.js';

export const ADMIN_PASSWORD = 'test-admin-password';
/** The bearer token `/metrics` asks for in tests. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

/** The path and the bytes of an OCR sample image from test/fixtures/ocr. */
export const fixturePath = (name: string) => new URL(`fixtures/ocr/${name}`, import.meta.url).pathname;
export const fixture = (name: string) => readFileSync(fixturePath(name));

export interface Dialect {
  name: 'sqlite' | 'postgres' | 'mysql';
  /** A DATABASE_URL for a fresh, empty database, and how to throw it away. */
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const sqlite: Dialect = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'pollcast-test-'));
    return {
      url: `sqlite:${join(dir, 'pollcast.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/**
 * Each test database is its own PostgreSQL schema, so test files can run side by side. Schemas are
 * dropped when the whole run ends (test/global-setup.ts), not one by one: Kysely's migrator lists
 * the tables of every schema, and a schema dropped by another test file in the middle of that
 * listing failed it ("schema … does not exist").
 */
function postgres(baseUrl: string): Dialect {
  return {
    name: 'postgres',
    async create() {
      const schema = `${inject('postgresSchemaPrefix')}${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      const url = new URL(baseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return { url: url.toString(), drop: async () => {} };
    },
  };
}

/** Each test database is its own MySQL database (what MySQL calls a schema), dropped after. */
function mysqlDialect(baseUrl: string): Dialect {
  const run = async (statement: string) => {
    const connection = await mysql.createConnection(baseUrl);
    try {
      await connection.query(statement);
    } finally {
      await connection.end();
    }
  };
  return {
    name: 'mysql',
    async create() {
      const database = `test_${randomBytes(6).toString('hex')}`;
      await run(`create database ${database}`);
      const url = new URL(baseUrl);
      url.pathname = `/${database}`;
      return { url: url.toString(), drop: () => run(`drop database ${database}`) };
    },
  };
}

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set, MySQL or MariaDB when TEST_MYSQL_URL is. */
export const dialects: Dialect[] = [
  sqlite,
  ...(process.env.TEST_DATABASE_URL ? [postgres(process.env.TEST_DATABASE_URL)] : []),
  ...(process.env.TEST_MYSQL_URL ? [mysqlDialect(process.env.TEST_MYSQL_URL)] : []),
];

/** The Redis of tests that need one (several instances), when TEST_REDIS_URL is set; they skip otherwise. */
export const testRedisUrl = process.env.TEST_REDIS_URL;

/** A REDIS_PREFIX of its own for each test: the Redis is shared with other runs, and never flushed. */
export const testRedisPrefix = () => `pollcast-test-${randomBytes(6).toString('hex')}:`;

const RATE_LIMIT_SETTINGS = [
  'RATE_LIMIT_VOTES_PER_VOTER',
  'RATE_LIMIT_VOTES_PER_ADDRESS',
  'RATE_LIMIT_LOGINS_PER_ADDRESS',
  'RATE_LIMIT_UPLOADS_PER_USER',
  'RATE_LIMIT_POLLS_PER_ADDRESS',
  'RATE_LIMIT_CODE_MISSES_PER_ADDRESS',
];

/**
 * Tests act as one client from one address, far faster than people: rate limits are off unless
 * a test sets them. These settings turn them all back on at their defaults.
 */
export const DEFAULT_RATE_LIMITS = Object.fromEntries(RATE_LIMIT_SETTINGS.map((name) => [name, '']));
const NO_RATE_LIMITS = Object.fromEntries(RATE_LIMIT_SETTINGS.map((name) => [name, '0']));

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /**
   * Stops the app and starts a new one on the same database (and the same port, if it listened),
   * after `whileDown` has run.
   */
  restart(whileDown?: () => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

/** A test instance's settings: `env` wins over the tests' defaults; an empty value unsets one. */
function testConfig(databaseUrl: string, dataDir: string, env: Record<string, string>): Config {
  return {
    ...loadConfig({
      DATABASE_URL: databaseUrl,
      ADMIN_PASSWORD,
      SESSION_SECRET: 'a-test-secret-that-is-long-enough-1234567890',
      OCR_PROVIDER: 'tesseract',
      LOG_LEVEL: 'silent',
      METRICS_TOKEN,
      ...NO_RATE_LIMITS,
      ...env,
    }),
    dataDir,
  };
}

export async function buildTestApp(
  dialect: Dialect,
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<TestApp> {
  const database = await dialect.create();
  const dataDir = mkdtempSync(join(tmpdir(), 'pollcast-data-'));
  const config = testConfig(database.url, dataDir, env);
  const testApp: TestApp = {
    app: await buildApp(config, { logger: false, ...overrides }),
    config,
    async restart(whileDown) {
      const address = testApp.app.server.address();
      await testApp.app.close();
      await whileDown?.();
      testApp.app = await buildApp(config, { logger: false, ...overrides });
      if (typeof address === 'object' && address)
        await testApp.app.listen({ port: address.port, host: address.address });
    },
    async close() {
      await testApp.app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}

/**
 * A test app on the dialect for the tests of the enclosing `describe`: built before them and
 * closed after them, with an admin's bearer token.
 */
export function appForTests(dialect: Dialect, env: Record<string, string> = {}) {
  let testApp: TestApp | undefined;
  let token = '';
  beforeAll(async () => {
    testApp = await buildTestApp(dialect, env);
    token = await adminToken(testApp.app);
  });
  afterAll(() => testApp?.close());
  const started = () => {
    if (!testApp) throw new Error('the test app is built before the tests run');
    return testApp;
  };
  return {
    get app() {
      return started().app;
    },
    get token() {
      return token;
    },
    /** `app.inject` as the admin. */
    admin: (options: Parameters<ReturnType<typeof asUser>>[0]) => asUser(started().app, token)(options),
  };
}

export interface TestInstances {
  /** One app per instance, each with a data folder of its own, all on one database. */
  apps: FastifyInstance[];
  close(): Promise<void>;
}

/**
 * Several instances of Pollcast on one database, started at once, as behind a load balancer: one
 * app for each set of settings (e.g. each its own REDIS_URL), over `shared` settings.
 */
export async function buildTestInstances(
  dialect: Dialect,
  shared: Record<string, string>,
  each: Record<string, string>[],
  prepareDataDir: (dir: string) => void = () => {},
): Promise<TestInstances> {
  const database = await dialect.create();
  const dataDirs = each.map(() => mkdtempSync(join(tmpdir(), 'pollcast-data-')));
  dataDirs.forEach(prepareDataDir);
  const apps = await Promise.all(
    each.map((env, i) =>
      buildApp(testConfig(database.url, dataDirs[i] as string, { ...shared, ...env }), { logger: false }),
    ),
  );
  return {
    apps,
    async close() {
      await Promise.all(apps.map((app) => app.close()));
      await database.drop();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headers of a request from that client address, to an app that believes X-Forwarded-For (TRUST_PROXY=true). */
export const from = (address: string) => ({ 'x-forwarded-for': address });

/** The app's `/metrics` text, fetched as Prometheus would, with the token. */
export async function metricsText(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (response.statusCode !== 200) throw new Error(`metrics: ${response.statusCode}`);
  return response.body;
}

export async function adminToken(app: FastifyInstance): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  return response.json().token;
}

/** A question of a kind with options, as most tests make; and the live counts of one. */
export type OptionsQuestion = Extract<QuestionView, { kind: 'choice' | 'multi' }>;
export type OptionsResults = Extract<ResultsMessage, { options: unknown }>;

/** Creates a live question on the default poll through the API, as an admin would. */
export async function createLiveQuestion(
  app: FastifyInstance,
  token: string,
  question: Record<string, unknown> = { text: 'Best season?', options: ['Spring', 'Summer', 'Autumn', 'Winter'] },
) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/polls/default/questions',
    headers: { authorization: `Bearer ${token}` },
    payload: { ...question, activate: true },
  });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.body}`);
  return response.json().question as OptionsQuestion;
}

/** Creates a live question of the given kind on the default poll through the API. */
export async function createLiveOfKind<K extends QuestionView['kind']>(
  app: FastifyInstance,
  token: string,
  kind: K,
  fields: Record<string, unknown>,
): Promise<Extract<QuestionView, { kind: K }>> {
  return (await createLiveQuestion(app, token, { kind, ...fields })) as unknown as Extract<QuestionView, { kind: K }>;
}

/** The default poll's live question with its counts, as `GET /api/polls/default/results` answers. */
export const liveResults = async (app: FastifyInstance) =>
  (await app.inject({ url: '/api/polls/default/results' })).json().question;

/** A well-formed voter id for a test voter's name. */
export function voterId(name: string): string {
  return `${name}-`.padEnd(16, 'x');
}

export function voterCookie(name: string): string {
  return `pc_voter=${voterId(name)}`;
}

interface VoteFrom {
  code?: string;
  remoteAddress?: string;
}

/** A vote through the API as the named test voter; from another address when one is given. */
export function voteAs(
  app: FastifyInstance,
  voter: string,
  questionId: number,
  optionId: number | undefined,
  from: VoteFrom = {},
) {
  return voteWith(app, voter, { questionId, optionId }, from);
}

/** A vote with any body, as `voteAs` sends it: the answer fields of any kind of question. */
export function voteWith(
  app: FastifyInstance,
  voter: string,
  payload: object,
  { code = 'default', remoteAddress }: VoteFrom = {},
) {
  return app.inject({
    method: 'POST',
    url: `/api/polls/${code}/votes`,
    headers: { cookie: voterCookie(voter) },
    payload,
    ...(remoteAddress ? { remoteAddress } : {}),
  });
}

/** Two images (and form fields) uploaded to the default poll through the API with a bearer token. */
export function uploadImages(
  app: FastifyInstance,
  token: string,
  files: Record<string, Buffer>,
  fields: Record<string, string> = {},
) {
  const body = multipart(files, fields);
  return app.inject({
    method: 'POST',
    url: '/api/admin/polls/default/questions/from-images',
    headers: { ...body.headers, authorization: `Bearer ${token}` },
    payload: body.payload,
  });
}

/** A multipart body as a browser would send it. */
export function multipart(files: Record<string, Buffer>, fields: Record<string, string> = {}) {
  const boundary = '----pollcast-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const [name, bytes] of Object.entries(files)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** An organizer account made by the admin, signed in: its bearer token. */
export async function organizerToken(app: FastifyInstance, username: string): Promise<string> {
  const password = `${username}-password`;
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: { authorization: `Bearer ${await adminToken(app)}` },
    payload: { username, password },
  });
  if (created.statusCode !== 201) throw new Error(`organizer not created: ${created.body}`);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  return login.json().token;
}

/** `app.inject` with a bearer token. */
export function asUser(app: FastifyInstance, token: string) {
  return (options: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }) =>
    app.inject({ ...options, headers: { authorization: `Bearer ${token}` } });
}

/** A form post as a browser sends it without JavaScript; repeated fields as arrays. */
export function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string | string[]>,
  cookie?: string,
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    payload: body.toString(),
  });
}

/** Signs in through the sign-in form: the session cookie, ready for a `cookie` header. */
export async function signInCookie(app: FastifyInstance, username: string, password: string): Promise<string> {
  const response = await postForm(app, '/admin/login', { username, password });
  if (response.statusCode !== 303) throw new Error(`sign-in failed: ${response.statusCode}`);
  return cookieFrom(response.headers['set-cookie'], 'pc_session');
}

/** `name=value` of one cookie an answer sets. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string): string {
  return (
    [setCookie ?? []]
      .flat()
      .find((cookie) => cookie.startsWith(`${name}=`))
      ?.split(';')[0] ?? ''
  );
}

/**
 * Every row of every table, to compare before and after: a refused request must leave it the
 * same. Tables of other test schemas (PostgreSQL) and databases (MySQL) are left out.
 */
export async function storedRows(app: FastifyInstance): Promise<Record<string, string[]>> {
  const current = dialectOf(app.db).kind === 'mysql' ? sql`database()` : sql`current_schema()`;
  const { rows } = await sql<{ schema: string }>`select ${current} as schema`
    .execute(app.db)
    .catch(() => ({ rows: [] as { schema: string }[] }));
  const schema = rows[0]?.schema;
  const tables = (await app.db.introspection.getTables()).filter((table) => !schema || table.schema === schema);
  const snapshot: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows: stored } = await sql`select * from ${sql.table(table.name)}`.execute(app.db);
    snapshot[table.name] = stored.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}
