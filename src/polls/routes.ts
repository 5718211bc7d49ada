import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { AppError } from '../errors.js';
import { signedInUser } from '../plugins/auth.js';
import { normalizeJoinCode } from './codes.js';
import {
  CodeParams,
  EditQuestionBody,
  FromImagesResponse,
  NewQuestionBody,
  PollSchema,
  QuestionEnvelope,
  QuestionIdParams,
  QuestionListSchema,
  ResultsSchema,
  VoteBody,
} from './schemas.js';
import {
  activateQuestion,
  castVote,
  closeQuestion,
  createQuestionFromImages,
  createTypedQuestion,
  deleteQuestion,
  editQuestion,
  listQuestions,
  type PollDeps,
  pollSummary,
  requireManagedPoll,
} from './service.js';
import { readImageUploads } from './uploads.js';
import { ensureVoterId } from './voter.js';

/** The polls JSON API: thin handlers over the domain functions of service.ts. */
export default async function pollRoutes(
  app: FastifyInstance,
  { deps, maxImageBytes }: { deps: PollDeps; maxImageBytes: number },
) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get('/api/polls/:code', { schema: { params: CodeParams, response: { 200: PollSchema } } }, (request) =>
    pollSummary(deps.db, request.params.code),
  );

  api.get(
    '/api/polls/:code/results',
    { schema: { params: CodeParams, response: { 200: ResultsSchema } } },
    async (request) => ({ question: (await pollSummary(deps.db, request.params.code)).liveQuestion }),
  );

  api.post(
    '/api/polls/:code/votes',
    { schema: { params: CodeParams, body: VoteBody, response: { 201: QuestionEnvelope } } },
    async (request, reply) => {
      // No poll lookup here: the vote batch checks, once per batch, that the question belongs to this poll.
      const pollCode = normalizeJoinCode(request.params.code);
      if (!pollCode) throw new AppError('poll_not_found', 'There is no poll with this code.');
      const question = await castVote(deps, { pollCode, voterId: ensureVoterId(request, reply), ...request.body });
      return reply.status(201).send({ question });
    },
  );

  // --- Managing a poll's questions ---
  const admin = { preHandler: app.requireUser };

  api.get(
    '/api/admin/polls/:code/questions',
    { ...admin, schema: { params: CodeParams, response: { 200: QuestionListSchema } } },
    async (request) => {
      const poll = await requireManagedPoll(deps.db, signedInUser(request), request.params.code);
      return { questions: await listQuestions(deps.db, poll) };
    },
  );

  api.post(
    '/api/admin/polls/:code/questions',
    { ...admin, schema: { params: CodeParams, body: NewQuestionBody, response: { 201: QuestionEnvelope } } },
    async (request, reply) => {
      const poll = await requireManagedPoll(deps.db, signedInUser(request), request.params.code);
      const { activate = false, ...input } = request.body;
      return reply.status(201).send({ question: await createTypedQuestion(deps, poll, input, activate) });
    },
  );

  api.post(
    '/api/admin/polls/:code/questions/from-images',
    { ...admin, schema: { params: CodeParams, response: { 201: FromImagesResponse } } },
    async (request, reply) => {
      const poll = await requireManagedPoll(deps.db, signedInUser(request), request.params.code);
      const { images, fields } = await readImageUploads(request, maxImageBytes);
      const activate = fields.activate === undefined || !['false', '0', 'off', 'no'].includes(fields.activate);
      return reply.status(201).send(await createQuestionFromImages(deps, app.ocr, poll, images, activate));
    },
  );

  api.patch(
    '/api/admin/questions/:id',
    { ...admin, schema: { params: QuestionIdParams, body: EditQuestionBody, response: { 200: QuestionEnvelope } } },
    async (request) => ({ question: await editQuestion(deps, signedInUser(request), request.params.id, request.body) }),
  );

  for (const [action, change] of [
    ['activate', activateQuestion],
    ['reopen', activateQuestion],
    ['close', closeQuestion],
  ] as const) {
    api.post(
      `/api/admin/questions/:id/${action}`,
      { ...admin, schema: { params: QuestionIdParams, response: { 200: QuestionEnvelope } } },
      async (request) => ({ question: await change(deps, signedInUser(request), request.params.id) }),
    );
  }

  api.delete(
    '/api/admin/questions/:id',
    { ...admin, schema: { params: QuestionIdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await deleteQuestion(deps, signedInUser(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
