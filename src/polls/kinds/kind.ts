import type { OptionRow } from '../../db/database.js';
import type { AppError } from '../../errors.js';
import type { QuestionView, ResultsCounts } from '../../realtime/messages.js';
import type { NewQuestionFields, VoteFields } from '../schemas.js';

/** A question as the organizer made it, held to its kind's rules: what is stored. */
export interface QuestionDraft {
  kind: string;
  text: string;
  options: string[];
}

/** An answer as its vote row keeps it: what a change of vote replaces, and what counts are made of. */
export interface StoredAnswer {
  option_id: number;
}

/** Whether a changed vote gives the same answer as before: then nothing moves. */
export const sameAnswer = (a: StoredAnswer, b: StoredAnswer) => a.option_id === b.option_id;

/** What a vote batch knows of a live question when it reads the answers sent for it. */
export interface AnsweredQuestion {
  optionIds: ReadonlySet<number>;
}

/** The question object's fields that every kind shares. */
export type QuestionBase = Pick<
  QuestionView,
  'id' | 'pollCode' | 'text' | 'status' | 'totalVotes' | 'version' | 'createdAt'
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
  /** A typed question's fields held to this kind's rules; a `validation_failed` error says what is wrong. */
  draft(input: NewQuestionFields): QuestionDraft;
  /** The answer a vote body gives to this question, as its row keeps it; or why the body does not fit. */
  answer(fields: VoteFields, question: AnsweredQuestion): StoredAnswer | AppError;
  /** How one answer changes its question's option counters: option id and how many to add. */
  counts(answer: StoredAnswer): Iterable<readonly [optionId: number, votes: number]>;
  /** The question object of this kind, from the question's stored options in their order. */
  view(question: QuestionBase, options: readonly Pick<OptionRow, 'id' | 'text' | 'votes'>[]): QuestionView;
  /** The kind's own fields of a `results` live message: the counts screens update in place. */
  liveResults(question: QuestionView): ResultsCounts;
  csvLines(question: QuestionView): CsvLine[];
}
