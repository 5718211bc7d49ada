import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const VOTER_COOKIE = 'pc_voter';
const VOTER_ID = /^[A-Za-z0-9_-]{16,64}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The anonymous voter id of this browser, if it has a well-formed one. */
export function voterIdOf(request: FastifyRequest): string | undefined {
  const id = request.cookies[VOTER_COOKIE];
  return id && VOTER_ID.test(id) ? id : undefined;
}

/** The voter id, created (and given to the browser in a long-lived cookie) on first visit. */
export function ensureVoterId(request: FastifyRequest, reply: FastifyReply): string {
  const existing = voterIdOf(request);
  if (existing) return existing;
  const id = randomUUID();
  reply.setCookie(VOTER_COOKIE, id, {
    maxAge: ONE_YEAR_SECONDS,
  });
  return id;
}
