import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { signedInSession, signedInUser } from '../plugins/auth.js';
import { NoBody } from '../polls/schemas.js';
import type { Throttle } from './login-throttle.js';
import {
  deleteAccount,
  listAccounts,
  type PasswordReset,
  requireAccount,
  resetPassword,
  setAccountDisabled,
} from './management.js';
import accountPages from './pages.js';
import {
  AccountChange,
  AccountEnvelope,
  AccountSchema,
  Credentials,
  PasswordChangeBody,
  PasswordResetBody,
  PasswordResetResponse,
  SessionResponse,
  UserIdParams,
  UserSchema,
} from './schemas.js';
import { changeOwnPassword, createOrganizer, login, logout, register, requireAdmin } from './service.js';

/** Accounts: signing in and out, registering, passwords, and the admin's management of accounts. */
export default async function accountRoutes(
  app: FastifyInstance,
  { throttle, registration }: { throttle: Throttle; registration: 'open' | 'closed' },
) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['accounts'];

  api.post(
    '/api/auth/login',
    { preHandler: app.limits.login, schema: { tags, body: Credentials, response: { 200: SessionResponse } } },
    async (request, reply) => {
      const session = await login(app.db, throttle, request.body, request.ip);
      app.startSession(reply, session.token);
      return session;
    },
  );

  api.post(
    '/api/auth/register',
    { preHandler: app.limits.create, schema: { tags, body: Credentials, response: { 201: SessionResponse } } },
    async (request, reply) => {
      const session = await register(app.db, registration, request.body);
      app.startSession(reply, session.token);
      return reply.status(201).send(session);
    },
  );

  api.post(
    '/api/auth/logout',
    { preHandler: app.requireUser, schema: { tags, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await logout(app.db, signedInSession(request).token);
      app.endSession(reply);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/auth/password',
    {
      // A wrong current password counts as a failed sign-in, per address and per account.
      preHandler: [app.requireUser, app.limits.login],
      schema: {
        tags,
        description:
          "Changes the signed-in user's password; every other session and token of the account ends, this one stays",
        body: PasswordChangeBody,
        response: { 200: Type.Object({ otherSessionsEnded: Type.Integer() }) },
      },
    },
    (request) => changeOwnPassword(app.db, throttle, signedInSession(request), request.body, request.ip),
  );

  const adminOnly = {
    preHandler: async (request: FastifyRequest) => {
      await app.requireUser(request);
      requireAdmin(signedInUser(request));
    },
  };

  api.get(
    '/api/admin/users',
    { ...adminOnly, schema: { tags, response: { 200: Type.Object({ users: Type.Array(AccountSchema) }) } } },
    async () => ({ users: await listAccounts(app.db) }),
  );

  api.post(
    '/api/admin/users',
    { ...adminOnly, schema: { tags, body: Credentials, response: { 201: Type.Object({ user: UserSchema }) } } },
    async (request, reply) => reply.status(201).send({ user: await createOrganizer(app.db, request.body) }),
  );

  api.get(
    '/api/admin/users/:id',
    { ...adminOnly, schema: { tags, params: UserIdParams, response: { 200: AccountEnvelope } } },
    async (request) => ({ user: await requireAccount(app.db, request.params.id) }),
  );

  api.patch(
    '/api/admin/users/:id',
    {
      ...adminOnly,
      schema: {
        tags,
        description:
          'Disables an account (it cannot sign in; its sessions and tokens end at once; its polls keep running) or enables it again',
        params: UserIdParams,
        body: AccountChange,
        response: { 200: AccountEnvelope },
      },
    },
    async (request) => ({
      user: await setAccountDisabled(app.db, signedInUser(request), request.params.id, request.body.disabled),
    }),
  );

  api.post(
    '/api/admin/users/:id/password',
    {
      ...adminOnly,
      schema: {
        tags,
        description:
          "Sets another account's password, `{password}`, or generates one, `{generate: true}`; every session and token of that account ends",
        params: UserIdParams,
        body: PasswordResetBody,
        response: { 200: PasswordResetResponse },
      },
    },
    async (request) => {
      const { password } = request.body;
      const reset: PasswordReset = password === undefined ? { generate: true } : { password };
      const { account, generatedPassword } = await resetPassword(
        app.db,
        signedInUser(request),
        request.params.id,
        reset,
      );
      return generatedPassword ? { user: account, generatedPassword } : { user: account };
    },
  );

  api.delete(
    '/api/admin/users/:id',
    {
      ...adminOnly,
      schema: {
        tags,
        description: 'Deletes an account; its polls, with their questions and votes, pass to the admin who deletes it',
        params: UserIdParams,
        body: NoBody,
        response: {
          200: Type.Object({ deleted: UserSchema, pollsTransferred: Type.Integer(), to: UserSchema }),
        },
      },
    },
    (request) => deleteAccount(app.db, signedInUser(request), request.params.id),
  );

  await app.register(accountPages, { throttle, registration });
}
