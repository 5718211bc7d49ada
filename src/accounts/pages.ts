import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserRow } from '../db/database.js';
import { type AppError, isAppError } from '../errors.js';
import { t } from '../i18n/request-language.js';
import { localPath } from '../local-path.js';
import { signedInSession, signedInUser } from '../plugins/auth.js';
import {
  type AccountView,
  accountPage,
  accountPath,
  accountsPage,
  deleteAccountPrompt,
  disableAccountPrompt,
  OWN_ACCOUNT_PATH,
  ownAccountPage,
} from '../views/account-views.js';
import type { AdminFrame } from '../views/admin-shell.js';
import { type Confirmation, confirmationPage } from '../views/confirm-views.js';
import { confirmable, type FormBody, formSchema, formText, isConfirmed, querySchema } from '../views/form-fields.js';
import { loginPage, registerPage } from '../views/login-views.js';
import { sendHtml } from '../views/send-html.js';
import type { Throttle } from './login-throttle.js';
import {
  type Account,
  deleteAccount,
  listAccounts,
  requireAccount,
  requireOtherAccount,
  resetPassword,
  setAccountDisabled,
} from './management.js';
import { UserIdParams } from './schemas.js';
import { changeOwnPassword, createOrganizer, login, logout, register, requireAdmin } from './service.js';

/** A client error shown on the form that caused it; anything else goes to the error handler. */
const asFormError = (error: unknown, reply: FastifyReply): AppError => {
  if (!isAppError(error) || error.status >= 500) throw error;
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return error;
};

const ACCOUNT_NOTICES = {
  'password-set': () => t('accounts.notice.passwordSet'),
  disabled: () => t('accounts.notice.disabled'),
  enabled: () => t('accounts.notice.enabled'),
} as const;

const accountNotice = (name: string | undefined): string | undefined =>
  name !== undefined && Object.hasOwn(ACCOUNT_NOTICES, name)
    ? ACCOUNT_NOTICES[name as keyof typeof ACCOUNT_NOTICES]()
    : undefined;

interface AccountRoute {
  Params: { id: number };
  Querystring: { notice?: string };
  Body: FormBody;
}
type AccountRequest = FastifyRequest<AccountRoute>;

/** The sign-in and sign-up pages, the admin's account pages, and every user's own account page. */
export default async function accountPages(
  app: FastifyInstance,
  { throttle, registration }: { throttle: Throttle; registration: 'open' | 'closed' },
) {
  const registrationOpen = registration === 'open';
  const credentialsForm = { body: formSchema({ username: 200, password: 1000, next: 2000 }) };

  app.get<{ Querystring: { next?: string } }>(
    '/admin/login',
    { schema: { querystring: querySchema({ next: 2000 }) } },
    (request, reply) => sendHtml(reply, loginPage({ next: localPath(request.query.next, '/admin'), registrationOpen })),
  );

  app.post<{ Body: FormBody }>(
    '/admin/login',
    { preHandler: app.limits.login, schema: credentialsForm },
    async (request, reply) => {
      const username = formText(request.body, 'username', 64).trim();
      const next = localPath(request.body?.next, '/admin');
      try {
        const credentials = { username, password: formText(request.body, 'password', 256) };
        const session = await login(app.db, throttle, credentials, request.ip);
        app.startSession(reply, session.token);
        return reply.redirect(next, 303);
      } catch (caught) {
        const error = asFormError(caught, reply);
        return sendHtml(reply, loginPage({ next, username, error: error.localized(), registrationOpen }), error.status);
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
        const error = asFormError(caught, reply);
        return sendHtml(
          reply,
          registerPage({ open: registrationOpen, username, error: error.localized() }),
          error.status,
        );
      }
    },
  );

  app.post(
    '/admin/logout',
    { preHandler: app.requirePageUser, schema: { body: formSchema({}) } },
    async (request, reply) => {
      await logout(app.db, signedInSession(request).token);
      app.endSession(reply);
      return reply.redirect('/admin/login', 303);
    },
  );

  const frameOf = (request: FastifyRequest): AdminFrame => {
    const user = signedInUser(request);
    return { username: user.username, isAdmin: user.role === 'admin', csrf: app.csrfToken(request) };
  };

  // --- Your own account (every signed-in user) ---

  app.get<{ Querystring: { notice?: string } }>(
    OWN_ACCOUNT_PATH,
    { preHandler: app.requirePageUser, schema: { querystring: querySchema({ notice: 40 }) } },
    (request, reply) =>
      sendHtml(
        reply,
        ownAccountPage(frameOf(request), {
          notice: request.query.notice === 'password-changed' ? t('accounts.notice.passwordChanged') : undefined,
        }),
      ),
  );

  app.post<{ Body: FormBody }>(
    `${OWN_ACCOUNT_PATH}/password`,
    {
      // A wrong current password counts as a failed sign-in, per address and per account.
      preHandler: [app.requirePageUser, app.limits.login],
      schema: { body: formSchema({ currentPassword: 1000, newPassword: 1000 }) },
    },
    async (request, reply) => {
      try {
        const input = {
          currentPassword: formText(request.body, 'currentPassword', 256),
          newPassword: formText(request.body, 'newPassword', 256),
        };
        await changeOwnPassword(app.db, throttle, signedInSession(request), input, request.ip);
        return reply.redirect(`${OWN_ACCOUNT_PATH}?notice=password-changed`, 303);
      } catch (caught) {
        const error = asFormError(caught, reply);
        return sendHtml(reply, ownAccountPage(frameOf(request), { error: error.localized() }), error.status);
      }
    },
  );

  // --- The admin's management of accounts ---

  const adminPage = [app.requirePageUser, async (request: FastifyRequest) => requireAdmin(signedInUser(request))];

  const showAccounts = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { username?: string; notice?: string | undefined; error?: AppError } = {},
  ) => {
    const page = accountsPage(frameOf(request), {
      accounts: await listAccounts(app.db),
      notice: extra.notice,
      error: extra.error?.localized(),
      ...(extra.username ? { username: extra.username } : {}),
    });
    return sendHtml(reply, page, extra.error?.status ?? 200);
  };

  const listNotice = (query: { created?: string; deleted?: string; polls?: string }) => {
    if (query.created) return t('accounts.notice.created', { username: query.created });
    if (!query.deleted) return undefined;
    // Anything but a count of polls moved says none.
    const polls = Number(query.polls) || 0;
    return t('accounts.notice.deleted', { username: query.deleted, count: Math.max(polls, 0) });
  };

  app.get<{ Querystring: { created?: string; deleted?: string; polls?: string } }>(
    '/admin/users',
    { preHandler: adminPage, schema: { querystring: querySchema({ created: 200, deleted: 200, polls: 12 }) } },
    (request, reply) => showAccounts(request, reply, { notice: listNotice(request.query) }),
  );

  app.post<{ Body: FormBody }>(
    '/admin/users',
    { preHandler: adminPage, schema: credentialsForm },
    async (request, reply) => {
      const username = formText(request.body, 'username', 64).trim();
      try {
        const created = await createOrganizer(app.db, { username, password: formText(request.body, 'password', 256) });
        return reply.redirect(`/admin/users?created=${encodeURIComponent(created.username)}`, 303);
      } catch (caught) {
        return showAccounts(request, reply, { username, error: asFormError(caught, reply) });
      }
    },
  );

  const showAccount = async (
    request: AccountRequest,
    reply: FastifyReply,
    view: Omit<AccountView, 'account' | 'self'> = {},
    status = 200,
  ) => {
    const account = await requireAccount(app.db, request.params.id);
    const self = account.id === signedInUser(request).id;
    return sendHtml(reply, accountPage(frameOf(request), { account, self, ...view }), status);
  };

  /** An action on one account; a refusal is shown on that account's page, with its forms. */
  const onAccount =
    (action: (request: AccountRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (request: AccountRequest, reply: FastifyReply) => {
      try {
        return await action(request, reply);
      } catch (caught) {
        const error = asFormError(caught, reply);
        if (error.code === 'not_found') throw error;
        return showAccount(request, reply, { error: error.localized() }, error.status);
      }
    };
  const backToAccount = (reply: FastifyReply, id: number, notice: keyof typeof ACCOUNT_NOTICES) =>
    reply.redirect(`${accountPath(id)}?notice=${notice}`, 303);

  /** Without JavaScript a destructive form comes here unconfirmed: ask on a page of its own. */
  const askFirst = (request: FastifyRequest, reply: FastifyReply, confirmation: Omit<Confirmation, 'csrf'>) => {
    const frame = frameOf(request);
    return sendHtml(reply, confirmationPage(frame, { ...confirmation, csrf: frame.csrf }));
  };

  const accountForm = (body = formSchema({})) => ({ preHandler: adminPage, schema: { params: UserIdParams, body } });

  app.get<AccountRoute>(
    '/admin/users/:id',
    { preHandler: adminPage, schema: { params: UserIdParams, querystring: querySchema({ notice: 40 }) } },
    (request, reply) =>
      showAccount(request, reply, {
        notice: accountNotice(request.query.notice),
      }),
  );

  app.post<AccountRoute>(
    '/admin/users/:id/password',
    accountForm(formSchema({ password: 1000, generate: 8 })),
    onAccount(async (request, reply) => {
      const admin = signedInUser(request);
      if (request.body?.generate === 'yes') {
        const { generatedPassword } = await resetPassword(app.db, admin, request.params.id, { generate: true });
        return showAccount(request, reply, { generatedPassword, notice: ACCOUNT_NOTICES['password-set']() });
      }
      const password = formText(request.body, 'password', 256);
      await resetPassword(app.db, admin, request.params.id, { password });
      return backToAccount(reply, request.params.id, 'password-set');
    }),
  );

  app.post<AccountRoute>(
    '/admin/users/:id/enable',
    accountForm(),
    onAccount(async (request, reply) => {
      await setAccountDisabled(app.db, signedInUser(request), request.params.id, false);
      return backToAccount(reply, request.params.id, 'enabled');
    }),
  );

  /** A destructive action on an account: it asks first, on a page of its own without JavaScript. */
  const destructive = (
    name: 'disable' | 'delete',
    question: (account: Account, admin: UserRow) => Pick<Confirmation, 'title' | 'message' | 'confirmLabel'>,
    act: (request: AccountRequest, reply: FastifyReply, admin: UserRow) => Promise<FastifyReply>,
  ) =>
    app.post<AccountRoute>(
      `/admin/users/:id/${name}`,
      accountForm(confirmable),
      onAccount(async (request, reply) => {
        const admin = signedInUser(request);
        if (isConfirmed(request.body)) return act(request, reply, admin);
        const account = await requireOtherAccount(app.db, admin, request.params.id);
        const path = accountPath(account.id);
        return askFirst(request, reply, { ...question(account, admin), action: `${path}/${name}`, cancelHref: path });
      }),
    );

  destructive(
    'disable',
    (account) => ({
      title: t('accounts.status.disableQuestion'),
      message: disableAccountPrompt(account),
      confirmLabel: t('accounts.status.disable'),
    }),
    async (request, reply, admin) => {
      await setAccountDisabled(app.db, admin, request.params.id, true);
      return backToAccount(reply, request.params.id, 'disabled');
    },
  );

  destructive(
    'delete',
    (account, admin) => ({
      title: t('accounts.delete.question'),
      message: deleteAccountPrompt(account, admin.username),
      confirmLabel: t('accounts.delete.button'),
    }),
    async (request, reply, admin) => {
      const { deleted, pollsTransferred } = await deleteAccount(app.db, admin, request.params.id);
      const query = new URLSearchParams({ deleted: deleted.username, polls: String(pollsTransferred) });
      return reply.redirect(`/admin/users?${query}`, 303);
    },
  );
}
