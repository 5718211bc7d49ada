// Room benchmark: a big audience watching one poll while votes arrive at a steady rate. The
// audience is held by cheap clients in a process of their own (room-viewers.ts), the votes come
// from this one, and a few probe viewers of each transport here time every results message.
// Bounded by its rate and seconds, and only ever talks to 127.0.0.1.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuSeconds,
  liveQuestion,
  ms,
  percentile,
  row,
  rssBytes,
  startBareFastify,
  startPollcast,
  steadyVotes,
  stop,
  WARMUP_SECONDS,
} from './common.js';
import type { RoomReport } from './room-viewers.js';
import { openSseViewer, openWsViewer, type Viewer, voteToViewer } from './viewers.js';

/** BENCH_ROOM: a developer's quick loop (default), the big room, or the cost of a small quiet audience. */
const PRESETS = {
  default: { ws: 1_000, sse: 500, rate: 1_000, seconds: 5 },
  big: { ws: 10_000, sse: 5_000, rate: 1_000, seconds: 10 },
  quiet: { ws: 100, sse: 100, rate: 1_000, seconds: 10 },
};
const PRESET_NAME = (process.env.BENCH_ROOM ?? 'default') as keyof typeof PRESETS;
const PRESET = PRESETS[PRESET_NAME];
if (!PRESET) throw new Error(`BENCH_ROOM must be one of ${Object.keys(PRESETS).join(', ')}`);
const WS_VIEWERS = Number(process.env.BENCH_ROOM_WS ?? PRESET.ws);
const SSE_VIEWERS = Number(process.env.BENCH_ROOM_SSE ?? PRESET.sse);
const RATE = Number(process.env.BENCH_ROOM_RATE ?? PRESET.rate);
const SECONDS = Number(process.env.BENCH_ROOM_SECONDS ?? PRESET.seconds);
const PROBES = Number(process.env.BENCH_ROOM_PROBES ?? 5);
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1').split(',').map(Number);
const VIEWERS_READY_MS = 180_000;

interface Figures {
  opened: RoomReport;
  final: RoomReport;
  votes: Awaited<ReturnType<typeof steadyVotes>>;
  /** Votes acknowledged during the warm-up: stored too, and on every screen. */
  warmupAcked: number;
  serverCpuPercent: number;
  viewersCpuPercent: number;
  rssPerViewer: number;
  wsDelays: number[];
  sseDelays: number[];
  probesOnTotal: number;
  storedTotal: number;
}

/** The audience's process, once every viewer has its snapshot or was refused. */
async function openAudience(port: number): Promise<{ audience: ChildProcess; opened: RoomReport }> {
  const audience = fork(new URL('./room-viewers.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ROOM_PORT: String(port), ROOM_WS: String(WS_VIEWERS), ROOM_SSE: String(SSE_VIEWERS) },
  });
  try {
    return { audience, opened: await nextReport(audience, VIEWERS_READY_MS) };
  } catch (error) {
    audience.kill();
    throw error;
  }
}

function nextReport(audience: ChildProcess, timeoutMs = 10_000): Promise<RoomReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the viewers process did not answer')), timeoutMs);
    audience.once('message', (message: { report: RoomReport }) => {
      clearTimeout(timer);
      resolve(message.report);
    });
  });
}

const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The room's votes, at RATE a second from 64 connections, for this long: the warm-up or the measure. */
const votesAtRate = (port: number, question: Parameters<typeof steadyVotes>[1], seconds: number) =>
  steadyVotes(port, question, { rate: RATE, seconds, connections: 64 });

/** One Pollcast with this many workers, its room filled, then votes at the steady rate. */
async function measure(workers: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'pollcast-room-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${join(dir, 'bench.db')}`;
  // Every viewer comes from 127.0.0.1: the caps are raised above the room, not removed.
  const cap = String(Math.min(1_000_000, WS_VIEWERS + SSE_VIEWERS + 2 * PROBES + 100));
  const {
    server: pollcast,
    port,
    base,
  } = await startPollcast({
    DATABASE_URL: databaseUrl,
    WEB_CONCURRENCY: String(workers),
    LIVE_CONNECTIONS_PER_ADDRESS: cap,
    LIVE_CONNECTIONS_PER_INSTANCE: cap,
    SHUTDOWN_DELAY_MS: '0',
  });
  let audience: ChildProcess | undefined;
  const probes: Viewer[] = [];
  try {
    const question = await liveQuestion(base);
    await pause(500);
    const rssBefore = rssBytes(pollcast.pid);
    const room = await openAudience(port);
    audience = room.audience;
    const wsProbes = await Promise.all(Array.from({ length: PROBES }, () => openWsViewer(port)));
    const sseProbes = await Promise.all(Array.from({ length: PROBES }, () => openSseViewer(port)));
    probes.push(...wsProbes, ...sseProbes);
    await Promise.all(probes.map((probe) => probe.subscribed));
    await pause(1000);
    const rssAfter = rssBytes(pollcast.pid);
    const viewerCount = room.opened.ws.open + room.opened.sse.open + probes.length;

    const warmup = await votesAtRate(port, question, WARMUP_SECONDS);
    const cpuBefore = cpuSeconds(pollcast.pid);
    const audienceCpuBefore = cpuSeconds(audience.pid);
    const votes = await votesAtRate(port, question, SECONDS);
    const serverCpuPercent = ((cpuSeconds(pollcast.pid) - cpuBefore) / votes.seconds) * 100;
    const viewersCpuPercent = ((cpuSeconds(audience.pid) - audienceCpuBefore) / votes.seconds) * 100;
    await pause(1500);

    const storedTotal = (await (await fetch(`${base}/api/polls/default/results`)).json()).question.totalVotes;
    audience.send('report');
    const final = await nextReport(audience);
    return {
      opened: room.opened,
      final,
      votes,
      warmupAcked: warmup.acks.length,
      serverCpuPercent,
      viewersCpuPercent,
      rssPerViewer: (rssAfter - rssBefore) / viewerCount,
      wsDelays: voteToViewer(votes.acks, wsProbes),
      sseDelays: voteToViewer(votes.acks, sseProbes),
      probesOnTotal: probes.filter((probe) => probe.seen.at(-1)?.total === storedTotal).length,
      storedTotal,
    };
  } finally {
    for (const probe of probes) probe.close();
    if (audience?.connected) audience.send('close');
    await stop(pollcast);
    rmSync(dir, { recursive: true, force: true });
  }
}

const onTotal = (report: RoomReport, total: number) => {
  const open = Object.values(report.lastTotals).reduce((sum, count) => sum + count, 0);
  return `${report.lastTotals[total] ?? 0} / ${open}`;
};

/** The floor: server CPU of a bare Fastify answering the same votes at the same rate, no viewers. */
async function bareCpuPercent(): Promise<number> {
  const { server: bare, port } = await startBareFastify();
  try {
    const question = { id: 1, options: [{ id: 1 }] };
    await votesAtRate(port, question, WARMUP_SECONDS);
    const cpuBefore = cpuSeconds(bare.pid);
    const votes = await votesAtRate(port, question, SECONDS);
    return ((cpuSeconds(bare.pid) - cpuBefore) / votes.seconds) * 100;
  } finally {
    await stop(bare);
  }
}

async function main() {
  const runs: Figures[] = [];
  for (const workers of WORKER_COUNTS) runs.push(await measure(workers));
  const bareCpu = await bareCpuPercent();

  const database = (process.env.BENCH_DATABASE_URL ?? 'sqlite').split(':')[0];
  const cells = (cell: (run: Figures) => string) => runs.map(cell);
  const delays = (label: string, pick: (run: Figures) => number[]) =>
    row(
      label,
      cells((run) => `${ms(percentile(pick(run), 50))} / ${ms(percentile(pick(run), 99))}`),
    );
  const lines = [
    `Pollcast room benchmark (${PRESET_NAME}) — ${database}, ${WS_VIEWERS} WebSocket + ${SSE_VIEWERS} SSE viewers + ${PROBES} probes of each, ${RATE} votes/s for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, ${availableParallelism()} cores`,
    row(
      '',
      WORKER_COUNTS.map((n) => `WEB_CONCURRENCY=${n}`),
    ),
    row(
      'viewers WS / SSE',
      cells((run) => `${run.opened.ws.open} / ${run.opened.sse.open}`),
    ),
    row(
      'refused WS / SSE',
      cells((run) => `${run.opened.ws.refused} / ${run.opened.sse.refused}`),
    ),
    row(
      'votes asked / acked',
      cells((run) => `${run.votes.count} / ${run.votes.acks.length} in ${run.votes.seconds.toFixed(1)} s`),
    ),
    row(
      'statuses',
      cells((run) => JSON.stringify(Object.fromEntries(run.votes.statuses))),
    ),
    row(
      'ack p50 / p99',
      cells((run) => `${ms(percentile(run.votes.latencies, 50))} / ${ms(percentile(run.votes.latencies, 99))}`),
    ),
    delays('ack → WS p50 / p99', (run) => run.wsDelays),
    delays('ack → SSE p50 / p99', (run) => run.sseDelays),
    row(
      'server CPU (1 core)',
      cells((run) => `${run.serverCpuPercent.toFixed(0)} %`),
    ),
    row(
      'viewers process CPU',
      cells((run) => `${run.viewersCpuPercent.toFixed(0)} %`),
    ),
    row(
      'server RSS per viewer',
      cells((run) => `${(run.rssPerViewer / 1024).toFixed(1)} KiB`),
    ),
    row(
      'dropped WS / SSE',
      cells((run) => `${run.final.ws.dropped} / ${run.final.sse.dropped}`),
    ),
    row(
      'messages WS / SSE',
      cells((run) => `${run.final.ws.messages} / ${run.final.sse.messages}`),
    ),
    row(
      'stored total',
      cells((run) => `${run.storedTotal} (${run.warmupAcked} in the warm-up)`),
    ),
    row(
      'viewers on it',
      cells((run) => onTotal(run.final, run.storedTotal)),
    ),
    row(
      'probes on it',
      cells((run) => `${run.probesOnTotal} / ${2 * PROBES}`),
    ),
    "  ack → screen: from a vote's acknowledgement to the first results message on a probe that includes it (below 0: shown before it was acknowledged)",
    `  bare Fastify answering the same votes at the same rate, no viewers: server CPU ${bareCpu.toFixed(0)} %`,
    '  server CPU: user + system of every server process over the voting window, 100 % = one core',
  ];
  console.log(lines.join('\n'));
  const wrong = runs.some(
    (run) =>
      run.storedTotal !== run.warmupAcked + run.votes.acks.length ||
      run.probesOnTotal !== 2 * PROBES ||
      (run.final.lastTotals[run.storedTotal] ?? 0) !== run.final.ws.open + run.final.sse.open,
  );
  if (wrong) {
    console.error('MISMATCH: a viewer or the stored total differs from the acknowledged votes');
    process.exitCode = 1;
  }
}

await main();
