import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors.js';
import { signedInUser } from '../plugins/auth.js';
import { adminPage } from '../views/admin-views.js';
import { sendHtml } from '../views/send-html.js';
import { DEFAULT_POLL_CODE } from './codes.js';
import {
  activateQuestion,
  closeQuestion,
  createQuestionFromImages,
  deleteQuestion,
  editQuestion,
  listQuestions,
  type PollDeps,
  requireManagedPoll,
} from './service.js';
import { readImageUploads } from './uploads.js';

const NOTICES = {
  created: 'The question was read from the images. Check the text below and correct it if needed.',
  saved: 'Changes saved. Every screen shows them now.',
  activated: 'The question is live.',
  closed: 'Voting on the question is closed; its results stay.',
  deleted: 'The question and its votes were deleted.',
} as const;

type AdminRequest = FastifyRequest<{ Querystring: { review?: string; notice?: string } }>;
type QuestionRequest = FastifyRequest<{
  Params: { id: string };
  Body: { text?: unknown; options?: unknown } | undefined;
}>;

const toQuestionId = (value: string) => {
  const id = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new AppError('question_not_found', 'There is no such question.');
  return id;
};

/** The admin dashboard: every form posts back here and works without JavaScript. */
export default async function adminPages(
  app: FastifyInstance,
  { deps, maxImageBytes }: { deps: PollDeps; maxImageBytes: number },
) {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { review?: number; notice?: string; error?: AppError },
  ) => {
    const user = signedInUser(request);
    const poll = await requireManagedPoll(deps.db, user, DEFAULT_POLL_CODE);
    const questions = await listQuestions(deps.db, poll);
    const review =
      questions.find((question) => question.id === extra.review) ??
      questions.find((question) => question.status === 'live') ??
      null;
    return sendHtml(
      reply,
      adminPage({
        username: user.username,
        csrf: app.csrfToken(request),
        poll,
        questions,
        review,
        notice: extra.notice,
        error: extra.error?.message,
        maxImageBytes,
        ocrProvider: app.ocr.name,
      }),
      extra.error?.status ?? 200,
    );
  };

  // Page errors are shown on the dashboard itself, with the forms still there to retry.
  const orShowError = async (request: FastifyRequest, reply: FastifyReply, action: () => Promise<FastifyReply>) => {
    try {
      return await action();
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.status >= 500) request.log.warn({ code: error.code, cause: error.cause }, error.message);
      return render(request, reply, { error });
    }
  };

  const guarded = { preHandler: app.requirePageUser };

  app.get('/admin', guarded, (request: AdminRequest, reply) => {
    const review = Number(request.query.review);
    const notice = NOTICES[request.query.notice as keyof typeof NOTICES];
    return render(request, reply, { review: Number.isSafeInteger(review) ? review : undefined, notice });
  });

  app.post('/admin/questions/from-images', guarded, (request, reply) =>
    orShowError(request, reply, async () => {
      const user = signedInUser(request);
      const poll = await requireManagedPoll(deps.db, user, DEFAULT_POLL_CODE);
      const { images, fields } = await readImageUploads(request, maxImageBytes);
      const { question } = await createQuestionFromImages(deps, app.ocr, poll, images, fields.activate !== 'false');
      return reply.redirect(`/admin?review=${question.id}&notice=created#review`, 303);
    }),
  );

  app.post('/admin/questions/:id/edit', guarded, (request: QuestionRequest, reply) =>
    orShowError(request, reply, async () => {
      const user = signedInUser(request);
      const { text, options } = request.body ?? {};
      const optionList = Array.isArray(options) ? options : [options];
      const question = await editQuestion(deps, user, toQuestionId(request.params.id), {
        text: typeof text === 'string' ? text : undefined,
        options: optionList.filter((option): option is string => typeof option === 'string'),
      });
      return reply.redirect(`/admin?review=${question.id}&notice=saved#review`, 303);
    }),
  );

  for (const [action, change, notice] of [
    ['activate', activateQuestion, 'activated'],
    ['close', closeQuestion, 'closed'],
  ] as const) {
    app.post(`/admin/questions/:id/${action}`, guarded, (request: QuestionRequest, reply) =>
      orShowError(request, reply, async () => {
        const user = signedInUser(request);
        await change(deps, user, toQuestionId(request.params.id));
        return reply.redirect(`/admin?notice=${notice}`, 303);
      }),
    );
  }

  app.post('/admin/questions/:id/delete', guarded, (request: QuestionRequest, reply) =>
    orShowError(request, reply, async () => {
      const user = signedInUser(request);
      await deleteQuestion(deps, user, toQuestionId(request.params.id));
      return reply.redirect('/admin?notice=deleted', 303);
    }),
  );
}
