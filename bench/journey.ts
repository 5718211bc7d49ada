// Voter journey benchmark: what every phone in the room does — a new connection, the voting page
// (which hands out the voter cookie), then a vote with that cookie — many journeys in flight,
// against Pollcast and against a bare Fastify server answering the same two requests.
// Bounded by its journey count, and only ever talks to 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'undici';
import {
  cpuSeconds,
  liveQuestion,
  ms,
  percentile,
  row,
  startBareFastify,
  startPollcast,
  stop,
  voteBody,
  WARMUP_SECONDS,
} from './common.js';

const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 2_000);
const IN_FLIGHT = 50;
const VOTES_PATH = '/api/polls/default/votes';

interface Figures {
  journeys: number;
  seconds: number;
  cpuSeconds: number;
  latencies: number[];
  statuses: Map<number, number>;
  connections: number;
  pageBytes: number;
  acked: number;
}

/** The `pc_voter=…` pair of a set-cookie header, as the browser would send it back. */
function voterCookie(header: string | string[] | undefined): string | undefined {
  return [header ?? []]
    .flat()
    .find((cookie) => cookie.startsWith('pc_voter='))
    ?.split(';')[0];
}

/**
 * Every journey on a connection of its own, closed after: no phone shares another's socket.
 * JOURNEYS of them, or (a warm-up) as many as fit in `seconds`.
 */
async function journeys(
  port: number,
  pid: number | undefined,
  vote: (i: number) => string,
  seconds = Number.POSITIVE_INFINITY,
): Promise<Figures> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let connections = 0;
  let pageBytes = 0;
  let next = 0;
  const journey = async (i: number) => {
    const startedAt = performance.now();
    const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 });
    client.on('connect', () => connections++);
    try {
      const page = await client.request({ method: 'GET', path: '/vote' });
      pageBytes = Buffer.byteLength(await page.body.text());
      const cookie = voterCookie(page.headers['set-cookie']);
      if (page.statusCode !== 200 || !cookie) throw new Error(`GET /vote answered ${page.statusCode} without a cookie`);
      const res = await client.request({
        method: 'POST',
        path: VOTES_PATH,
        headers: { 'content-type': 'application/json', cookie },
        body: vote(i),
      });
      await res.body.text();
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      latencies.push(performance.now() - startedAt);
    } finally {
      await client.close();
    }
  };
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < JOURNEYS && performance.now() < deadline) await journey(next++);
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    journeys: latencies.length,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSeconds(pid) - cpuBefore,
    latencies,
    statuses,
    connections,
    pageBytes,
    acked: statuses.get(201) ?? 0,
  };
}

async function pollcast(): Promise<Figures & { stored: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'pollcast-journey-'));
  const { server, port, base } = await startPollcast({
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    WEB_CONCURRENCY: '1',
    SHUTDOWN_DELAY_MS: '0',
  });
  try {
    const vote = voteBody(await liveQuestion(base));
    const warmup = await journeys(port, server.pid, vote, WARMUP_SECONDS);
    const figures = await journeys(port, server.pid, vote);
    const stored = (await (await fetch(`${base}/api/polls/default/results`)).json()).question.totalVotes;
    // The warm-up's votes are stored too: what this run stored is the rest.
    return { ...figures, stored: stored - warmup.acked };
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bare(): Promise<Figures> {
  const { server, port } = await startBareFastify();
  try {
    const vote = (i: number) => JSON.stringify({ questionId: 1, optionId: i % 4 });
    await journeys(port, server.pid, vote, WARMUP_SECONDS);
    return await journeys(port, server.pid, vote);
  } finally {
    await stop(server);
  }
}

async function main() {
  const ceiling = await bare();
  const ours = await pollcast();
  const cpuPerJourney = (run: Figures) => (run.cpuSeconds / run.journeys) * 1000;
  const perSecond = (run: Figures) => run.journeys / run.seconds;
  const cells = (cell: (run: Figures) => string) => [ours, ceiling].map(cell);
  const lines = [
    `Pollcast voter journey benchmark — ${JOURNEYS} journeys, ${IN_FLIGHT} in flight, each on a new connection: GET /vote, then POST ${VOTES_PATH} with its cookie; after ${WARMUP_SECONDS} s of warm-up; sqlite, ${availableParallelism()} cores`,
    row('', ['Pollcast', 'bare Fastify']),
    row(
      'journeys / s',
      cells((run) => perSecond(run).toFixed(0)),
    ),
    row(
      'server CPU / journey',
      cells((run) => `${cpuPerJourney(run).toFixed(2)} ms`),
    ),
    row(
      'journey p50 / p99',
      cells((run) => `${ms(percentile(run.latencies, 50))} / ${ms(percentile(run.latencies, 99))}`),
    ),
    row(
      'connections opened',
      cells((run) => String(run.connections)),
    ),
    row(
      'page bytes',
      cells((run) => String(run.pageBytes)),
    ),
    row(
      'vote statuses',
      cells((run) => JSON.stringify(Object.fromEntries(run.statuses))),
    ),
    `  Pollcast / bare: ${(perSecond(ours) / perSecond(ceiling)).toFixed(2)}× the journeys/s, ${(cpuPerJourney(ceiling) / cpuPerJourney(ours)).toFixed(2)}× the journeys per CPU second (target ≥ 0.6×)`,
    `  stored ${ours.stored} = acknowledged ${ours.acked}: ${ours.stored === ours.acked ? 'yes' : 'NO'}`,
    '  server CPU: user + system of the server process over the measured journeys, divided by them',
  ];
  console.log(lines.join('\n'));
  if (ours.stored !== ours.acked || ours.acked !== JOURNEYS || ours.connections !== JOURNEYS) {
    console.error('MISMATCH: a vote was refused or lost, or a connection was shared');
    process.exitCode = 1;
  }
}

await main();
