import Type from 'typebox';
import { AppError } from '../../../errors.js';
import { ofKind, type QuestionKind } from '../kind.js';
import { draftOptions, OptionResult, optionCounts, optionCsvLines, optionResults } from '../options.js';

/** The question object's fields of a single-choice question. */
export const ChoiceFields = { kind: Type.Literal('choice'), options: Type.Array(OptionResult) };

/** Single choice: one option per voter; each option counts its voters. */
export const choice: QuestionKind = {
  name: 'choice',
  answerFields: { names: ['optionId'], expected: 'one optionId' },

  draft: (input) => ({ kind: 'choice', ...draftOptions(input), settings: null }),

  asInput: (question) => ({
    kind: 'choice',
    text: question.text,
    options: ofKind(question, 'choice').options.map((o) => o.text),
  }),

  answer(fields, question) {
    if (fields.optionId === undefined || !question.optionIds.includes(fields.optionId)) {
      return new AppError('invalid_option', 'That option does not belong to this question.');
    }
    return { option_id: fields.optionId, answer: null };
  },

  counts: (answer) => (answer.option_id === null ? [] : [[answer.option_id, 1]]),

  view: (question, { options }) => ({
    ...question,
    kind: 'choice',
    options: optionResults(options, question.totalVotes),
  }),

  liveResults: optionCounts,

  csvLines: optionCsvLines,
};
