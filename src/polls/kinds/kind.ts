import type { OptionRow } from '../../db/database.js';
import type { AppError } from '../../errors.js';
import type { QuestionView, ResultsCounts } from '../../realtime/messages.js';
import type { NewQuestionFields, VoteFields } from '../schemas.js';
import type { Disclosure } from './quiz.js';

/** The settings of a question's kind, kept as JSON beside it; each kind reads its own. */
export interface QuestionSettings {
  /** Multiple choice: how many options a voter may pick. */
  maxChoices?: number;
  /** Rating: the scale's ends, and what they mean. */
  scale?: RatingScale;
  /** Word cloud: how many words a voter may give. */
  maxWords?: number;
  /** Quiz (single or multiple choice): the places of the right options. */
  correct?: number[];
}

export interface RatingScale {
  min: number;
  max: number;
  minLabel?: string;
  maxLabel?: string;
}

/** A question as the organizer made it, held to its kind's rules: what is stored. */
export interface QuestionDraft {
  kind: string;
  text: string;
  options: string[];
  settings: QuestionSettings | null;
}

/** An answer as its vote row keeps it: what a change of vote replaces, and what counts are made of. */
export interface StoredAnswer {
  /** The one option an answer counts for: a single choice, or a rating's value. */
  option_id: number | null;
  /** The answer as its kind writes and reads it (JSON), for every kind but single choice. */
  answer: string | null;
}

/** Whether a changed vote gives the same answer as before: then nothing moves. */
export const sameAnswer = (a: StoredAnswer, b: StoredAnswer) => a.option_id === b.option_id && a.answer === b.answer;

/** What a vote batch knows of a live question when it reads the answers sent for it. */
export interface AnsweredQuestion {
  /** The question's options (or a rating's values), in their order. */
  optionIds: readonly number[];
  settings: QuestionSettings;
}

/** A question's stored counts: its options in their order, its words given most, its latest open answers. */
export interface StoredCounts {
  options: readonly Pick<OptionRow, 'id' | 'text' | 'votes'>[];
  words: readonly { text: string; count: number }[];
  answers: readonly { id: number; text: string; createdAt: string }[];
}

/** The question object's fields that every kind shares. */
export type QuestionBase = Pick<
  QuestionView,
  | 'id'
  | 'pollCode'
  | 'text'
  | 'status'
  | 'totalVotes'
  | 'version'
  | 'createdAt'
  | 'hiddenResults'
  | 'timeLimitSec'
  | 'closesAt'
  | 'closesInMs'
>;

/** One line of a question's results in the CSV export: the answer, its votes and its percent. */
export type CsvLine = readonly [answer: string, votes: number, percent: number];

/**
 * A kind of question: everything that differs from one kind to another, on the server. The vote
 * path stays batched: a kind reads each answer and says what it counts; the batch writes every
 * count at once. Its pages' templates and the browser's rendering are its siblings
 * (`templates.ts`, `browser.ts`).
 */
export interface QuestionKind {
  readonly name: string;
  /** The vote body's fields that carry this kind's answer (a client sending others is told which, audience.vote.wrongFields). */
  readonly answerFields: { names: readonly (keyof VoteFields)[] };
  /** A typed question's fields held to this kind's rules; a `validation_failed` error says what is wrong. */
  draft(input: NewQuestionFields): QuestionDraft;
  /** The fields that make this question again as it is (given as its organizer sees it), for an edit to change some of them. */
  asInput(question: QuestionView): NewQuestionFields;
  /**
   * The answer in a vote body (whose fields are this kind's, checked before), as its row keeps
   * it; or why it does not fit the question.
   */
  answer(fields: VoteFields, question: AnsweredQuestion): StoredAnswer | AppError;
  /** How one answer changes its question's option counters: option id and how many to add. */
  counts(answer: StoredAnswer): Iterable<readonly [optionId: number, votes: number]>;
  /** The words one answer adds to its question's word counts, for a kind that counts words. */
  words?(answer: StoredAnswer): readonly string[];
  /** The text one answer puts on its question's wall, for a kind of open answers. */
  openText?(answer: StoredAnswer): string | undefined;
  /** The question object of this kind, from its stored counts; a quiz's right options as disclosed. */
  view(question: QuestionBase, counts: StoredCounts, settings: QuestionSettings, disclosure: Disclosure): QuestionView;
  /** The kind's own fields of a `results` live message: the counts screens update in place. */
  liveResults(question: QuestionView): ResultsCounts;
  csvLines(question: QuestionView): CsvLine[];
}

/** The question as its own kind's object: a kind is only ever handed its own questions. */
export function ofKind<K extends QuestionView['kind']>(
  question: QuestionView,
  kind: K,
): Extract<QuestionView, { kind: K }> {
  if (question.kind !== kind) throw new Error(`A ${kind} question was expected, not ${question.kind}`);
  return question as Extract<QuestionView, { kind: K }>;
}
