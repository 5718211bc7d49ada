import Type from 'typebox';
import { AppError } from '../../../errors.js';
import { cleanText } from '../../../ocr/text.js';
import { percentOf } from '../../../realtime/messages.js';
import { ofKind, type QuestionKind, type StoredAnswer } from '../kind.js';
import { draftQuestionText } from '../question-text.js';

export const MAX_ANSWER_CHARS = 280;
/** The answers a question object, and a results message, carry: the latest. */
export const SHOWN_ANSWERS = 50;

export const OpenAnswer = Type.Object({ id: Type.Integer(), text: Type.String(), createdAt: Type.String() });

/** The question object's fields of an open-text question. */
export const TextFields = {
  kind: Type.Literal('text'),
  answers: Type.Array(OpenAnswer, {
    description: `the latest ${SHOWN_ANSWERS} answers, newest first; every shown answer is in the CSV, every answer at GET /api/admin/questions/{id}/answers`,
  }),
};

/** A vote's own field on an open-text question. */
export const TextVoteFields = {
  text: Type.Optional(
    Type.String({ maxLength: 2000, description: `open text: the answer, at most ${MAX_ANSWER_CHARS} characters` }),
  ),
};

/** The text of a stored open answer; undefined for none. */
export const answeredText = (answer: StoredAnswer | null): string | undefined =>
  answer?.answer == null ? undefined : (JSON.parse(answer.answer) as string);

/** Open text: each voter writes a short answer; screens show the latest as a wall. */
export const text: QuestionKind = {
  name: 'text',
  answerFields: { names: ['text'] },

  draft(input) {
    if (input.options !== undefined) {
      throw new AppError('validation_failed', 'kinds.text.noOptions');
    }
    return { kind: 'text', text: draftQuestionText(input.text), options: [], settings: null };
  },

  asInput: (question) => ({ kind: 'text', text: question.text }),

  answer(fields) {
    // Control characters and direction marks go: an answer cannot reverse the wall around it.
    const written = cleanText(fields.text ?? '', MAX_ANSWER_CHARS + 1);
    if (!written) return new AppError('invalid_vote', 'kinds.text.answerMissing');
    if ([...written].length > MAX_ANSWER_CHARS) {
      return new AppError('invalid_vote', 'kinds.text.answerTooLong', { max: MAX_ANSWER_CHARS });
    }
    return { option_id: null, answer: JSON.stringify(written) };
  },

  counts: () => [],

  openText: (answer) => answeredText(answer),

  view: (question, { answers }) => ({ ...question, kind: 'text', answers: [...answers] }),

  liveResults: (question) => ({ answers: ofKind(question, 'text').answers }),

  csvLines: (question) =>
    ofKind(question, 'text').answers.map((answer) => [answer.text, 1, percentOf(1, question.totalVotes)] as const),
};
