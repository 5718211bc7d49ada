import Type from 'typebox';
import { AppError } from '../../../errors.js';
import { ofKind, type QuestionKind } from '../kind.js';
import {
  draftOptions,
  MAX_OPTIONS,
  OptionId,
  OptionResult,
  optionCounts,
  optionCsvLines,
  optionResults,
} from '../options.js';
import { correctPlaces, draftCorrect, QuizResult, quizView } from '../quiz.js';

/** The question object's fields of a multiple-choice question. */
export const MultiFields = {
  kind: Type.Literal('multi'),
  options: Type.Array(OptionResult, { description: 'each option’s percent is of the voters who answered' }),
  maxChoices: Type.Integer({ description: 'how many options a voter may pick' }),
  quiz: QuizResult,
};

/** A typed multiple-choice question's own field. */
export const MultiNewFields = {
  maxChoices: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_OPTIONS,
      description: 'multiple choice: how many options a voter may pick (1 to the number of options; all when left out)',
    }),
  ),
};

/** A vote's own field on a multiple-choice question. */
export const MultiVoteFields = {
  optionIds: Type.Optional(
    Type.Array(OptionId, { maxItems: MAX_OPTIONS, description: 'multiple choice: the options picked, each once' }),
  ),
};

/** The options a stored answer picked. */
export const pickedOptions = (answer: string | null): number[] =>
  answer === null ? [] : (JSON.parse(answer) as number[]);

/** Multiple choice: a voter picks one or more options, up to the question's limit; each option counts its voters. */
export const multi: QuestionKind = {
  name: 'multi',
  answerFields: { names: ['optionIds'] },

  draft(input) {
    const { text, options } = draftOptions(input);
    const maxChoices = input.maxChoices ?? options.length;
    if (maxChoices > options.length) {
      throw new AppError('validation_failed', 'kinds.multi.maxChoicesAboveOptions', { count: options.length });
    }
    return {
      kind: 'multi',
      text,
      options,
      settings: { maxChoices, ...draftCorrect(input.correct, options.length, maxChoices) },
    };
  },

  asInput(question) {
    const { text, options, maxChoices, quiz } = ofKind(question, 'multi');
    return {
      kind: 'multi',
      text,
      options: options.map((option) => option.text),
      maxChoices,
      ...correctPlaces(options, quiz),
    };
  },

  answer(fields, question) {
    const chosen = fields.optionIds ?? [];
    const most = question.settings.maxChoices ?? question.optionIds.length;
    if (chosen.length === 0) return new AppError('invalid_vote', 'kinds.multi.nonePicked');
    if (chosen.length > most) return new AppError('invalid_vote', 'kinds.multi.tooManyPicked', { max: most });
    if (new Set(chosen).size !== chosen.length) return new AppError('invalid_vote', 'kinds.multi.pickedTwice');
    if (chosen.some((id) => !question.optionIds.includes(id))) {
      return new AppError('invalid_option', 'errors.optionNotInQuestion');
    }
    // Sorted, so that the same options picked in another order are the same answer.
    return { option_id: null, answer: JSON.stringify([...chosen].sort((a, b) => a - b)) };
  },

  counts: (answer) => pickedOptions(answer.answer).map((optionId) => [optionId, 1] as const),

  view: (question, { options }, settings, disclosure) => ({
    ...question,
    kind: 'multi',
    options: optionResults(options, question.totalVotes),
    maxChoices: settings.maxChoices ?? options.length,
    ...quizView(settings, options, disclosure),
  }),

  liveResults: optionCounts,

  csvLines: optionCsvLines,
};
