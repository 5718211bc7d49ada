import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { banner, baseUrlOf } from './banner.js';
import { type Config, ConfigError, configWarnings, loadConfig, loadEnvFile } from './config.js';
import type { UnexpectedErrorKind } from './plugins/metrics.js';
import { runPrimary } from './primary.js';

// Process entry: configuration, listen, start banner, graceful stop. With WEB_CONCURRENCY above 1,
// this same file runs as the primary, which starts the workers, and as each worker.

async function main() {
  loadEnvFile();
  const config = loadConfig();
  if (config.webConcurrency > 1 && cluster.isPrimary) await runPrimary(config);
  else await serve(config);
}

/** One Pollcast: the whole of it, or one worker of several, whose primary speaks for them all at start. */
async function serve(config: Config) {
  const app = await buildApp(config);
  surviveUnexpectedErrors(app);
  if (cluster.isPrimary) for (const warning of configWarnings(config)) app.log.warn(warning);
  await app.listen({ port: config.port, host: config.host });
  if (cluster.isPrimary) {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    process.stdout.write(banner(baseUrlOf(config, port), app.boot.admin));
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    const timer = setTimeout(() => {
      app.log.error('could not stop in time; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    timer.unref();
    // Readiness fails first, so that a load balancer stops sending new voters here while the
    // votes in flight finish; then the close writes the last batch, sends the last counts and
    // tells every live viewer to go away (1001) and reconnect elsewhere.
    app.stopAcceptingTraffic();
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/**
 * An error no code caught (a throw in a library's callback, a rejection nobody awaited) is
 * logged and counted, and the process serves on. Exiting would cut off every voter and screen
 * of every poll, and gain nothing: each vote and question is committed before it is
 * acknowledged, counts are re-read after commit and viewers resync from a snapshot, so what is
 * in memory is derived; the vote batcher, the OCR engines and the live publisher each settle
 * their own callers when they fail.
 */
function surviveUnexpectedErrors(app: FastifyInstance) {
  const report = (kind: UnexpectedErrorKind) => (error: unknown) => {
    app.log.error({ err: error, kind }, 'unexpected error, serving on');
    app.metrics.unexpectedError(kind);
  };
  process.on('uncaughtException', report('uncaughtException'));
  process.on('unhandledRejection', report('unhandledRejection'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Pollcast could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
