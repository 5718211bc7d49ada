import { AppError } from '../errors.js';
import type { QuestionView } from '../realtime/messages.js';
import { closeIfDue, dueQuestions, setCountdown } from './queries.js';
import { announce, countdownEnd, type Manager, type PollDeps, requireManagedQuestion, requireView } from './service.js';

// A countdown closes the live question at zero, on the server: whether or not a page is open,
// and on whichever instance looks first, after a restart too.

/** Starts (or starts again) a countdown of `seconds` on the live question; every screen counts down with it. */
export async function startCountdown(
  deps: PollDeps,
  manager: Manager,
  questionId: number,
  seconds: number,
): Promise<QuestionView> {
  const { poll } = await requireManagedQuestion(deps.db, manager, questionId);
  if (!(await setCountdown(deps.db, questionId, countdownEnd(deps, seconds)))) {
    throw new AppError('question_not_live', 'organizer.errors.timerNotLive');
  }
  await announce(deps, poll.code, questionId);
  return requireView(deps.db, questionId);
}

/** Stops the live question's countdown: it stays open until closed. */
export async function stopCountdown(deps: PollDeps, manager: Manager, questionId: number): Promise<QuestionView> {
  const { poll } = await requireManagedQuestion(deps.db, manager, questionId);
  if (await setCountdown(deps.db, questionId, null)) await announce(deps, poll.code, questionId);
  return requireView(deps.db, questionId);
}

/** Closes every live question whose countdown has ended; each is announced once, by the instance that closed it. */
export async function closeDueQuestions(deps: PollDeps): Promise<void> {
  const at = new Date().toISOString();
  for (const { id, code } of await dueQuestions(deps.db, at)) {
    if (await closeIfDue(deps.db, id, at)) await announce(deps, code, id);
  }
}
