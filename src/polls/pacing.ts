import type { Db, PollRow } from '../db/database.js';
import { AppError } from '../errors.js';
import type { QuestionView } from '../realtime/messages.js';
import { listQuestionOutlines, type QuestionOutline } from './queries.js';
import {
  activateQuestion,
  closeQuestion,
  type Manager,
  type PollDeps,
  requireManagedPoll,
  revealAnswer,
} from './service.js';
import { startCountdown, stopCountdown } from './timers.js';

// The presenter steps through a poll's questions in the poll's order, as through slides: the
// question stepped to goes live (the one before closes and keeps its results).

export type Step = 'next' | 'previous';

/** Where the poll's current question stands in its order, for the presenter's controls. */
export interface Pace {
  /** The current question's place, from 1; null while none has been shown. */
  place: number | null;
  count: number;
  previous: QuestionOutline | null;
  next: QuestionOutline | null;
}

export async function paceOf(db: Db, poll: PollRow): Promise<Pace> {
  const order = await listQuestionOutlines(db, poll.id);
  const at = order.findIndex((question) => question.id === poll.current_question_id);
  return {
    place: at < 0 ? null : at + 1,
    count: order.length,
    previous: at > 0 ? (order[at - 1] ?? null) : null,
    // Before any question was shown, the first one is next.
    next: order[at + 1] ?? null,
  };
}

/** Makes the question after (or before) the current one live; at either end there is none to go to. */
export async function stepQuestion(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  step: Step,
): Promise<QuestionView> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  const pace = await paceOf(deps.db, poll);
  const target = pace[step];
  if (!target) {
    const message =
      pace.count === 0
        ? 'audience.pacing.noQuestions'
        : step === 'next'
          ? 'audience.pacing.atLast'
          : pace.place === null
            ? 'audience.pacing.noneShown'
            : 'audience.pacing.atFirst';
    throw new AppError('no_more_questions', message);
  }
  return activateQuestion(deps, manager, target.id);
}

/** What the presenter's controls do besides stepping: each acts on the question on the screens. */
export type ScreenAction = 'close' | 'reopen' | 'reveal' | 'stop-timer';

const screenActions = {
  close: closeQuestion,
  reopen: activateQuestion,
  reveal: revealAnswer,
  'stop-timer': stopCountdown,
} as const;

export async function actOnCurrent(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  action: ScreenAction,
): Promise<QuestionView> {
  return screenActions[action](deps, manager, await currentQuestionId(deps, manager, codeInput));
}

/** Starts a countdown of `seconds` on the question on the screens. */
export async function timeCurrent(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  seconds: number,
): Promise<QuestionView> {
  return startCountdown(deps, manager, await currentQuestionId(deps, manager, codeInput), seconds);
}

async function currentQuestionId(deps: PollDeps, manager: Manager, codeInput: string): Promise<number> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  if (poll.current_question_id === null) throw new AppError('question_not_live', 'audience.pacing.noCurrent');
  return poll.current_question_id;
}
