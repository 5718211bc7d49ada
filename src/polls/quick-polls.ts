import type { PollRow } from '../db/database.js';
import { AppError } from '../errors.js';
import type { QuestionView } from '../realtime/messages.js';
import { hashToken, newToken } from '../tokens.js';
import { insertPoll, insertQuestion, listQuestionIds, loadQuestionView, setCurrentQuestion } from './queries.js';
import type { NewQuestionFields } from './schemas.js';
import {
  activateQuestion,
  announce,
  closeQuestion,
  draftTyped,
  type Manager,
  type PollDeps,
  requireManagedPoll,
  revealAnswer,
  withNewJoinCode,
} from './service.js';

// Quick polls: one question, made by anyone without an account, live at once. Whoever holds
// the manage token (shown once to its creator) may close, reopen or delete it, and reveal a quiz's answer.

const TITLE_CHARS = 120;

export interface QuickPoll {
  poll: PollRow;
  question: QuestionView;
}

export async function createQuickPoll(
  deps: PollDeps,
  input: Omit<NewQuestionFields, 'text'> & { question: string },
): Promise<QuickPoll & { manageToken: string }> {
  const { question: text, ...fields } = input;
  const draft = draftTyped({ ...fields, text });
  const title = draft.text.length > TITLE_CHARS ? `${draft.text.slice(0, TITLE_CHARS - 1)}…` : draft.text;
  const manageToken = newToken();
  const { poll, questionId } = await withNewJoinCode((code) =>
    deps.db.transaction().execute(async (trx) => {
      const poll = await insertPoll(trx, { code, title, ownerId: null, manageTokenHash: hashToken(manageToken) });
      const questionId = await insertQuestion(trx, {
        pollId: poll.id,
        ...draft,
        status: 'live',
        hideResults: false,
        timeLimitSec: null,
        closesAt: null,
      });
      await setCurrentQuestion(trx, poll.id, questionId);
      return { poll, questionId };
    }),
  );
  const question = await loadQuestionView(deps.db, questionId, { forOrganizer: true });
  if (!question) throw new Error(`question ${questionId} vanished after its insert`);
  await announce(deps, poll.code, questionId);
  return { poll, question, manageToken };
}

/** A managed poll and its question (a quick poll has exactly one). */
export async function managedQuickPoll(deps: PollDeps, manager: Manager, code: string): Promise<QuickPoll> {
  const poll = await requireManagedPoll(deps.db, manager, code);
  const [first] = await listQuestionIds(deps.db, poll.id);
  const question = first === undefined ? undefined : await loadQuestionView(deps.db, first, { forOrganizer: true });
  if (!question) throw new AppError('question_not_found', 'audience.manage.noQuestion');
  return { poll, question };
}

export async function closeQuickPoll(deps: PollDeps, manager: Manager, code: string): Promise<QuickPoll> {
  const { poll, question } = await managedQuickPoll(deps, manager, code);
  return { poll, question: await closeQuestion(deps, manager, question.id) };
}

export async function reopenQuickPoll(deps: PollDeps, manager: Manager, code: string): Promise<QuickPoll> {
  const { poll, question } = await managedQuickPoll(deps, manager, code);
  return { poll, question: await activateQuestion(deps, manager, question.id) };
}

export async function revealQuickPoll(deps: PollDeps, manager: Manager, code: string): Promise<QuickPoll> {
  const { poll, question } = await managedQuickPoll(deps, manager, code);
  return { poll, question: await revealAnswer(deps, manager, question.id) };
}
