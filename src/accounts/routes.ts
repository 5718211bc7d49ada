import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { type AppError, isAppError } from '../errors.js';
import { SESSION_COOKIE, signedInUser } from '../plugins/auth.js';
import { accountsPage } from '../views/account-views.js';
import { type FormBody, formSchema, formText, querySchema } from '../views/form-fields.js';
import { loginPage, registerPage } from '../views/login-views.js';
import { sendHtml } from '../views/send-html.js';
import type { LoginThrottle } from './login-throttle.js';
import { createOrganizer, listAccounts, login, logout, register, requireAdmin } from './service.js';

const Credentials = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);
const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('organizer')]),
});
const SessionResponse = Type.Object({ token: Type.String(), user: UserSchema });

/** Only same-site paths: a `next` pointing elsewhere would make the sign-in form an open redirect. */
const safeNext = (next: unknown) =>
  typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.includes('\\') ? next : '/admin';

/** A client error shown on the form that caused it; anything else goes to the error handler. */
const asFormError = (error: unknown): AppError => {
  if (!isAppError(error) || error.status >= 500) throw error;
  return error;
};

/** Accounts: signing in and out, registering, and the admin's account list. */
export default async function accountRoutes(
  app: FastifyInstance,
  { throttle, registration }: { throttle: LoginThrottle; registration: 'open' | 'closed' },
) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const registrationOpen = registration === 'open';

  api.post(
    '/api/auth/login',
    {
      preHandler: app.limits.login,
      schema: { tags: ['accounts'], body: Credentials, response: { 200: SessionResponse } },
    },
    async (request, reply) => {
      const session = await login(app.db, throttle, request.body);
      app.startSession(reply, session.token);
      return session;
    },
  );

  api.post(
    '/api/auth/register',
    {
      preHandler: app.limits.create,
      schema: { tags: ['accounts'], body: Credentials, response: { 201: SessionResponse } },
    },
    async (request, reply) => {
      const session = await register(app.db, registration, request.body);
      app.startSession(reply, session.token);
      return reply.status(201).send(session);
    },
  );

  const endSession = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const raw = request.cookies[SESSION_COOKIE];
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : raw && request.unsignCookie(raw).value;
    if (token) await logout(app.db, token);
    app.endSession(reply);
  };

  api.post(
    '/api/auth/logout',
    { preHandler: app.requireUser, schema: { tags: ['accounts'], response: { 204: Type.Null() } } },
    async (request, reply) => {
      await endSession(request, reply);
      return reply.status(204).send(null);
    },
  );

  const adminOnly = {
    preHandler: async (request: FastifyRequest) => {
      await app.requireUser(request);
      requireAdmin(signedInUser(request));
    },
  };

  api.get(
    '/api/admin/users',
    { ...adminOnly, schema: { tags: ['accounts'], response: { 200: Type.Object({ users: Type.Array(UserSchema) }) } } },
    async () => ({ users: await listAccounts(app.db) }),
  );

  api.post(
    '/api/admin/users',
    {
      ...adminOnly,
      schema: { tags: ['accounts'], body: Credentials, response: { 201: Type.Object({ user: UserSchema }) } },
    },
    async (request, reply) => reply.status(201).send({ user: await createOrganizer(app.db, request.body) }),
  );

  // --- Pages ---

  const credentialsForm = { body: formSchema({ username: 200, password: 1000, next: 2000 }) };

  app.get<{ Querystring: { next?: string } }>(
    '/admin/login',
    { schema: { querystring: querySchema({ next: 2000 }) } },
    (request, reply) => sendHtml(reply, loginPage({ next: safeNext(request.query.next), registrationOpen })),
  );

  app.post<{ Body: FormBody }>(
    '/admin/login',
    { preHandler: app.limits.login, schema: credentialsForm },
    async (request, reply) => {
      const username = formText(request.body, 'username', 64).trim();
      const next = safeNext(request.body?.next);
      try {
        const session = await login(app.db, throttle, { username, password: formText(request.body, 'password', 256) });
        app.startSession(reply, session.token);
        return reply.redirect(next, 303);
      } catch (caught) {
        const error = asFormError(caught);
        if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
        return sendHtml(reply, loginPage({ next, username, error: error.message, registrationOpen }), error.status);
      }
    },
  );

  app.get('/admin/register', (_request, reply) =>
    sendHtml(reply, registerPage({ open: registrationOpen }), registrationOpen ? 200 : 403),
  );

  app.post<{ Body: FormBody }>(
    '/admin/register',
    { preHandler: app.limits.create, schema: credentialsForm },
    async (request, reply) => {
      const username = formText(request.body, 'username', 64).trim();
      try {
        const session = await register(app.db, registration, {
          username,
          password: formText(request.body, 'password', 256),
        });
        app.startSession(reply, session.token);
        return reply.redirect('/admin', 303);
      } catch (caught) {
        const error = asFormError(caught);
        return sendHtml(reply, registerPage({ open: registrationOpen, username, error: error.message }), error.status);
      }
    },
  );

  app.post(
    '/admin/logout',
    { preHandler: app.requirePageUser, schema: { body: formSchema({}) } },
    async (request, reply) => {
      await endSession(request, reply);
      return reply.redirect('/admin/login', 303);
    },
  );

  const showAccounts = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { username?: string; notice?: string; error?: AppError } = {},
  ) => {
    const user = signedInUser(request);
    requireAdmin(user);
    const frame = { username: user.username, isAdmin: true, csrf: app.csrfToken(request) };
    const page = accountsPage(frame, {
      accounts: await listAccounts(app.db),
      notice: extra.notice,
      error: extra.error?.message,
      ...(extra.username ? { username: extra.username } : {}),
    });
    return sendHtml(reply, page, extra.error?.status ?? 200);
  };

  app.get<{ Querystring: { created?: string } }>(
    '/admin/users',
    { preHandler: app.requirePageUser, schema: { querystring: querySchema({ created: 200 }) } },
    (request, reply) =>
      showAccounts(
        request,
        reply,
        request.query.created ? { notice: `Account ${request.query.created} created.` } : {},
      ),
  );

  app.post<{ Body: FormBody }>(
    '/admin/users',
    { preHandler: app.requirePageUser, schema: credentialsForm },
    async (request, reply) => {
      requireAdmin(signedInUser(request));
      const username = formText(request.body, 'username', 64).trim();
      try {
        const created = await createOrganizer(app.db, { username, password: formText(request.body, 'password', 256) });
        return reply.redirect(`/admin/users?created=${encodeURIComponent(created.username)}`, 303);
      } catch (caught) {
        return showAccounts(request, reply, { username, error: asFormError(caught) });
      }
    },
  );
}
