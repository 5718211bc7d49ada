import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { ConfigError, configWarnings, loadConfig, loadEnvFile } from './config.js';
import type { UnexpectedErrorKind } from './plugins/metrics.js';

// Process entry: configuration, listen, start banner, graceful stop.

function banner(app: FastifyInstance, baseUrl: string): string {
  const { username, generatedPassword } = app.boot.admin;
  const lines = [
    '',
    '  Pollcast is running.',
    '',
    `  Home:     ${baseUrl}/   (join by code, or make a quick poll)`,
    `  Vote:     ${baseUrl}/vote`,
    `  Results:  ${baseUrl}/results`,
    `  Admin:    ${baseUrl}/admin`,
    `  API:      ${baseUrl}/api/docs`,
  ];
  if (generatedPassword) {
    lines.push(
      '',
      `  First admin created: username "${username}", password "${generatedPassword}"`,
      '  This password is shown only once. Set ADMIN_PASSWORD to choose your own.',
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  loadEnvFile();
  const config = loadConfig();
  const app = await buildApp(config);
  surviveUnexpectedErrors(app);
  for (const warning of configWarnings(config)) app.log.warn(warning);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  process.stdout.write(banner(app, config.publicUrl ?? `http://${host}:${port}`));

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
