import Type from 'typebox';
import { AppError } from '../../errors.js';
import type { QuestionView } from '../../realtime/messages.js';
import type { QuestionSettings } from './kind.js';
import { MAX_OPTIONS } from './options.js';

// A quiz question is a single- or multiple-choice question with right options. Which they are
// stays with the organizer until they reveal it; then every screen marks them.

/** The places of a quiz question's right options. */
export const RightPlaces = Type.Array(Type.Integer({ minimum: 0, maximum: MAX_OPTIONS - 1 }), {
  minItems: 1,
  maxItems: MAX_OPTIONS,
  description:
    'single or multiple choice: the places (from 0) of the right options, which make it a quiz question; kept from the audience until revealed',
});

/** A typed question's right options, which make it a quiz question. */
export const QuizNewFields = { correct: Type.Optional(RightPlaces) };

/** The question object's quiz field: only on a quiz question. */
export const QuizResult = Type.Optional(
  Type.Object(
    {
      revealed: Type.Boolean(),
      correctOptionIds: Type.Array(Type.Integer(), {
        description: 'the right options: empty for the audience until the organizer reveals them',
      }),
    },
    { description: 'a quiz question' },
  ),
);

/** The right options' places, held to the question: each once, each an option, no more than a voter may pick. */
export function draftCorrect(
  correct: readonly number[] | undefined,
  optionCount: number,
  mostPicked: number,
): Pick<QuestionSettings, 'correct'> {
  if (correct === undefined) return {};
  if (new Set(correct).size !== correct.length) {
    throw new AppError('validation_failed', 'kinds.quiz.correctTwice');
  }
  if (correct.some((place) => place >= optionCount)) {
    throw new AppError('validation_failed', 'kinds.quiz.correctPlace', { last: optionCount - 1 });
  }
  if (correct.length > mostPicked) {
    throw new AppError('validation_failed', 'kinds.quiz.tooManyRight', { most: mostPicked });
  }
  return { correct: [...correct].sort((a, b) => a - b) };
}

/** Whether a quiz question's right options show: once revealed, and always to its organizer. */
export interface Disclosure {
  revealed: boolean;
  toOrganizer: boolean;
}

/** The quiz field of a question with these settings and options (in their order); none if it is no quiz. */
export function quizView(
  settings: QuestionSettings,
  options: readonly { id: number }[],
  { revealed, toOrganizer }: Disclosure,
): { quiz?: { revealed: boolean; correctOptionIds: number[] } } {
  if (!settings.correct) return {};
  const shown = revealed || toOrganizer;
  return {
    quiz: { revealed, correctOptionIds: shown ? settings.correct.flatMap((place) => options[place]?.id ?? []) : [] },
  };
}

/** A question's quiz field: none for a question that is no quiz (or of a kind that cannot be one). */
export const quizField = (question: QuestionView) =>
  question.kind === 'choice' || question.kind === 'multi' ? question.quiz : undefined;

/**
 * Whether a voter who picked these options got a revealed quiz question right (for multiple
 * choice: exactly the right options); undefined before the reveal or without an answer.
 */
export function answeredRight(question: QuestionView, picked: ReadonlySet<number>): boolean | undefined {
  const quiz = quizField(question);
  if (!quiz?.revealed || picked.size === 0) return undefined;
  const right = quiz.correctOptionIds;
  return right.length === picked.size && right.every((id) => picked.has(id));
}

/** The places of a quiz question's right options, as its organizer sees them: the `correct` that makes it again. */
export function correctPlaces(
  options: readonly { id: number }[],
  quiz: { correctOptionIds: number[] } | undefined,
): { correct?: number[] } {
  if (!quiz) return {};
  return { correct: options.flatMap((option, place) => (quiz.correctOptionIds.includes(option.id) ? [place] : [])) };
}

/** A question whose results or quiz answer the audience has not seen yet. */
export const awaitsReveal = (question: QuestionView): boolean =>
  question.hiddenResults?.revealed === false || quizField(question)?.revealed === false;
