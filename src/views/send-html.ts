import type { FastifyReply } from 'fastify';
import type { SafeHtml } from './html.js';

/** Pages show live state: never cached. */
export function sendHtml(reply: FastifyReply, body: string | SafeHtml, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(typeof body === 'string' ? body : body.value);
}
