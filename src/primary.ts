import cluster, { type Worker } from 'node:cluster';
import { banner, baseUrlOf, firstAdminLines } from './banner.js';
import { type Config, configWarnings } from './config.js';
import { createDb } from './db/create-db.js';
import { migrateToLatest } from './db/migrate.js';
import { type BootInfo, ensureFirstRecords } from './first-records.js';
import { primaryLogger } from './logging.js';
import { relayLiveMessages } from './realtime/cluster-broadcaster.js';
import { resolveSessionSecret } from './session-secret.js';

// The primary process of WEB_CONCURRENCY: it serves nothing itself. It prepares the database once,
// starts the workers (each a whole Pollcast, sharing the port through node:cluster), relays live
// messages between them, replaces a worker that dies, and stops them all on SIGTERM or SIGINT.

/** A worker that dies sooner than this after its start failed to start: its replacement waits. */
const STABLE_AFTER_MS = 10_000;
const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 30_000;

/** How long a replacement waits: at once after a worker that had been serving, longer after each failed start. */
function restartDelayMs(failedStarts: number): number {
  return failedStarts === 0 ? 0 : Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failedStarts - 1));
}

/** One place for a worker: the worker there now, and how its predecessors fared. */
interface Slot {
  worker: Worker | undefined;
  startedAt: number;
  failedStarts: number;
  restart: NodeJS.Timeout | undefined;
}

/**
 * What each worker would otherwise do at once on a new database, done here before they start: the
 * schema, the session secret they must all sign with, the first admin (its generated password is
 * shown here, once) and the default poll.
 */
async function prepare(config: Config): Promise<BootInfo> {
  const db = createDb(config.database);
  try {
    await migrateToLatest(db);
    await resolveSessionSecret(config.sessionSecret, db, config.dataDir);
    return await ensureFirstRecords(db, config.admin);
  } finally {
    await db.destroy();
  }
}

export async function runPrimary(config: Config): Promise<void> {
  const log = primaryLogger(config);
  for (const warning of configWarnings(config)) log.warn(warning);
  const boot = await prepare(config);
  relayLiveMessages(cluster);

  const slots: Slot[] = Array.from({ length: config.webConcurrency }, () => ({
    worker: undefined,
    startedAt: 0,
    failedStarts: 0,
    restart: undefined,
  }));
  let phase: 'starting' | 'serving' | 'stopping' = 'starting';
  let listening = 0;
  let stopFailed = false;
  let stopSignal: NodeJS.Signals | undefined;

  const start = (slot: Slot) => {
    slot.restart = undefined;
    slot.startedAt = Date.now();
    const worker = cluster.fork();
    slot.worker = worker;
    worker.once('listening', ({ port }) => {
      if (phase !== 'starting' || ++listening < slots.length) return;
      phase = 'serving';
      log.info({ workers: slots.length }, 'every worker is serving');
      process.stdout.write(banner(baseUrlOf(config, port), boot.admin));
    });
  };

  const finishIfAllStopped = () => {
    if (slots.some((slot) => slot.worker)) return;
    process.exit(stopFailed ? 1 : 0);
  };

  const stop = (signal: NodeJS.Signals) => {
    if (phase === 'stopping') return;
    phase = 'stopping';
    stopSignal = signal;
    log.info({ signal }, 'stopping every worker');
    const deadline = setTimeout(() => {
      log.error('workers did not stop in time; ending them');
      for (const slot of slots) slot.worker?.process.kill('SIGKILL');
      process.exit(1);
    }, config.shutdownGraceMs);
    deadline.unref();
    for (const slot of slots) {
      clearTimeout(slot.restart);
      // Each worker runs its own graceful stop. Its IPC channel stays open meanwhile, so that its
      // last counts still reach the other workers' viewers.
      slot.worker?.process.kill(signal);
    }
    finishIfAllStopped();
  };

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.find((each) => each.worker === worker);
    if (!slot) return;
    slot.worker = undefined;
    const how = signal ?? code;
    if (phase === 'stopping') {
      // Ended by the signal itself, a worker was still starting (it handles the signal once it
      // serves): it held no votes, and its end is as clean as a graceful stop.
      if (code !== 0 && signal !== stopSignal) stopFailed = true;
      return finishIfAllStopped();
    }
    if (phase === 'starting') {
      // As a single process would: a server that cannot start says so and exits, rather than retrying forever.
      log.error({ workerId: worker.id, exit: how }, 'a worker could not start; stopping');
      // The admin exists from now on: its password is shown even though the server did not start.
      const adminLines = firstAdminLines(boot.admin);
      if (adminLines.length > 0) process.stdout.write(`${adminLines.join('\n')}\n`);
      stopFailed = true;
      return stop('SIGTERM');
    }
    slot.failedStarts = Date.now() - slot.startedAt < STABLE_AFTER_MS ? slot.failedStarts + 1 : 0;
    const delay = restartDelayMs(slot.failedStarts);
    log.error({ workerId: worker.id, exit: how, restartInMs: delay }, 'a worker exited unexpectedly; replacing it');
    slot.restart = setTimeout(() => start(slot), delay);
  });

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  for (const slot of slots) start(slot);
}
