// What every benchmark shares: starting and stopping Pollcast, a live question, open-loop
// votes, and reading a process's CPU time and memory from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Pool } from 'undici';

export const PASSWORD = 'bench-admin-password';
/** The settings of every Pollcast the benchmark starts. */
export const SERVER_ENV = {
  ADMIN_PASSWORD: PASSWORD,
  LOG_LEVEL: 'warn',
  OCR_PROVIDER: 'tesseract',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
  // Every simulated voter comes from this one address: the ceiling is raised, not removed,
  // so the limit's bookkeeping is part of what is measured.
  RATE_LIMIT_VOTES_PER_ADDRESS: '1000000',
};

/**
 * Seconds of the same load before each measured window, for Pollcast and the bare server alike
 * (BENCH_WARMUP_SECONDS, 5). Cold, V8 is still compiling the hot paths: a quiet room measured
 * from the start cost a third more CPU in its first 10 s than once warm, most of it in compiler
 * threads, where a room that has been voting for a while pays none of it.
 */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Starts a server and resolves once it answers, and (if given) once it has printed `readyLine`: all its workers listen. */
export async function start(
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

/** The bare Fastify server of bare-server.ts, the ceiling each benchmark compares with, on a free port. */
export async function startBareFastify() {
  const port = await freePort();
  return { server: await start(['--import', 'tsx', 'bench/bare-server.ts'], {}, port), port };
}

/** BENCH_CPU_PROF=DIR: Node's flags for a CPU profile of the server, written to DIR when it stops. */
const profilingArgs = (): string[] =>
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];

/** Pollcast from dist/ with the benchmark's settings and these, on a free port, once all its workers listen. */
export async function startPollcast(env: Record<string, string>) {
  const port = await freePort();
  const server = await start(
    [...profilingArgs(), 'dist/server.js'],
    { ...SERVER_ENV, ...env },
    port,
    'Pollcast is running',
  );
  return { server, port, base: `http://127.0.0.1:${port}` };
}

export const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Signs in as the admin and makes a new live question on the default poll: single choice, unless `fields` say another kind. */
export async function liveQuestion(
  base: string,
  fields: object = { options: ['A', 'B', 'C', 'D'] },
): Promise<{ id: number; options: { id: number }[] }> {
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
      body: JSON.stringify({ text: `Benchmark ${Date.now()}`, ...fields, activate: true }),
    })
  ).json();
  return question;
}

/** The JSON body of vote `i` on the question: the options taken in turn. */
export const voteBody = (question: { id: number; options: { id: number }[] }) => (i: number) =>
  JSON.stringify({ questionId: question.id, optionId: question.options[i % question.options.length]?.id });

export const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux). Per vote, this is
 * the server's own cost, which the throughput of a 2-core machine shared with the load
 * generator shows only through noise.
 */
export function cpuSeconds(pid: number | undefined): number {
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

/** A row of the table: its label, then one cell per column. */
export const row = (label: string, cells: string[]) =>
  `  ${label.padEnd(22)}${cells.map((cell) => cell.padEnd(24)).join('')}`;

export const summary = (delays: number[]) =>
  `p50 ${ms(percentile(delays, 50))}   p95 ${ms(percentile(delays, 95))}   p99 ${ms(percentile(delays, 99))}   max ${ms(delays.at(-1) ?? Number.NaN)}   (${delays.length} samples)`;

/**
 * Open-loop votes at a steady rate, each voter distinct, whatever the answers' speed: when each
 * acknowledgement arrived and the total it carried.
 */
export async function steadyVotes(
  port: number,
  question: { id: number; options: { id: number }[] },
  { rate, seconds, connections = 32 }: { rate: number; seconds: number; connections?: number },
) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 });
  const acks: { at: number; total: number }[] = [];
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const count = Math.round(rate * seconds);
  const optionIds = question.options.map((o) => o.id);
  // Distinct voters from run to run too, so that a reused database (BENCH_DATABASE_URL) takes every vote.
  const run = randomBytes(6).toString('hex');
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
    inFlight.push(
      (async () => {
        const sentAt = performance.now();
        const res = await pool.request({
          method: 'POST',
          path: '/api/polls/default/votes',
          headers: { 'content-type': 'application/json', cookie: `pc_voter=voter-${run}-${i}` },
          body: JSON.stringify({ questionId: question.id, optionId: optionIds[i % optionIds.length] }),
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
  const took = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { acks: acks.sort((a, b) => a.total - b.total), latencies, statuses, seconds: took, count };
}

/** Resident memory of a process and its children (the workers), in bytes, from /proc (Linux). */
export function rssBytes(pid: number | undefined): number {
  try {
    const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    return kilobytes * 1024 + children.reduce((sum, child) => sum + rssBytes(Number(child)), 0);
  } catch {
    return Number.NaN;
  }
}
