import Type from 'typebox';
import type { OptionRow } from '../../../db/database.js';
import { AppError } from '../../../errors.js';
import { cleanText } from '../../../ocr/text.js';
import { percentOf } from '../../../realtime/messages.js';
import { ofKind, type QuestionKind, type RatingScale, type StoredAnswer } from '../kind.js';
import { draftQuestionText } from '../question-text.js';

export const LOWEST_RATING = 0;
export const HIGHEST_RATING = 10;
const DEFAULT_SCALE = { min: 1, max: 5 };
const MAX_LABEL_CHARS = 60;

const ScaleEnd = Type.Integer({ minimum: LOWEST_RATING, maximum: HIGHEST_RATING });
const ScaleLabel = Type.String({ maxLength: 500 });

/** The question object's fields of a rating question. */
export const RatingFields = {
  kind: Type.Literal('rating'),
  scale: Type.Object({
    min: Type.Integer(),
    max: Type.Integer(),
    minLabel: Type.Optional(Type.String()),
    maxLabel: Type.Optional(Type.String()),
  }),
  distribution: Type.Array(Type.Object({ value: Type.Integer(), votes: Type.Integer(), percent: Type.Number() }), {
    description: 'every value of the scale, lowest first, with its voters and their share',
  }),
  average: Type.Union([Type.Number(), Type.Null()], {
    description: 'the mean rating, to two decimals; null before any',
  }),
};

/** A typed rating question's own field. */
export const RatingNewFields = {
  scale: Type.Optional(
    Type.Object(
      {
        min: Type.Optional(ScaleEnd),
        max: Type.Optional(ScaleEnd),
        minLabel: Type.Optional(ScaleLabel),
        maxLabel: Type.Optional(ScaleLabel),
      },
      {
        additionalProperties: false,
        description: `rating: the lowest and highest value (1 to 5 when left out; within ${LOWEST_RATING}–${HIGHEST_RATING}) and what each end means`,
      },
    ),
  ),
};

/** A vote's own field on a rating question; the question's scale decides which values fit. */
export const RatingVoteFields = {
  value: Type.Optional(Type.Integer({ description: 'rating: a whole number on the question’s scale' })),
};

/** The value of a stored rating; undefined for none. */
export const ratedValue = (answer: StoredAnswer | null): number | undefined =>
  answer?.answer == null ? undefined : Number(answer.answer);

/** The scale a rating question was stored with. */
export const scaleOf = (settings: { scale?: RatingScale }): RatingScale => settings.scale ?? DEFAULT_SCALE;

/** What is wrong with a label too long, at each end of the scale. */
const labelTooLong = { lowest: 'kinds.rating.minLabelTooLong', highest: 'kinds.rating.maxLabelTooLong' } as const;

/** A label of one end of the scale, cleaned; undefined when there is none. */
function draftLabel(label: string | undefined, end: 'lowest' | 'highest'): string | undefined {
  const cleaned = label === undefined ? '' : cleanText(label, MAX_LABEL_CHARS + 1);
  if (cleaned.length > MAX_LABEL_CHARS) {
    throw new AppError('validation_failed', labelTooLong[end], { max: MAX_LABEL_CHARS });
  }
  return cleaned || undefined;
}

/** Rounds the mean of the votes on the values to two decimals. */
function averageOf(distribution: readonly { value: number; votes: number }[], voters: number): number | null {
  if (voters === 0) return null;
  const sum = distribution.reduce((total, { value, votes }) => total + value * votes, 0);
  return Math.round((sum / voters) * 100) / 100;
}

const distributionOf = (options: readonly Pick<OptionRow, 'votes'>[], scale: RatingScale, voters: number) =>
  options.map((option, i) => ({
    value: scale.min + i,
    votes: option.votes,
    percent: percentOf(option.votes, voters),
  }));

/**
 * Rating: each voter gives one whole number on the question's scale. Each value of the scale is
 * stored as an option of its own, in order, so a rating is counted the way a single choice is.
 */
export const rating: QuestionKind = {
  name: 'rating',
  answerFields: { names: ['value'] },

  draft(input) {
    if (input.options !== undefined) {
      throw new AppError('validation_failed', 'kinds.rating.noOptions');
    }
    const min = input.scale?.min ?? DEFAULT_SCALE.min;
    const max = input.scale?.max ?? (min < DEFAULT_SCALE.max ? DEFAULT_SCALE.max : HIGHEST_RATING);
    if (min >= max) throw new AppError('validation_failed', 'kinds.rating.scaleOrder');
    const minLabel = draftLabel(input.scale?.minLabel, 'lowest');
    const maxLabel = draftLabel(input.scale?.maxLabel, 'highest');
    const scale: RatingScale = { min, max, ...(minLabel ? { minLabel } : {}), ...(maxLabel ? { maxLabel } : {}) };
    const values = Array.from({ length: max - min + 1 }, (_, i) => String(min + i));
    return { kind: 'rating', text: draftQuestionText(input.text), options: values, settings: { scale } };
  },

  asInput: (question) => ({ kind: 'rating', text: question.text, scale: ofKind(question, 'rating').scale }),

  answer(fields, question) {
    const { min, max } = scaleOf(question.settings);
    const value = fields.value;
    const optionId = value === undefined ? undefined : question.optionIds[value - min];
    if (value === undefined || value < min || value > max || optionId === undefined) {
      return new AppError('invalid_vote', 'kinds.rating.invalidValue', { min, max });
    }
    // The value beside its option, so that the voter's pages can show it.
    return { option_id: optionId, answer: String(value) };
  },

  counts: (answer) => (answer.option_id === null ? [] : [[answer.option_id, 1]]),

  view(question, { options }, settings) {
    const scale = scaleOf(settings);
    const distribution = distributionOf(options, scale, question.totalVotes);
    return { ...question, kind: 'rating', scale, distribution, average: averageOf(distribution, question.totalVotes) };
  },

  liveResults(question) {
    const { distribution, average } = ofKind(question, 'rating');
    return { distribution: distribution.map(({ value, votes }) => ({ value, votes })), average };
  },

  csvLines: (question) =>
    ofKind(question, 'rating').distribution.map((row) => [String(row.value), row.votes, row.percent] as const),
};
