import Type from 'typebox';
import { AppError } from '../../../errors.js';
import { percentOf } from '../../../realtime/messages.js';
import { ofKind, type QuestionKind } from '../kind.js';
import { draftOptions, OptionId } from '../options.js';

export const MAX_RANKED = 10;

/** An option of a ranking, with its Borda points and the average place voters gave it. */
const RankedOption = Type.Object({
  id: Type.Integer(),
  text: Type.String(),
  score: Type.Integer({ description: 'Borda points: with n options, first place gives n − 1 points, last none' }),
  averagePosition: Type.Union([Type.Number(), Type.Null()], {
    description: 'the average place voters gave it, 1 for first, to two decimals; null before any vote',
  }),
});

/** The question object's fields of a ranking question. */
export const RankingFields = {
  kind: Type.Literal('ranking'),
  options: Type.Array(RankedOption, { description: 'the options, highest score first' }),
};

/** A vote's own field on a ranking question. */
export const RankingVoteFields = {
  ranking: Type.Optional(
    Type.Array(OptionId, { maxItems: MAX_RANKED, description: 'ranking: every option once, the first place first' }),
  ),
};

/** The order a stored ranking gave, first place first. */
export const rankedOptions = (answer: string | null): number[] =>
  answer === null ? [] : (JSON.parse(answer) as number[]);

/** Average place from Borda points: each voter gives an option n − place points. */
const averagePosition = (score: number, voters: number, options: number) =>
  voters === 0 ? null : Math.round((options - score / voters) * 100) / 100;

/** Ranking: each voter puts every option in order; options are scored by Borda count. */
export const ranking: QuestionKind = {
  name: 'ranking',
  answerFields: { names: ['ranking'] },

  draft(input) {
    const drafted = draftOptions(input);
    if (drafted.options.length > MAX_RANKED) {
      throw new AppError('validation_failed', 'kinds.ranking.tooManyOptions', { max: MAX_RANKED });
    }
    return { kind: 'ranking', ...drafted, settings: null };
  },

  asInput(question) {
    const { text, options } = ofKind(question, 'ranking');
    // The options as the organizer made them: their stored order, not the results' order.
    return { kind: 'ranking', text, options: [...options].sort((a, b) => a.id - b.id).map((option) => option.text) };
  },

  answer(fields, question) {
    const order = fields.ranking ?? [];
    if (order.length !== question.optionIds.length || new Set(order).size !== order.length) {
      return new AppError('invalid_vote', 'kinds.ranking.rankEvery', { count: question.optionIds.length });
    }
    if (order.some((id) => !question.optionIds.includes(id))) {
      return new AppError('invalid_option', 'errors.optionNotInQuestion');
    }
    return { option_id: null, answer: JSON.stringify(order) };
  },

  // Kept in the options' counters: first of n gets n − 1 points, last none.
  counts(answer) {
    const order = rankedOptions(answer.answer);
    return order.map((optionId, place) => [optionId, order.length - 1 - place] as const);
  },

  view(question, { options }) {
    const ranked = options.map((option) => ({
      id: option.id,
      text: option.text,
      score: option.votes,
      averagePosition: averagePosition(option.votes, question.totalVotes, options.length),
    }));
    // Highest score first; a tie keeps the organizer's order (the sort is stable).
    return { ...question, kind: 'ranking', options: ranked.sort((a, b) => b.score - a.score) };
  },

  liveResults: (question) => ({
    ranking: ofKind(question, 'ranking').options.map(({ id, score, averagePosition }) => ({
      id,
      score,
      averagePosition,
    })),
  }),

  // Points, and their share of the most an option could have had (every voter's first place).
  csvLines(question) {
    const { options, totalVotes } = ofKind(question, 'ranking');
    return options.map(
      (option) => [option.text, option.score, percentOf(option.score, totalVotes * (options.length - 1))] as const,
    );
  },
};
