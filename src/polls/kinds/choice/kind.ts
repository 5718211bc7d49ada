import Type from 'typebox';
import { AppError } from '../../../errors.js';
import { cleanText, MAX_OPTION_CHARS, MAX_QUESTION_CHARS } from '../../../ocr/text.js';
import { percentOf } from '../../../realtime/messages.js';
import type { QuestionKind } from '../kind.js';

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** The question object's fields of a single-choice question. */
export const ChoiceFields = {
  kind: Type.Literal('choice'),
  options: Type.Array(
    Type.Object({ id: Type.Integer(), text: Type.String(), votes: Type.Integer(), percent: Type.Number() }),
  ),
};

/** A typed single-choice question's own fields. */
export const ChoiceNewFields = {
  options: Type.Array(Type.String({ maxLength: 1000 }), { minItems: MIN_OPTIONS, maxItems: MAX_OPTIONS }),
};

/** A vote's own fields on a single-choice question. */
export const ChoiceVoteFields = { optionId: Id };

/** The question text and its options, cleaned, then held to the rules every question with options shares. */
export function draftOptions(input: { text: string; options: readonly string[] }): { text: string; options: string[] } {
  const text = cleanText(input.text, MAX_QUESTION_CHARS + 1);
  const options = input.options.map((option) => cleanText(option, MAX_OPTION_CHARS + 1));
  if (!text) throw new AppError('validation_failed', 'The question needs some text.');
  if (text.length > MAX_QUESTION_CHARS) {
    throw new AppError('validation_failed', `The question is longer than ${MAX_QUESTION_CHARS} characters.`);
  }
  if (options.some((option) => !option)) throw new AppError('validation_failed', 'Every option needs some text.');
  if (options.some((option) => option.length > MAX_OPTION_CHARS)) {
    throw new AppError('validation_failed', `Options are at most ${MAX_OPTION_CHARS} characters long.`);
  }
  if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
    throw new AppError('validation_failed', `A question has ${MIN_OPTIONS} to ${MAX_OPTIONS} options.`);
  }
  if (new Set(options.map((option) => option.toLowerCase())).size !== options.length) {
    throw new AppError('validation_failed', 'Two options have the same text.');
  }
  return { text, options };
}

/** Single choice: one option per voter; each option counts its voters. */
export const choice: QuestionKind = {
  name: 'choice',

  draft: (input) => ({ kind: 'choice', ...draftOptions({ text: input.text, options: input.options }) }),

  answer(fields, question) {
    if (!question.optionIds.has(fields.optionId)) {
      return new AppError('invalid_option', 'That option does not belong to this question.');
    }
    return { option_id: fields.optionId };
  },

  counts: (answer) => [[answer.option_id, 1]],

  view: (question, options) => ({
    ...question,
    kind: 'choice',
    options: options.map((option) => ({
      id: option.id,
      text: option.text,
      votes: option.votes,
      percent: percentOf(option.votes, question.totalVotes),
    })),
  }),

  liveResults: (question) => ({ options: question.options.map(({ id, votes }) => ({ id, votes })) }),

  csvLines: (question) => question.options.map((option) => [option.text, option.votes, option.percent] as const),
};
