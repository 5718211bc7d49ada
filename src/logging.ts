import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import { destination as fileDescriptor, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

// What the log says and where it goes: JSON lines for a log collector, or short readable lines for
// a person at a terminal; one line per request in both.

/** Where a test (or another entry point) sends the log instead: false silences it. */
export type LogDestination = false | { stream: { write(line: string): void } };

// A quick poll's manage link carries its token once, in the query; no CSRF token belongs in an
// address, but one sent there anyway must not reach the log either.
const SECRET_PARAMETER = /^(?:token|_csrf)$/i;

/** A request's address with the values of secret query parameters, however their names are encoded, redacted. */
function withoutSecrets(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const parameters = url
    .slice(query + 1)
    .split('&')
    .map((parameter) => {
      const equals = parameter.indexOf('=');
      const name = equals === -1 ? parameter : parameter.slice(0, equals);
      return SECRET_PARAMETER.test(decodedName(name)) ? `${name}=[redacted]` : parameter;
    });
  return `${url.slice(0, query)}?${parameters.join('&')}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** With WEB_CONCURRENCY, which process wrote a line: a worker's number (a replacement gets a new one), or `primary`. */
type ProcessLabel = number | 'primary' | undefined;

export function loggerOptions(config: Config, destination?: LogDestination): FastifyServerOptions['logger'] {
  if (destination === false) return false;
  return { ...pinoOptions(config, cluster.worker?.id), stream: destination?.stream ?? standardStream(config) };
}

/** The log of the primary process, which serves nothing itself: it starts, replaces and stops the workers. */
export function primaryLogger(config: Config): Logger {
  return pino(pinoOptions(config, 'primary'), standardStream(config));
}

const standardStream = (config: Config) => (config.logFormat === 'pretty' ? readableStream() : standardOutput());

function pinoOptions(config: Config, label: ProcessLabel) {
  return {
    level: config.logLevel,
    ...(label === undefined ? {} : { base: { pid: process.pid, hostname: hostname(), worker: label } }),
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: withoutSecrets(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

// Lines are written as they are logged, in order with the start banner (which goes straight to
// stdout), and none is lost when the process exits right after logging it.
const standardOutput = () => fileDescriptor({ dest: 1, sync: true });

function readableStream() {
  return pretty({
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    // The request line already says what these say.
    ignore: 'pid,hostname,worker,reqId,req,res,responseTime',
    messageFormat: (line: Record<string, unknown>, messageKey: string) =>
      `${line.worker === undefined ? '' : `[${line.worker === 'primary' ? 'primary' : `worker ${line.worker}`}] `}${line[messageKey]}`,
  });
}

/** Fastify logs a request when it arrives and when it is answered: one line, when answered, says it all. */
export class RequestLog extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (this.isLogDisabled(request)) return;
    const responseTime = reply.elapsedTime;
    const line = `${request.method} ${withoutSecrets(request.url)} ${reply.statusCode} ${responseTime.toFixed(1)} ms`;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime }, line);
    else reply.log.info({ req: request, res: reply, responseTime }, line);
  }
}
