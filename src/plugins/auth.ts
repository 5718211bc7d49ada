import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import cookie from '@fastify/cookie';
import type {} from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_TTL_MS, sessionIdOf, userForToken } from '../accounts/service.js';
import type { UserRow } from '../db/database.js';
import { AppError } from '../errors.js';

export const SESSION_COOKIE = 'pc_session';

interface Auth {
  user: UserRow;
  token: string;
  /** A browser session: its state changes need a CSRF token. Bearer tokens do not. */
  viaCookie: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
    /**
     * The CSRF token that a multipart form (a form without JavaScript cannot set a header, and
     * a token in its address would be logged) still has to show as its `_csrf` field, before
     * its files; null when none is due. The route that reads the body calls checkCsrfField.
     */
    csrfDue: string | null;
  }
  interface FastifyInstance {
    /** preHandler for the JSON API: a bearer token or a session cookie (with CSRF token). */
    requireUser(request: FastifyRequest): Promise<void>;
    /** preHandler for admin pages: a session cookie, else a redirect to the sign-in page. */
    requirePageUser(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /**
     * The signed-in user (session cookie) of a page anyone may open, or null: it sets
     * `request.auth`, so that `csrfToken` gives this session's token. No CSRF check.
     */
    pageUser(request: FastifyRequest): Promise<UserRow | null>;
    /**
     * A keyed hash of the request's network address: one vote per address can be enforced
     * without storing addresses, and the hash cannot be reversed by trying every IPv4 address.
     */
    addressKey(request: FastifyRequest): string;
    /** Refuses a request that a browser sent from a page of another site. */
    requireSameSite(request: FastifyRequest): void;
    csrfToken(request: FastifyRequest): string;
    /** A CSRF token bound to another secret than a session, given by its hash (a quick poll's manage token). */
    csrfTokenFor(secretHash: string): string;
    /** Refuses a state change whose CSRF token does not match the one given out. */
    checkCsrf(request: FastifyRequest, expected: string): void;
    /**
     * Checks a multipart body's `_csrf` field (`sent`, or none yet) against the token due, if
     * one is: the reader calls it for that field and before each file, so no file of a forged
     * form is read.
     */
    checkCsrfField(request: FastifyRequest, sent?: string): void;
    startSession(reply: FastifyReply, token: string): void;
    endSession(reply: FastifyReply): void;
  }
}

/** The user and the token (cookie or bearer) of a route guarded by requireUser or requirePageUser. */
export function signedInSession(request: FastifyRequest): Auth {
  if (!request.auth) throw new Error('route is missing its requireUser preHandler');
  return request.auth;
}

/** The user of a route guarded by requireUser or requirePageUser. */
export const signedInUser = (request: FastifyRequest): UserRow => signedInSession(request).user;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Only this site's own pages (`same-origin`) and the user (`none`: the address bar, a bookmark)
// may change state or open a live connection. `same-site` is refused too: another port or a
// subdomain of this host is another application, and no page of Pollcast is served from one.
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Whether a browser's request came from a page of this site. Browsers name the page that sent a
 * request in `Origin` (every WebSocket handshake, every cross-origin request, every form post)
 * and in `Sec-Fetch-Site`; scripts and plain page loads send neither and are not affected. An
 * Origin that is present must be this site's, exactly: `null` (a sandboxed frame, a `data:`
 * page, a redirect from elsewhere) or a malformed one names no site, so it is refused. The
 * scheme is not compared: behind a TLS proxy the request itself arrives over http.
 */
function fromThisSite(headers: IncomingHttpHeaders, requestHost: string | undefined, publicHost: string | undefined) {
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined && !OWN_FETCH_SITES.has(fetchSite)) return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  const url = parseUrl(origin);
  // A browser sends the serialized origin only: scheme, host and port, nothing else.
  if (!url || url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
  // The Host header read as a host of the origin's scheme, so that a default port written out matches.
  const siteHost = requestHost === undefined ? undefined : parseUrl(`${url.protocol}//${requestHost}`)?.host;
  return url.host === siteHost || url.host === publicHost;
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export default fp<{ secret: string; publicUrl: string | undefined }>(
  async (app, { secret, publicUrl }) => {
    const httpsSite = publicUrl?.startsWith('https://') ?? false;
    await app.register(cookie, {
      secret,
      // Defaults for every cookie Pollcast sets. Secure whenever the request came over https
      // (through a proxy too, with TRUST_PROXY), and always when the site is https.
      parseOptions: { path: '/', httpOnly: true, sameSite: 'lax', secure: httpsSite ? true : 'auto' },
    });
    app.decorateRequest('auth', null);
    app.decorateRequest('csrfDue', null);

    const publicHost = publicUrl ? new URL(publicUrl).host : undefined;
    const requireSameSite = (request: FastifyRequest) => {
      if (!fromThisSite(request.headers, request.host, publicHost)) {
        throw new AppError('csrf_invalid', 'infra.auth.otherSite');
      }
    };
    app.decorate('requireSameSite', requireSameSite);
    // A state change sent from another site is refused outright, before any token check
    // (this covers the sign-in form too).
    app.addHook('onRequest', async (request) => {
      if (!SAFE_METHODS.has(request.method)) requireSameSite(request);
    });

    // Bound to a hash of the secret it protects, so that the token is never stored anywhere.
    const csrfFor = (subject: string) => createHmac('sha256', secret).update(`csrf:${subject}`).digest('base64url');
    const sessionCsrf = (token: string) => csrfFor(sessionIdOf(token));

    const resolve = async (request: FastifyRequest, allowBearer: boolean): Promise<Auth | null> => {
      const header = request.headers.authorization;
      if (allowBearer && header?.startsWith('Bearer ')) {
        const token = header.slice('Bearer '.length).trim();
        const user = token ? await userForToken(app.db, token) : undefined;
        if (!user) throw new AppError('unauthorized', 'infra.auth.invalidToken');
        return { user, token, viaCookie: false };
      }
      const raw = request.cookies[SESSION_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : undefined;
      if (!unsigned?.valid || !unsigned.value) return null;
      const user = await userForToken(app.db, unsigned.value);
      return user ? { user, token: unsigned.value, viaCookie: true } : null;
    };

    const compareCsrf = (sent: unknown, expectedToken: string) => {
      const expected = Buffer.from(expectedToken);
      const given = Buffer.from(typeof sent === 'string' ? sent : '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new AppError('csrf_invalid', 'infra.auth.formExpired');
      }
    };
    // The token comes in a header (scripts) or in the form's body, never in the address: an
    // address is logged, kept in the history and sent on in a Referer.
    const checkCsrf = (request: FastifyRequest, expectedToken: string) => {
      if (SAFE_METHODS.has(request.method)) return;
      const sent = request.headers['x-csrf-token'];
      // A multipart body is not read yet: its reader checks the `_csrf` field before any file.
      if (sent === undefined && request.routeOptions.config.multipart && request.isMultipart()) {
        request.csrfDue = expectedToken;
        return;
      }
      compareCsrf(sent ?? (request.body as Record<string, unknown> | undefined)?._csrf, expectedToken);
    };
    const checkSessionCsrf = (request: FastifyRequest, auth: Auth) => {
      if (auth.viaCookie) checkCsrf(request, sessionCsrf(auth.token));
    };

    app.decorate('requireUser', async (request: FastifyRequest) => {
      const auth = await resolve(request, true);
      if (!auth) throw new AppError('unauthorized', 'infra.auth.signInFirst');
      checkSessionCsrf(request, auth);
      request.auth = auth;
    });

    app.decorate('requirePageUser', async (request: FastifyRequest, reply: FastifyReply) => {
      const auth = await resolve(request, false);
      if (!auth) {
        const next = SAFE_METHODS.has(request.method) ? `?next=${encodeURIComponent(request.url)}` : '';
        return reply.redirect(`/admin/login${next}`, 303);
      }
      checkSessionCsrf(request, auth);
      request.auth = auth;
    });

    app.decorate('pageUser', async (request: FastifyRequest) => {
      request.auth ??= await resolve(request, false);
      return request.auth?.user ?? null;
    });

    app.decorate('addressKey', (request: FastifyRequest) =>
      createHmac('sha256', secret).update(`address:${request.ip}`).digest('base64url'),
    );
    app.decorate('csrfToken', (request: FastifyRequest) => (request.auth ? sessionCsrf(request.auth.token) : ''));
    app.decorate('csrfTokenFor', (subject: string) => csrfFor(`other:${subject}`));
    app.decorate('checkCsrf', checkCsrf);
    app.decorate('checkCsrfField', (request: FastifyRequest, sent?: string) => {
      if (request.csrfDue === null) return;
      compareCsrf(sent, request.csrfDue);
      request.csrfDue = null;
    });

    app.decorate('startSession', (reply: FastifyReply, token: string) => {
      reply.setCookie(SESSION_COOKIE, token, {
        signed: true,
        maxAge: SESSION_TTL_MS / 1000,
      });
    });

    app.decorate('endSession', (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    });
  },
  { name: 'auth', dependencies: ['db'] },
);
