import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../db/errors.js';
import { AppError, type ErrorCode, errorBody } from '../errors.js';
import { t } from '../i18n/request-language.js';
import { errorPage, notFoundPage } from '../views/poll-views.js';

const codeForStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

const wantsJson = (request: FastifyRequest) => request.url.startsWith('/api/');

/**
 * Every error leaves through here: codes from the closed set, a human message, never a
 * stack trace. Client errors pass through; server errors are logged and shown generically.
 */
function toAppError(error: FastifyError | AppError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const where = error.validationContext ? `${error.validationContext}` : 'request';
    const detail = error.validation[0];
    const path = detail?.instancePath ? detail.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
    const unknown = detail?.params?.additionalProperty;
    if (typeof unknown === 'string') {
      const field = path ? `${path}.${unknown}` : unknown;
      return new AppError('validation_failed', 'errors.unknownField', { where, field: field.slice(0, 64) });
    }
    // A field with a few possible values says which: the client need not look them up. The
    // validator's own words stay in English, inside a message in the client's language.
    const allowed = detail?.params?.allowedValues;
    const choices = Array.isArray(allowed) ? ` (${allowed.join(', ')})` : '';
    const said = { where, detail: detail?.message ?? 'bad value', choices };
    return path
      ? new AppError('validation_failed', 'errors.invalidField', { ...said, field: path })
      : new AppError('validation_failed', 'errors.invalidRequest', said);
  }
  const status = error.statusCode ?? 500;
  const code = codeForStatus[status];
  // Before the database check: a body cut off by its client fails with ECONNRESET too.
  if (status < 500 && code) {
    return status === 413
      ? new AppError(code, 'errors.tooLarge')
      : new AppError(code, 'errors.clientError', { detail: error.message });
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return new AppError('database_unavailable', 'errors.databaseUnavailable', {}, { retryAfterSeconds: 2 });
  }
  request.log.error({ err: error }, 'request failed');
  return new AppError('internal_error', 'errors.internal');
}

export function sendError(reply: FastifyReply, error: AppError, request: FastifyRequest): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  reply.status(error.status);
  if (wantsJson(request)) return reply.send(errorBody(error.code, error.localized()));
  if (error.status === 404) {
    // The join form on the page keeps the code that named no poll, ready to be corrected.
    const typed =
      error.code === 'poll_not_found' ? (request.params as { code?: unknown } | undefined)?.code : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .send(notFoundPage(error.localized(), typeof typed === 'string' ? typed.slice(0, 16) : undefined));
  }
  return reply.type('text/html; charset=utf-8').send(errorPage(t('errors.pageTitle'), error.localized()));
}

/**
 * Errors the router answers before any route runs (a malformed or overlong address): the same
 * answer format as every other error, and the address is not echoed back.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ code: error.code }, 'bad address');
  return sendError(reply, new AppError('bad_request', 'errors.malformedAddress'), request);
}

/**
 * Errors met before a request reaches a route: a client that did not send its headers or its
 * body in time (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS), headers over Node's size limit, bytes
 * that are not HTTP. The answer has the usual shape, then the connection closes.
 */
export function clientErrors(this: FastifyInstance, error: ConnectionError, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new AppError('request_timeout', 'errors.requestTimeout')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('headers_too_large', 'errors.headersTooLarge')
        : new AppError('bad_request', 'errors.malformedRequest');
  this.log.debug({ code: error.code }, 'client error');
  // Node's own rule: nothing is written into an answer already under way on this connection.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify(errorBody(answer.code, answer.message));
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      const appError = toAppError(error, request);
      if (appError.status >= 500 && error instanceof AppError) {
        request.log.warn({ code: appError.code, cause: appError.cause }, appError.message);
      }
      return sendError(reply, appError, request);
    });
    app.setNotFoundHandler((request, reply) => {
      const error = wantsJson(request)
        ? new AppError('not_found', 'errors.noRoute', { method: request.method, path: request.url.split('?')[0] ?? '' })
        : new AppError('not_found', 'errors.pageNotFound');
      return sendError(reply, error, request);
    });
  },
  { name: 'error-handler' },
);
