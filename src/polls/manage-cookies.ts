import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PollRow } from '../db/database.js';
import { manageLinkPath, pollPaths } from './paths.js';
import { holdsManageToken } from './service.js';

const MANAGE_COOKIE = 'pc_manage';
const FRESH_LINK_COOKIE = 'pc_manage_once';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The creator's browser keeps the manage token in a cookie scoped to the poll's pages, so
 * that it can manage the poll without the link; the link itself travels once, in a
 * short-lived cookie read by the share page, not in the address of the redirect after creation.
 */
export function manageCookies(code: string) {
  const paths = pollPaths(code);
  const base = { signed: true } as const;
  const read = (request: FastifyRequest, name: string) => {
    const raw = request.cookies[name];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    return unsigned?.valid && unsigned.value ? unsigned.value : undefined;
  };
  return {
    remember(reply: FastifyReply, token: string) {
      reply.setCookie(MANAGE_COOKIE, token, { ...base, path: `/p/${code}`, maxAge: ONE_YEAR_SECONDS });
    },
    forget(reply: FastifyReply) {
      reply.clearCookie(MANAGE_COOKIE, { path: `/p/${code}` });
    },
    giveFreshLink(reply: FastifyReply, token: string) {
      reply.setCookie(FRESH_LINK_COOKIE, token, { ...base, path: paths.share, maxAge: 600 });
    },
    /** The manage link (a path) if the poll was just made in this browser; it is shown once. */
    takeFreshLink(request: FastifyRequest, reply: FastifyReply): string | undefined {
      const token = read(request, FRESH_LINK_COOKIE);
      if (!token) return undefined;
      reply.clearCookie(FRESH_LINK_COOKIE, { path: paths.share });
      return manageLinkPath(code, token);
    },
    /** The manage token this browser holds for the poll, if it is the right one. */
    holder(request: FastifyRequest, poll: PollRow): string | null {
      const token = read(request, MANAGE_COOKIE);
      return token && holdsManageToken(poll, token) ? token : null;
    },
  };
}
