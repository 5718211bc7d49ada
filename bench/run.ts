// Load benchmark: votes from many simulated voters over HTTP while WebSocket and SSE viewers
// watch, with each WEB_CONCURRENCY of BENCH_WORKERS side by side, compared with a bare Fastify
// endpoint driven by the same load loop.
// Bounded: it stops after BENCH_VOTES votes or BENCH_SECONDS seconds, whichever comes first,
// and only ever talks to 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import WebSocket from 'ws';

const VOTES = Number(process.env.BENCH_VOTES ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WS_VIEWERS = Number(process.env.BENCH_WS_VIEWERS ?? 100);
const SSE_VIEWERS = Number(process.env.BENCH_SSE_VIEWERS ?? 100);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const PASSWORD = 'bench-admin-password';
// Several instances: a PostgreSQL database and a Redis they share (the tests' ones serve too).
const CROSS_REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
const CROSS_POSTGRES_URL = [process.env.BENCH_DATABASE_URL, process.env.TEST_DATABASE_URL].find((url) =>
  url?.startsWith('postgres'),
);
const CROSS_RATE = Number(process.env.BENCH_CROSS_RATE ?? 200);
const CROSS_SECONDS = Number(process.env.BENCH_CROSS_SECONDS ?? 10);
const CROSS_VIEWERS = Number(process.env.BENCH_CROSS_VIEWERS ?? 100);

/** The settings of every Pollcast the benchmark starts. */
const SERVER_ENV = {
  ADMIN_PASSWORD: PASSWORD,
  LOG_LEVEL: 'warn',
  OCR_PROVIDER: 'tesseract',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
  // Every simulated voter comes from this one address: the ceiling is raised, not removed,
  // so the limit's bookkeeping is part of what is measured.
  RATE_LIMIT_VOTES_PER_ADDRESS: '1000000',
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Starts a server and resolves once it answers, and (if given) once it has printed `readyLine`: all its workers listen. */
async function start(
  command: string[],
  env: Record<string, string>,
  port: number,
  readyLine?: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let printed = readyLine === undefined;
  child.stdout?.on('data', (chunk) => {
    if (readyLine && String(chunk).includes(readyLine)) printed = true;
  });
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status < 500 && printed) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`${command.join(' ')} did not start`);
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

interface LoadResult {
  done: number;
  seconds: number;
  latencies: number[];
  acks: { sentAt: number; total: number }[];
  statuses: Map<number, number>;
}

/** Closed-loop load: CONNECTIONS requests in flight, each voter distinct, until the count or time runs out. */
async function drive(port: number, body: (i: number) => string, parseTotal: boolean): Promise<LoadResult> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  const acks: { sentAt: number; total: number }[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const worker = async () => {
    while (next < VOTES && performance.now() < deadline) {
      const i = next++;
      const sentAt = performance.now();
      const res = await pool.request({
        method: 'POST',
        path: '/api/polls/default/votes',
        headers: { 'content-type': 'application/json', cookie: `pc_voter=bench-voter-${i}-xxxxxx` },
        body: body(i),
      });
      const text = await res.body.text();
      latencies.push(performance.now() - sentAt);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (parseTotal && res.statusCode === 201) acks.push({ sentAt, total: JSON.parse(text).question.totalVotes });
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { done: latencies.length, seconds, latencies: latencies.sort((a, b) => a - b), acks, statuses };
}

/**
 * A viewer records when each results message arrived and the total it carried; `subscribed`
 * settles with its first message, the snapshot, sent once the poll's subscription is active.
 */
type Viewer = { seen: { at: number; total: number; version: number }[]; subscribed: Promise<void>; close(): void };

/**
 * Keeps a results message newer than the last one kept, as the page does: with several workers,
 * two workers' messages may arrive in either order.
 */
function record(seen: Viewer['seen'], message: { totalVotes: number; version: number }) {
  const last = seen.at(-1);
  if (last && message.version <= last.version) return;
  seen.push({ at: performance.now(), total: message.totalVotes, version: message.version });
}

function openWsViewer(port: number): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const seen: Viewer['seen'] = [];
    let snapshot = () => {};
    const subscribed = new Promise<void>((resolve) => {
      snapshot = resolve;
    });
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/polls/default/ws`);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'results') record(seen, message);
      else if (message.type === 'snapshot') snapshot();
    });
    socket.once('open', () => resolve({ seen, subscribed, close: () => socket.terminate() }));
    socket.once('error', reject);
  });
}

async function openSseViewer(port: number): Promise<Viewer> {
  const seen: Viewer['seen'] = [];
  let snapshot = () => {};
  const subscribed = new Promise<void>((resolve) => {
    snapshot = resolve;
  });
  const abort = new AbortController();
  const response = await fetch(`http://127.0.0.1:${port}/api/polls/default/events`, { signal: abort.signal });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
        buffer += decoder.decode(chunk.value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: results')) record(seen, JSON.parse(block.slice(block.indexOf('data: ') + 6)));
          else if (block.startsWith('event: snapshot')) snapshot();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // closed at the end of the run
    }
  })();
  return { seen, subscribed, close: () => abort.abort() };
}

/**
 * For each sampled vote and each viewer: time from the vote's moment (sent, or acknowledged) to
 * the first results message that includes it, that is, whose total is at least the total its
 * acknowledgement carried (totals only grow, one a vote).
 */
function voteToViewer(votes: { at: number; total: number }[], viewers: Viewer[], every = 1): number[] {
  const delays: number[] = [];
  const sample = votes.filter((_, i) => i % every === 0);
  for (const viewer of viewers) {
    const { seen } = viewer;
    for (const ack of sample) {
      let lo = 0;
      let hi = seen.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((seen[mid]?.total ?? 0) >= ack.total) hi = mid;
        else lo = mid + 1;
      }
      const hit = seen[lo];
      if (hit) delays.push(hit.at - ack.at);
    }
  }
  return delays.sort((a, b) => a - b);
}

/** Signs in as the admin and makes a new live question on the default poll. */
async function liveQuestion(base: string): Promise<{ id: number; options: { id: number }[] }> {
  const { token } = await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    })
  ).json();
  const { question } = await (
    await fetch(`${base}/api/admin/polls/default/questions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: `Benchmark ${Date.now()}`, options: ['A', 'B', 'C', 'D'], activate: true }),
    })
  ).json();
  return question;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux). Per vote, this is
 * the server's own cost, which the throughput of a 2-core machine shared with the load
 * generator shows only through noise.
 */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks of 1/100 s.
    const own = (Number(fields[11]) + Number(fields[12])) / 100;
    // With WEB_CONCURRENCY, the workers are the process's children: their CPU is the server's too.
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    return own + children.reduce((sum, child) => sum + cpuSeconds(Number(child)), 0);
  } catch {
    return Number.NaN;
  }
}

interface Figures {
  votes: LoadResult;
  serverCpu: number;
  delays: number[];
  storedTotal: number;
}

/** One Pollcast with this many workers on a database of its own (or on BENCH_DATABASE_URL), under the load. */
async function measure(workers: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'pollcast-bench-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`;
  const port = await freePort();
  const pollcast = await start(
    ['dist/server.js'],
    { ...SERVER_ENV, DATABASE_URL: databaseUrl, WEB_CONCURRENCY: String(workers) },
    port,
    'Pollcast is running',
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    const question = await liveQuestion(base);
    const optionIds = question.options.map((o) => o.id);
    const viewers = [
      ...(await Promise.all(Array.from({ length: WS_VIEWERS }, () => openWsViewer(port)))),
      ...(await Promise.all(Array.from({ length: SSE_VIEWERS }, () => openSseViewer(port)))),
    ];
    const cpuBefore = cpuSeconds(pollcast.pid);
    const votes = await drive(
      port,
      (i) => JSON.stringify({ questionId: question.id, optionId: optionIds[i % optionIds.length] }),
      true,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const serverCpu = cpuSeconds(pollcast.pid) - cpuBefore;
    for (const viewer of viewers) viewer.close();
    const delays = voteToViewer(
      votes.acks.map(({ sentAt, total }) => ({ at: sentAt, total })),
      viewers,
      10,
    );
    const final = (await (await fetch(`${base}/api/polls/default/results`)).json()).question;
    await stop(pollcast);
    return { votes, serverCpu, delays, storedTotal: final.totalVotes };
  } finally {
    if (pollcast.exitCode === null) pollcast.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const summary = (delays: number[]) =>
  `p50 ${ms(percentile(delays, 50))}   p95 ${ms(percentile(delays, 95))}   p99 ${ms(percentile(delays, 99))}   max ${ms(delays.at(-1) ?? Number.NaN)}   (${delays.length} samples)`;

/** A schema of its own in the PostgreSQL database, for a run on a database that others use too. */
async function freshSchema(url: string) {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await query(`create schema ${schema}`);
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  return { url: inSchema.toString(), drop: () => query(`drop schema ${schema} cascade`) };
}

/**
 * Open-loop votes at a steady rate, each voter distinct, whatever the answers' speed: when each
 * acknowledgement arrived and the total it carried.
 */
async function steadyVotes(port: number, questionId: number, optionIds: number[]) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 32, pipelining: 1 });
  const acks: { at: number; total: number }[] = [];
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const count = CROSS_RATE * CROSS_SECONDS;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / CROSS_RATE;
    if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
    inFlight.push(
      (async () => {
        const sentAt = performance.now();
        const res = await pool.request({
          method: 'POST',
          path: '/api/polls/default/votes',
          headers: { 'content-type': 'application/json', cookie: `pc_voter=cross-voter-${i}-xxxxxxxx` },
          body: JSON.stringify({ questionId, optionId: optionIds[i % optionIds.length] }),
        });
        const text = await res.body.text();
        const at = performance.now();
        latencies.push(at - sentAt);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode === 201) acks.push({ at, total: JSON.parse(text).question.totalVotes });
      })(),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { acks: acks.sort((a, b) => a.total - b.total), latencies, statuses, seconds, count };
}

/**
 * Three instances on one PostgreSQL database and one Redis: votes on A at a steady rate, viewers
 * on B and C. For each vote, from A's acknowledgement to the first results message on a viewer
 * of C (and of B) that includes it: what a voter at A sees against a screen served by another
 * instance.
 */
async function crossInstance(postgresUrl: string, redisUrl: string) {
  const database = await freshSchema(postgresUrl);
  const env = {
    ...SERVER_ENV,
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    // The Redis may be shared: this run's channels and keys are its own; the keys (limit counters) expire.
    REDIS_PREFIX: `pollcast-bench-${randomBytes(6).toString('hex')}:`,
  };
  const ports = [await freePort(), await freePort(), await freePort()];
  const instances: ChildProcess[] = [];
  try {
    for (const port of ports) instances.push(await start(['dist/server.js'], env, port));
    const [a = 0, b = 0, c = 0] = ports;
    const question = await liveQuestion(`http://127.0.0.1:${a}`);
    const half = Math.floor(CROSS_VIEWERS / 2);
    const open = (port: number) =>
      Promise.all([
        ...Array.from({ length: half }, () => openWsViewer(port)),
        ...Array.from({ length: CROSS_VIEWERS - half }, () => openSseViewer(port)),
      ]);
    const onB = await open(b);
    const onC = await open(c);
    await Promise.all([...onB, ...onC].map((viewer) => viewer.subscribed));
    const votes = await steadyVotes(
      a,
      question.id,
      question.options.map((o) => o.id),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const viewer of [...onB, ...onC]) viewer.close();
    const final = (await (await fetch(`http://127.0.0.1:${c}/api/polls/default/results`)).json()).question;
    const toC = voteToViewer(votes.acks, onC);
    const toB = voteToViewer(votes.acks, onB);
    const lines = [
      `Across instances — 3 processes on PostgreSQL and Redis, votes on A, ${CROSS_VIEWERS} viewers (WebSocket and SSE) on each of B and C`,
      `  votes sent            ${votes.count} at ${CROSS_RATE}/s in ${votes.seconds.toFixed(1)} s (statuses ${JSON.stringify(Object.fromEntries(votes.statuses))})`,
      `  ack latency on A      ${summary(votes.latencies)}`,
      `  vote-ack → screen C   ${summary(toC)}`,
      `  vote-ack → screen B   ${summary(toB)}`,
      `  stored total          ${final.totalVotes} (acknowledged ${votes.acks.length})`,
      '  (a screen that showed a vote before its acknowledgement arrived counts below 0)',
    ];
    console.log(lines.join('\n'));
    if (final.totalVotes !== votes.acks.length) {
      console.error('MISMATCH: stored votes differ from acknowledged votes');
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(instances.map(stop));
    await database.drop();
  }
}

/** A row of the table: its label, then one cell per column. */
const row = (label: string, cells: string[]) => `  ${label.padEnd(22)}${cells.map((cell) => cell.padEnd(24)).join('')}`;

async function main() {
  const runs: Figures[] = [];
  for (const workers of WORKER_COUNTS) runs.push(await measure(workers));

  const barePort = await freePort();
  const bare = await start(['--import', 'tsx', 'bench/bare-server.ts'], {}, barePort);
  const ceiling = await drive(barePort, (i) => JSON.stringify({ questionId: 1, optionId: i % 4 }), false);
  await stop(bare);
  const barePerSecond = ceiling.done / ceiling.seconds;

  const database = (process.env.BENCH_DATABASE_URL ?? 'sqlite').split(':')[0];
  const cells = (cell: (run: Figures) => string) => runs.map(cell);
  const votesPerSecond = (run: Figures) => run.votes.done / run.votes.seconds;
  const lines = [
    `Pollcast vote benchmark — ${database}, ${CONNECTIONS} connections, ${WS_VIEWERS} WebSocket + ${SSE_VIEWERS} SSE viewers, ${availableParallelism()} cores`,
    row(
      '',
      WORKER_COUNTS.map((n) => `WEB_CONCURRENCY=${n}`),
    ),
    row(
      'votes sent',
      cells((run) => `${run.votes.done} in ${run.votes.seconds.toFixed(1)} s`),
    ),
    row(
      'statuses',
      cells((run) => JSON.stringify(Object.fromEntries(run.votes.statuses))),
    ),
    row(
      'votes/s',
      cells((run) => votesPerSecond(run).toFixed(0)),
    ),
    row(
      'server CPU per vote',
      cells((run) => `${((run.serverCpu / run.votes.done) * 1e6).toFixed(0)} µs`),
    ),
    row(
      'ack latency p50',
      cells((run) => ms(percentile(run.votes.latencies, 50))),
    ),
    row(
      'ack latency p99',
      cells((run) => ms(percentile(run.votes.latencies, 99))),
    ),
    row(
      'vote-to-viewer p50',
      cells((run) => ms(percentile(run.delays, 50))),
    ),
    row(
      'vote-to-viewer p99',
      cells((run) => `${ms(percentile(run.delays, 99))} (${run.delays.length})`),
    ),
    row(
      'stored / acknowledged',
      cells((run) => `${run.storedTotal} / ${run.votes.acks.length}`),
    ),
    row(
      'vote path / ceiling',
      cells((run) => `${((votesPerSecond(run) / barePerSecond) * 100).toFixed(1)} %`),
    ),
    `  bare Fastify POST     ${barePerSecond.toFixed(0)} req/s   p50 ${ms(percentile(ceiling.latencies, 50))}   p99 ${ms(percentile(ceiling.latencies, 99))} (one process: the ceiling of one core)`,
    '  server CPU: user + system of every server process, broadcasts included; vote-to-viewer: samples in brackets',
  ];
  console.log(lines.join('\n'));
  if (runs.some((run) => run.storedTotal !== run.votes.acks.length)) {
    console.error('MISMATCH: stored votes differ from acknowledged votes');
    process.exitCode = 1;
  }
}

await main();
if (CROSS_POSTGRES_URL && CROSS_REDIS_URL) await crossInstance(CROSS_POSTGRES_URL, CROSS_REDIS_URL);
else
  console.log(
    'Across instances — skipped: set BENCH_REDIS_URL (or TEST_REDIS_URL) and a postgres:// BENCH_DATABASE_URL (or TEST_DATABASE_URL)',
  );
