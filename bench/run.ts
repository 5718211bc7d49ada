// Load benchmark: votes from many simulated voters over HTTP while WebSocket and SSE viewers
// watch, with each WEB_CONCURRENCY of BENCH_WORKERS side by side, compared with a bare Fastify
// endpoint driven by the same load loop.
// Bounded: it stops after BENCH_VOTES votes or BENCH_SECONDS seconds, whichever comes first,
// and only ever talks to 127.0.0.1.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Pool } from 'undici';
import {
  cpuSeconds,
  freePort,
  liveQuestion,
  ms,
  percentile,
  row,
  SERVER_ENV,
  start,
  startBareFastify,
  startPollcast,
  steadyVotes,
  stop,
  summary,
  voteBody,
  WARMUP_SECONDS,
} from './common.js';
import { openSseViewer, openWsViewer, voteToViewer } from './viewers.js';

const VOTES = Number(process.env.BENCH_VOTES ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WS_VIEWERS = Number(process.env.BENCH_WS_VIEWERS ?? 100);
const SSE_VIEWERS = Number(process.env.BENCH_SSE_VIEWERS ?? 100);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
// Several instances: a PostgreSQL database and a Redis they share (the tests' ones serve too).
const CROSS_REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL;
const CROSS_POSTGRES_URL = [process.env.BENCH_DATABASE_URL, process.env.TEST_DATABASE_URL].find((url) =>
  url?.startsWith('postgres'),
);
const CROSS_RATE = Number(process.env.BENCH_CROSS_RATE ?? 200);
const CROSS_SECONDS = Number(process.env.BENCH_CROSS_SECONDS ?? 10);
const CROSS_VIEWERS = Number(process.env.BENCH_CROSS_VIEWERS ?? 100);

interface LoadResult {
  done: number;
  seconds: number;
  latencies: number[];
  acks: { sentAt: number; total: number }[];
  statuses: Map<number, number>;
}

/**
 * Closed-loop load: CONNECTIONS requests in flight, each voter distinct (named after `voters`),
 * until the count or time runs out.
 */
async function drive(
  port: number,
  body: (i: number) => string,
  { parseTotal, voters, seconds = SECONDS }: { parseTotal: boolean; voters: string; seconds?: number },
): Promise<LoadResult> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  const acks: { sentAt: number; total: number }[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (next < VOTES && performance.now() < deadline) {
      const i = next++;
      const sentAt = performance.now();
      const res = await pool.request({
        method: 'POST',
        path: '/api/polls/default/votes',
        headers: { 'content-type': 'application/json', cookie: `pc_voter=${voters}-voter-${i}-xxxxxx` },
        body: body(i),
      });
      const text = await res.body.text();
      latencies.push(performance.now() - sentAt);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (parseTotal && res.statusCode === 201) acks.push({ sentAt, total: JSON.parse(text).question.totalVotes });
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const took = (performance.now() - started) / 1000;
  await pool.close();
  return { done: latencies.length, seconds: took, latencies: latencies.sort((a, b) => a - b), acks, statuses };
}

interface Figures {
  votes: LoadResult;
  /** Votes acknowledged during the warm-up: stored too. */
  warmupAcked: number;
  serverCpu: number;
  delays: number[];
  storedTotal: number;
}

/** One Pollcast with this many workers on a database of its own (or on BENCH_DATABASE_URL), under the load. */
async function measure(workers: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'pollcast-bench-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`;
  const {
    server: pollcast,
    port,
    base,
  } = await startPollcast({
    DATABASE_URL: databaseUrl,
    WEB_CONCURRENCY: String(workers),
  });
  try {
    const question = await liveQuestion(base);
    const viewers = [
      ...(await Promise.all(Array.from({ length: WS_VIEWERS }, () => openWsViewer(port)))),
      ...(await Promise.all(Array.from({ length: SSE_VIEWERS }, () => openSseViewer(port)))),
    ];
    const warmup = await drive(port, voteBody(question), { parseTotal: true, voters: 'warm', seconds: WARMUP_SECONDS });
    const cpuBefore = cpuSeconds(pollcast.pid);
    const votes = await drive(port, voteBody(question), { parseTotal: true, voters: 'bench' });
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
    return { votes, warmupAcked: warmup.acks.length, serverCpu, delays, storedTotal: final.totalVotes };
  } finally {
    if (pollcast.exitCode === null) pollcast.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

// Every kind of question under the same load. The others may cost more than a single choice:
// several counters a vote (multiple choice picks two options, a ranking orders four), words
// counted in a table of their own (two of fifty), a row a vote on an open question's wall.
const WORDS = Array.from({ length: 50 }, (_, i) => `word${i}`);
const KINDS: {
  name: string;
  fields: object;
  answer: (question: { options: { id: number }[] }, i: number) => object;
}[] = [
  { name: 'choice', fields: { options: ['A', 'B', 'C', 'D'] }, answer: (q, i) => ({ optionId: q.options[i % 4]?.id }) },
  {
    name: 'multi',
    fields: { kind: 'multi', options: ['A', 'B', 'C', 'D'] },
    answer: (q, i) => ({ optionIds: [q.options[i % 4]?.id, q.options[(i + 1 + (i % 3)) % 4]?.id] }),
  },
  { name: 'rating', fields: { kind: 'rating' }, answer: (_, i) => ({ value: (i % 5) + 1 }) },
  {
    name: 'ranking',
    fields: { kind: 'ranking', options: ['A', 'B', 'C', 'D'] },
    answer: (q, i) => ({ ranking: q.options.map((_, place) => q.options[(i + place) % 4]?.id) }),
  },
  {
    name: 'wordcloud',
    fields: { kind: 'wordcloud' },
    answer: (_, i) => ({ words: [WORDS[i % 50], WORDS[(i * 7 + 1) % 50]] }),
  },
  { name: 'text', fields: { kind: 'text' }, answer: (_, i) => ({ text: `Answer number ${i}` }) },
];

interface KindFigures {
  name: string;
  votes: LoadResult;
  cpuPerVote: number;
  stored: number;
  acknowledged: number;
}

/** Each kind's CPU per vote, one after another on one Pollcast (one worker), with viewers watching. */
async function measureKinds(): Promise<KindFigures[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pollcast-bench-'));
  const { server, port, base } = await startPollcast({
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`,
    WEB_CONCURRENCY: '1',
  });
  try {
    const viewers = [
      ...(await Promise.all(Array.from({ length: WS_VIEWERS }, () => openWsViewer(port)))),
      ...(await Promise.all(Array.from({ length: SSE_VIEWERS }, () => openSseViewer(port)))),
    ];
    const figures: KindFigures[] = [];
    for (const kind of KINDS) {
      const question = await liveQuestion(base, kind.fields);
      const body = (i: number) => JSON.stringify({ questionId: question.id, ...kind.answer(question, i) });
      const warmup = await drive(port, body, {
        parseTotal: true,
        voters: `${kind.name}-warm`,
        seconds: WARMUP_SECONDS,
      });
      const cpuBefore = cpuSeconds(server.pid);
      const votes = await drive(port, body, { parseTotal: true, voters: `${kind.name}-bench` });
      await new Promise((resolve) => setTimeout(resolve, 500));
      const cpu = cpuSeconds(server.pid) - cpuBefore;
      const final = (await (await fetch(`${base}/api/polls/default/results`)).json()).question;
      figures.push({
        name: kind.name,
        votes,
        cpuPerVote: cpu / votes.done,
        stored: final.totalVotes,
        acknowledged: warmup.acks.length + votes.acks.length,
      });
    }
    for (const viewer of viewers) viewer.close();
    await stop(server);
    return figures;
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

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
    const votes = await steadyVotes(a, question, { rate: CROSS_RATE, seconds: CROSS_SECONDS });
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

async function main() {
  const runs: Figures[] = [];
  for (const workers of WORKER_COUNTS) runs.push(await measure(workers));

  const { server: bare, port: barePort } = await startBareFastify();
  const bareBody = (i: number) => JSON.stringify({ questionId: 1, optionId: i % 4 });
  await drive(barePort, bareBody, { parseTotal: false, voters: 'warm', seconds: WARMUP_SECONDS });
  const ceiling = await drive(barePort, bareBody, { parseTotal: false, voters: 'bench' });
  await stop(bare);
  const barePerSecond = ceiling.done / ceiling.seconds;

  const database = (process.env.BENCH_DATABASE_URL ?? 'sqlite').split(':')[0];
  const cells = (cell: (run: Figures) => string) => runs.map(cell);
  const votesPerSecond = (run: Figures) => run.votes.done / run.votes.seconds;
  const lines = [
    `Pollcast vote benchmark — ${database}, ${CONNECTIONS} connections, ${WS_VIEWERS} WebSocket + ${SSE_VIEWERS} SSE viewers, after ${WARMUP_SECONDS} s of warm-up, ${availableParallelism()} cores`,
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
      cells((run) => `${run.storedTotal} / ${run.warmupAcked} + ${run.votes.acks.length}`),
    ),
    row(
      'vote path / ceiling',
      cells((run) => `${((votesPerSecond(run) / barePerSecond) * 100).toFixed(1)} %`),
    ),
    `  bare Fastify POST     ${barePerSecond.toFixed(0)} req/s   p50 ${ms(percentile(ceiling.latencies, 50))}   p99 ${ms(percentile(ceiling.latencies, 99))} (one process: the ceiling of one core)`,
    '  server CPU: user + system of every server process, broadcasts included; vote-to-viewer: samples in brackets',
  ];
  console.log(lines.join('\n'));
  if (runs.some((run) => run.storedTotal !== run.warmupAcked + run.votes.acks.length)) {
    console.error('MISMATCH: stored votes differ from acknowledged votes');
    process.exitCode = 1;
  }

  const kinds = await measureKinds();
  const choiceCpu = kinds[0]?.cpuPerVote ?? Number.NaN;
  console.log(
    [
      `Kinds of question — ${database}, WEB_CONCURRENCY=1, the same load and viewers, one kind after another`,
      row(
        '',
        kinds.map((kind) => kind.name),
      ),
      row(
        'votes/s',
        kinds.map((kind) => (kind.votes.done / kind.votes.seconds).toFixed(0)),
      ),
      row(
        'server CPU per vote',
        kinds.map((kind) => `${(kind.cpuPerVote * 1e6).toFixed(0)} µs`),
      ),
      row(
        'CPU per vote / choice',
        kinds.map((kind) => `${(kind.cpuPerVote / choiceCpu).toFixed(2)}×`),
      ),
      row(
        'ack latency p99',
        kinds.map((kind) => ms(percentile(kind.votes.latencies, 99))),
      ),
      row(
        'stored / acknowledged',
        kinds.map((kind) => `${kind.stored} / ${kind.acknowledged}`),
      ),
    ].join('\n'),
  );
  if (kinds.some((kind) => kind.stored !== kind.acknowledged)) {
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
