import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { isAppError } from '../errors.js';
import { SESSION_COOKIE } from '../plugins/auth.js';
import { loginPage } from '../views/login-views.js';
import { sendHtml } from '../views/send-html.js';
import type { LoginThrottle } from './login-throttle.js';
import { login, logout } from './service.js';

const Credentials = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
const LoginResponse = Type.Object({
  token: Type.String(),
  user: Type.Object({ id: Type.Integer(), username: Type.String(), role: Type.String() }),
});

/** Only same-site paths: a `next` pointing elsewhere would make the sign-in form an open redirect. */
const safeNext = (next: unknown) =>
  typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/admin';

/** Signing in and out: JSON for scripts (bearer token), forms for the admin pages (cookie). */
export default async function accountRoutes(app: FastifyInstance, { throttle }: { throttle: LoginThrottle }) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post(
    '/api/auth/login',
    { schema: { body: Credentials, response: { 200: LoginResponse } } },
    async (request, reply) => {
      const session = await login(app.db, throttle, request.body);
      app.startSession(reply, session.token);
      return session;
    },
  );

  const endSession = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const raw = request.cookies[SESSION_COOKIE];
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : raw && request.unsignCookie(raw).value;
    if (token) await logout(app.db, token);
    app.endSession(reply);
  };

  api.post('/api/auth/logout', { preHandler: app.requireUser }, async (request, reply) => {
    await endSession(request, reply);
    return reply.status(204).send();
  });

  app.get<{ Querystring: { next?: string } }>('/admin/login', (request, reply) =>
    sendHtml(reply, loginPage({ next: safeNext(request.query.next) })),
  );

  app.post<{ Body: { username?: unknown; password?: unknown; next?: unknown } | undefined }>(
    '/admin/login',
    async (request, reply) => {
      const { username, password, next } = request.body ?? {};
      const name = typeof username === 'string' ? username.trim().slice(0, 64) : '';
      try {
        const session = await login(app.db, throttle, {
          username: name,
          password: typeof password === 'string' ? password : '',
        });
        app.startSession(reply, session.token);
        return reply.redirect(safeNext(next), 303);
      } catch (error) {
        if (!isAppError(error) || error.status >= 500) throw error;
        if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
        return sendHtml(reply, loginPage({ next: safeNext(next), username: name, error: error.message }), error.status);
      }
    },
  );

  app.post('/admin/logout', { preHandler: app.requirePageUser }, async (request, reply) => {
    await endSession(request, reply);
    return reply.redirect('/admin/login', 303);
  });
}
