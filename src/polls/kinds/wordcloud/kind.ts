import Type from 'typebox';
import { AppError } from '../../../errors.js';
import { percentOf } from '../../../realtime/messages.js';
import { ofKind, type QuestionKind } from '../kind.js';
import { draftQuestionText } from '../question-text.js';

export const MAX_WORDS = 3;
export const MAX_WORD_CHARS = 25;
/** The words a cloud shows, and a results message carries: the most given. */
export const SHOWN_WORDS = 100;

const WordCount = Type.Object({ text: Type.String(), count: Type.Integer({ description: 'how many voters gave it' }) });

/** The question object's fields of a word-cloud question. */
export const WordcloudFields = {
  kind: Type.Literal('wordcloud'),
  maxWords: Type.Integer({ description: 'how many words a voter may give' }),
  words: Type.Array(WordCount, {
    description: `the ${SHOWN_WORDS} words given most, most first, each as it was normalized (case, spaces, Unicode NFC)`,
  }),
};

/** A typed word-cloud question's own field. */
export const WordcloudNewFields = {
  maxWords: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_WORDS,
      description: `word cloud: how many words a voter may give (1 to ${MAX_WORDS}; ${MAX_WORDS} when left out)`,
    }),
  ),
};

/** A vote's own field on a word-cloud question; the question's kind holds each word to its rules. */
export const WordcloudVoteFields = {
  words: Type.Optional(
    Type.Array(Type.String({ maxLength: 200 }), {
      maxItems: 10,
      description: `word cloud: up to the question's maxWords words, each at most ${MAX_WORD_CHARS} characters`,
    }),
  ),
};

/**
 * A word as the cloud counts it: lower case, NFC, spaces collapsed, and without invisible
 * formatting characters (direction marks, zero-width spaces), which would make one word look like
 * another, or reverse the text around it.
 */
export function normalizeWord(word: string): string {
  return word
    .normalize('NFC')
    .replace(/\p{Cf}+/gu, '')
    .replace(/[\p{Cc}\s\u2028\u2029]+/gu, ' ')
    .trim()
    .toLowerCase()
    .normalize('NFC');
}

/** The words a stored answer gave. */
export const givenWords = (answer: string | null): string[] =>
  answer === null ? [] : (JSON.parse(answer) as string[]);

/** Word cloud: each voter gives one to a few words; the cloud counts how many voters gave each. */
export const wordcloud: QuestionKind = {
  name: 'wordcloud',
  answerFields: { names: ['words'] },

  draft(input) {
    if (input.options !== undefined) {
      throw new AppError('validation_failed', 'kinds.wordcloud.noOptions');
    }
    const maxWords = input.maxWords ?? MAX_WORDS;
    return { kind: 'wordcloud', text: draftQuestionText(input.text), options: [], settings: { maxWords } };
  },

  asInput: (question) => ({
    kind: 'wordcloud',
    text: question.text,
    maxWords: ofKind(question, 'wordcloud').maxWords,
  }),

  answer(fields, question) {
    const most = question.settings.maxWords ?? MAX_WORDS;
    const words = (fields.words ?? []).map(normalizeWord);
    if (words.length === 0) return new AppError('invalid_vote', 'kinds.wordcloud.noWords');
    if (words.some((word) => !word)) return new AppError('invalid_vote', 'kinds.wordcloud.emptyWord');
    if (words.length > most) {
      return new AppError('invalid_vote', 'kinds.wordcloud.tooManyWords', { most });
    }
    if (words.some((word) => [...word].length > MAX_WORD_CHARS)) {
      return new AppError('invalid_vote', 'kinds.wordcloud.wordTooLong', { max: MAX_WORD_CHARS });
    }
    // The same word twice (in any case or spacing) counts once; sorted, so that an answer in
    // another order is the same answer.
    return { option_id: null, answer: JSON.stringify([...new Set(words)].sort()) };
  },

  counts: () => [],

  words: (answer) => givenWords(answer.answer),

  view: (question, { words }, settings) => ({
    ...question,
    kind: 'wordcloud',
    maxWords: settings.maxWords ?? MAX_WORDS,
    words: words.map(({ text, count }) => ({ text, count })),
  }),

  liveResults: (question) => ({ words: ofKind(question, 'wordcloud').words }),

  csvLines: (question) =>
    ofKind(question, 'wordcloud').words.map(
      (word) => [word.text, word.count, percentOf(word.count, question.totalVotes)] as const,
    ),
};
