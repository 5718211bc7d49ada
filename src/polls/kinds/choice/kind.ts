import Type from 'typebox';
import { AppError } from '../../../errors.js';
import { ofKind, type QuestionKind } from '../kind.js';
import { draftOptions, OptionResult, optionCounts, optionCsvLines, optionResults } from '../options.js';
import { correctPlaces, draftCorrect, QuizResult, quizView } from '../quiz.js';

/** The question object's fields of a single-choice question. */
export const ChoiceFields = { kind: Type.Literal('choice'), options: Type.Array(OptionResult), quiz: QuizResult };

/** Single choice: one option per voter; each option counts its voters. */
export const choice: QuestionKind = {
  name: 'choice',
  answerFields: { names: ['optionId'] },

  draft(input) {
    const { text, options } = draftOptions(input);
    const quiz = draftCorrect(input.correct, options.length, 1);
    return { kind: 'choice', text, options, settings: quiz.correct ? quiz : null };
  },

  asInput(question) {
    const { text, options, quiz } = ofKind(question, 'choice');
    return { kind: 'choice', text, options: options.map((o) => o.text), ...correctPlaces(options, quiz) };
  },

  answer(fields, question) {
    if (fields.optionId === undefined || !question.optionIds.includes(fields.optionId)) {
      return new AppError('invalid_option', 'errors.optionNotInQuestion');
    }
    return { option_id: fields.optionId, answer: null };
  },

  counts: (answer) => (answer.option_id === null ? [] : [[answer.option_id, 1]]),

  view: (question, { options }, settings, disclosure) => ({
    ...question,
    kind: 'choice',
    options: optionResults(options, question.totalVotes),
    ...quizView(settings, options, disclosure),
  }),

  liveResults: optionCounts,

  csvLines: optionCsvLines,
};
