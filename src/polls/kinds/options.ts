import Type from 'typebox';
import { MAX_ROW_ID, type OptionRow } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { cleanText, MAX_OPTION_CHARS } from '../../ocr/text.js';
import { percentOf, type QuestionView } from '../../realtime/messages.js';
import { draftQuestionText } from './question-text.js';

// What the kinds of question with options (single and multiple choice, ranking) share.

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;

export const OptionId = Type.Integer({ minimum: 1, maximum: MAX_ROW_ID });

/** An option in the question object: its votes, and their share of the voters. */
export const OptionResult = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  votes: Type.Integer(),
  percent: Type.Number(),
});

/** The options of a typed question. */
export const OptionTexts = Type.Array(Type.String({ maxLength: 1000 }), {
  minItems: MIN_OPTIONS,
  maxItems: MAX_OPTIONS,
});

/** The question text and its options, cleaned, then held to the rules every question with options shares. */
export function draftOptions(input: { text: string; options?: readonly string[] | undefined }): {
  text: string;
  options: string[];
} {
  const text = draftQuestionText(input.text);
  if (input.options === undefined) {
    throw new AppError('validation_failed', 'kinds.options.countMissing', { min: MIN_OPTIONS, max: MAX_OPTIONS });
  }
  const options = input.options.map((option) => cleanText(option, MAX_OPTION_CHARS + 1));
  if (options.some((option) => !option)) throw new AppError('validation_failed', 'kinds.options.textMissing');
  if (options.some((option) => option.length > MAX_OPTION_CHARS)) {
    throw new AppError('validation_failed', 'kinds.options.textTooLong', { max: MAX_OPTION_CHARS });
  }
  if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
    throw new AppError('validation_failed', 'kinds.options.count', { min: MIN_OPTIONS, max: MAX_OPTIONS });
  }
  if (new Set(options.map((option) => option.toLowerCase())).size !== options.length) {
    throw new AppError('validation_failed', 'kinds.options.duplicate');
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

/** The options, with their votes, of a single- or multiple-choice question. */
export function optionsOf(question: QuestionView) {
  if (question.kind !== 'choice' && question.kind !== 'multi') {
    throw new Error(`A ${question.kind} question has no voted options`);
  }
  return question.options;
}

export const optionCounts = (question: QuestionView) => ({
  options: optionsOf(question).map(({ id, votes }) => ({ id, votes })),
});

export const optionCsvLines = (question: QuestionView) =>
  optionsOf(question).map((option) => [option.text, option.votes, option.percent] as const);
