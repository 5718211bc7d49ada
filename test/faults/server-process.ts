import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Redis } from 'ioredis';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import { Agent, fetch as fetchThrough } from 'undici';
import { ADMIN_PASSWORD, type Dialect, METRICS_TOKEN, testRedisPrefix } from '../helpers.js';

const ROOT = new URL('../../', import.meta.url).pathname;
// Resolved here, so that a server may run in a working directory of its own.
const TSX = createRequire(import.meta.url).resolve('tsx');

/** Pollcast as users run it: `src/server.ts` in a process of its own. */
export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  output(): string;
}

/** A port that was free a moment ago, so that a restarted server comes back where clients look. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenLocally(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A setting given as '' is unset, as in the server's own configuration: `SESSION_SECRET: ''`
 * leaves the server to find its secret. `workDir` is where it runs (its `./data` folder, its
 * `.env`): one of its own makes an instance as alone as on a machine of its own.
 */
export async function startServer(
  env: Record<string, string>,
  { port, workDir = ROOT }: { port?: number; workDir?: string } = {},
): Promise<ServerProcess> {
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'src/server.ts')], {
    cwd: workDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(listenOn),
      ADMIN_PASSWORD,
      SESSION_SECRET: 'a-test-secret-that-is-long-enough-1234567890',
      OCR_PROVIDER: 'tesseract',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_VOTES_PER_ADDRESS: '0',
      RATE_LIMIT_LOGINS_PER_ADDRESS: '0',
      METRICS_TOKEN,
      // tsx reads the project's compiler settings wherever the server runs.
      TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const url = `http://127.0.0.1:${listenOn}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited at start:\n${output}`);
    if (output.includes('Pollcast is running')) break;
    // Generous: a server run from source compiles it first, and under a whole suite on two cores a
    // primary with its workers has taken over 30 s to say it is running. Within the test timeout of
    // the tests that start one (web-concurrency.test.ts gives them longer).
    if (Date.now() - started > 55_000) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, port: listenOn, child, exited, output: () => output };
}

/** A fresh database for a server process, and a way to read what it stored. */
export async function processDatabase(dialect: Dialect) {
  const database = await dialect.create();
  return { url: database.url, stored: () => storedState(database.url), drop: () => database.drop() };
}

export interface StoredState {
  /** Voter ids with a stored vote on the question. */
  voters: Set<string>;
  /** Per option: the counter the results show, and the number of stored votes. */
  options: { id: number; counter: number; stored: number }[];
  totalCounter: number;
  /** SQLite's `PRAGMA integrity_check`; 'ok' for PostgreSQL and MySQL. */
  integrity: string;
}

const COUNTS = `select o.id, o.votes as counter, (select count(*) from votes v where v.option_id = o.id) as stored
  from options o where o.question_id = ? order by o.id`;

async function storedState(url: string): Promise<(questionId: number) => Promise<StoredState>> {
  if (url.startsWith('sqlite:')) {
    return async (questionId) => {
      const db = new SQLite(url.slice('sqlite:'.length), { readonly: true });
      try {
        const voters = db.prepare('select voter_id from votes where question_id = ?').all(questionId) as {
          voter_id: string;
        }[];
        const options = db.prepare(COUNTS).all(questionId) as StoredState['options'];
        const total = db.prepare('select total_votes from questions where id = ?').get(questionId) as {
          total_votes: number;
        };
        const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])[0]?.integrity_check ?? '';
        return {
          voters: new Set(voters.map((v) => v.voter_id)),
          options,
          totalCounter: total.total_votes,
          integrity,
        };
      } finally {
        db.close();
      }
    };
  }
  return async (questionId) => {
    const server = await connectTo(url);
    try {
      const voters = await server.query('select voter_id from votes where question_id = ?', [questionId]);
      const options = await server.query(COUNTS, [questionId]);
      const total = await server.query('select total_votes from questions where id = ?', [questionId]);
      return {
        voters: new Set(voters.map((v) => v.voter_id as string)),
        options: options.map((o) => ({ id: Number(o.id), counter: Number(o.counter), stored: Number(o.stored) })),
        totalCounter: Number(total[0]?.total_votes),
        integrity: 'ok',
      };
    } finally {
      await server.end();
    }
  };
}

/** One connection to a PostgreSQL or MySQL server, queried with `?` placeholders. */
async function connectTo(url: string) {
  if (/^(mysql|mariadb):/.test(url)) {
    const connection = await mysql.createConnection(url);
    return {
      query: async (text: string, values: unknown[]) =>
        (await connection.query<RowDataPacket[]>(text, values))[0] as Record<string, unknown>[],
      end: () => connection.end(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async (text: string, values: unknown[]) => {
      let n = 0;
      return (
        await client.query(
          text.replace(/\?/g, () => `$${++n}`),
          values,
        )
      ).rows as Record<string, unknown>[];
    },
    end: () => client.end(),
  };
}

/** The checks every fault run ends with: nothing acknowledged is lost, every count is true. */
export function expectConsistent(
  state: StoredState,
  acknowledged: Iterable<string>,
  expect: (value: unknown) => { toBe(v: unknown): void; toEqual(v: unknown): void },
): void {
  const missing = [...acknowledged].filter((voter) => !state.voters.has(voter));
  expect(missing).toEqual([]);
  for (const option of state.options) expect(option.counter).toBe(option.stored);
  expect(state.totalCounter).toBe(state.voters.size);
  expect(state.integrity).toBe('ok');
}

/** Pipes a client to its upstream; either end closing drops both. `open` tracks them for a cut. */
function relay(client: Socket, upstream: Socket, open: Set<Socket>): void {
  open.add(client);
  open.add(upstream);
  const drop = () => {
    client.destroy();
    upstream.destroy();
    open.delete(client);
    open.delete(upstream);
  };
  client.on('error', drop).on('close', drop);
  upstream.on('error', drop).on('close', drop);
  client.pipe(upstream).pipe(client);
}

async function listenLocally(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A TCP proxy in front of a service (a database server, Redis) that a test can cut off and restore. */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let state: 'open' | 'cut' | 'stalled' = 'open';
  const server: Server = createServer((client) => {
    if (state === 'cut') return void client.destroy();
    if (state === 'stalled') {
      // Taken and never answered, as by a route that swallows packets.
      sockets.add(client.on('error', () => client.destroy()));
      return;
    }
    relay(client, connect(target.port, target.host), sockets);
  });
  const port = await listenLocally(server);
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    port,
    /** Every open connection is dropped and new ones are refused, as when the service's host goes away. */
    cut() {
      state = 'cut';
      dropAll();
    },
    /** Nothing passes any more, and nothing is closed either, as when a NAT forgets the connections. */
    stall() {
      state = 'stalled';
      for (const socket of sockets) socket.unpipe().pause();
    },
    /** New connections pass again; stalled ones stay dead, as the client would find them. */
    restore() {
      if (state === 'stalled') dropAll();
      state = 'open';
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * A TCP load balancer in front of server processes on this machine: each new connection goes to
 * the next server in turn, and on to the one after when a server refuses it (killed, not yet
 * back), as a balancer's health checks would have it. A connection stays with its server.
 */
export async function startBalancer(ports: number[]) {
  const sockets = new Set<Socket>();
  let turn = 0;
  const server: Server = createServer((client) => {
    // The client's bytes wait in its socket, unread, until a server has taken the connection.
    client.on('error', () => client.destroy());
    const tryServer = (tries: number) => {
      const upstream = connect(ports[turn++ % ports.length] ?? 0, '127.0.0.1');
      const refused = () => {
        upstream.destroy();
        if (tries + 1 < ports.length && !client.destroyed) tryServer(tries + 1);
        else client.destroy();
      };
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        relay(client, upstream, sockets);
      });
    };
    tryServer(0);
  });
  const port = await listenLocally(server);
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Signs in as the admin and makes a live question on the default poll: its id and option ids. */
export async function liveQuestion(
  url: string,
  password = ADMIN_PASSWORD,
): Promise<{ token: string; questionId: number; optionIds: number[] }> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  const { token } = (await login.json()) as { token: string };
  const created = await fetch(`${url}/api/admin/polls/default/questions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ text: 'Which way?', options: ['North', 'South', 'East', 'West'], activate: true }),
  });
  const { question } = (await created.json()) as { question: { id: number; options: { id: number }[] } };
  return { token, questionId: question.id, optionIds: question.options.map((o) => o.id) };
}

/** How many vote loads this test file has started: each load's voter ids are its own. */
let loads = 0;

/**
 * Voters, each voting once, from several workers at once for as long as it runs: which voters
 * got a 2xx, and how many answers of each status (or 'error' for no answer) there were. The load
 * opens connections of its own, as a new crowd of phones would: behind a balancer, a load started
 * after a restart reaches the restarted server too.
 */
export function voteLoad(url: string, questionId: number, optionIds: number[], workers = 16) {
  const acknowledged = new Set<string>();
  const statuses = new Map<number | 'error', number>();
  const count = (key: number | 'error') => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  const connections = new Agent();
  const load = loads++;
  let running = true;
  let next = 0;
  const worker = async (w: number) => {
    while (running) {
      const n = next++;
      const voter = `load-${load}-${w}-${n}`.padEnd(16, 'x');
      try {
        const response = await fetchThrough(`${url}/api/polls/default/votes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `pc_voter=${voter}` },
          body: JSON.stringify({ questionId, optionId: optionIds[n % optionIds.length] }),
          dispatcher: connections,
        });
        await response.arrayBuffer();
        count(response.status);
        if (response.ok) acknowledged.add(voter);
      } catch {
        count('error');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  let stopped: Promise<void> | undefined;
  return {
    acknowledged,
    statuses,
    /** Waits until at least this many votes were acknowledged. */
    async until(votes: number) {
      while (acknowledged.size < votes) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    /** Stops the workers and closes the load's connections; a second call waits for the first. */
    stop() {
      running = false;
      stopped ??= done.then(() => connections.close());
      return stopped;
    },
  };
}

/** One series' value from a server's /metrics (NaN when it has none). */
export async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.slice(series.length + 1));
}

/**
 * A namespace of keys and channels of its own on a Redis that others use too, for REDIS_PREFIX;
 * `drop` deletes its keys, and nothing else.
 */
export function redisNamespace(url: string) {
  const prefix = testRedisPrefix();
  return {
    prefix,
    async drop() {
      const redis = new Redis(url, { lazyConnect: true });
      await redis.connect();
      try {
        for (let cursor = '0'; ; ) {
          const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length > 0) await redis.del(...keys);
          cursor = nextCursor;
          if (cursor === '0') break;
        }
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** A working directory of its own for a server process: its data folder is nobody else's. */
export function workDir() {
  const path = mkdtempSync(join(tmpdir(), 'pollcast-instance-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
