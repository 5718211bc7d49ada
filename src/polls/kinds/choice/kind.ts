import Type from 'typebox';
import type { OptionRow } from '../../../db/database.js';
import { AppError } from '../../../errors.js';
import { cleanText, MAX_OPTION_CHARS, MAX_QUESTION_CHARS } from '../../../ocr/text.js';
import { percentOf, type QuestionView } from '../../../realtime/messages.js';
import type { QuestionKind } from '../kind.js';

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;

export const OptionId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

/** An option in the question object: its votes, and their share of the voters. */
export const OptionResult = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  votes: Type.Integer(),
  percent: Type.Number(),
});

/** The question object's fields of a single-choice question. */
export const ChoiceFields = { kind: Type.Literal('choice'), options: Type.Array(OptionResult) };

/** The options of a typed question. */
export const OptionTexts = Type.Array(Type.String({ maxLength: 1000 }), {
  minItems: MIN_OPTIONS,
  maxItems: MAX_OPTIONS,
});

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

/** Each option with its votes and their share of the voters who answered. */
export const optionResults = (options: readonly Pick<OptionRow, 'id' | 'text' | 'votes'>[], voters: number) =>
  options.map((option) => ({
    id: option.id,
    text: option.text,
    votes: option.votes,
    percent: percentOf(option.votes, voters),
  }));

export const optionCounts = (question: Pick<QuestionView, 'options'>) => ({
  options: question.options.map(({ id, votes }) => ({ id, votes })),
});

export const optionCsvLines = (question: Pick<QuestionView, 'options'>) =>
  question.options.map((option) => [option.text, option.votes, option.percent] as const);

/** Single choice: one option per voter; each option counts its voters. */
export const choice: QuestionKind = {
  name: 'choice',
  answerFields: { names: ['optionId'], expected: 'one optionId' },

  draft: (input) => ({ kind: 'choice', ...draftOptions(input), settings: null }),

  asInput: (question) => ({ kind: 'choice', text: question.text, options: question.options.map((o) => o.text) }),

  answer(fields, question) {
    if (fields.optionId === undefined || !question.optionIds.has(fields.optionId)) {
      return new AppError('invalid_option', 'That option does not belong to this question.');
    }
    return { option_id: fields.optionId, answer: null };
  },

  counts: (answer) => (answer.option_id === null ? [] : [[answer.option_id, 1]]),

  view: (question, options) => ({ ...question, kind: 'choice', options: optionResults(options, question.totalVotes) }),

  liveResults: optionCounts,

  csvLines: optionCsvLines,
};
