import type { Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/** The largest id an `integer` id column holds, on every dialect: a larger one names no row. */
export const MAX_ROW_ID = 2_147_483_647;

/** Timestamps are ISO 8601 text in UTC so that every dialect stores and sorts them alike. */
type IsoTime = string;

export interface UserTable {
  id: Generated<number>;
  username: string;
  /** Lower-cased username: usernames are unique regardless of case. */
  username_key: string;
  password_hash: string;
  role: 'admin' | 'organizer';
  created_at: IsoTime;
  /** Set while the admin has disabled the account: it cannot sign in, and its sessions are gone. */
  disabled_at: IsoTime | null;
}

export interface SessionTable {
  /** SHA-256 of the bearer token: a leaked table does not leak usable tokens. */
  id: string;
  user_id: number;
  created_at: IsoTime;
  expires_at: IsoTime;
}

export interface PollTable {
  id: Generated<number>;
  code: string;
  title: string;
  /** Null for a quick poll: made by someone without an account, managed with its token. */
  owner_id: number | null;
  /** SHA-256 of a quick poll's manage token. */
  manage_token_hash: string | null;
  /** 1: at most one vote per question from each network address (off by default: a room shares one). */
  one_vote_per_address: Generated<number>;
  /** 1: a voter may move their vote to another option until the question closes. */
  votes_changeable: Generated<number>;
  /** 1: words and open answers with profanity in them are kept from the screens. */
  profanity_filter: Generated<number>;
  /** 1: new questions keep their results from the audience until the organizer reveals them. */
  hide_results: Generated<number>;
  /** 1: the screens show the quiz leaderboard in place of the current question. */
  show_leaderboard: Generated<number>;
  /** 1: the audience may ask questions (audience Q&A). */
  qa_open: Generated<number>;
  /** 1: each question from the audience waits for the organizer's approval. */
  qa_moderated: Generated<number>;
  /** 1: askers may give their name. */
  qa_named: Generated<number>;
  /** The question from the audience the presenter view highlights; null for none. */
  qa_highlight_id: number | null;
  /** The language of the audience's pages for visitors who picked none (a catalog's tag); null: each browser's. */
  language: string | null;
  /**
   * The question most recently made live: it stays current after it closes (screens keep showing
   * its final results) until another goes live; null before the first, or once it is deleted.
   */
  current_question_id: number | null;
  created_at: IsoTime;
}

export type QuestionStatus = 'draft' | 'live' | 'closed';

export interface QuestionTable {
  id: Generated<number>;
  poll_id: number;
  text: string;
  /** Which kind of question (single choice, …): the names of `polls/kinds`. */
  kind: Generated<string>;
  /** The settings of the question's kind, as JSON; null where the kind has none. */
  settings: string | null;
  status: QuestionStatus;
  /** Where the question stands in its poll: the order it was made in, as the organizer moved it. */
  position: Generated<number>;
  /** Rises with every change of the counts or the text; clients drop older messages. */
  version: Generated<number>;
  total_votes: Generated<number>;
  /** 1: the audience sees how many answered, not the results, until the organizer reveals them. */
  hide_results: Generated<number>;
  /** Seconds of voting each time the question goes live; null: open until closed. */
  time_limit_sec: number | null;
  /** While a countdown runs on the live question: when it ends, and the question closes. */
  closes_at: IsoTime | null;
  /** When the question last went live: a quiz's right answer earns more the sooner it came. */
  live_at: IsoTime | null;
  /** When the organizer revealed the results or a quiz question's right answer; null while they are secret. */
  revealed_at: IsoTime | null;
  created_at: IsoTime;
  updated_at: IsoTime;
}

export interface OptionTable {
  id: Generated<number>;
  question_id: number;
  position: number;
  text: string;
  votes: Generated<number>;
}

export interface VoteTable {
  question_id: number;
  voter_id: string;
  /** The option an answer counts for (a single choice, or a rating's value); null for the kinds that count otherwise. */
  option_id: number | null;
  /** The answer as its question's kind writes it (JSON); null for a single choice. */
  answer: string | null;
  /** Keyed hash of the voter's network address, where the poll allows one vote per address. */
  address_key: string | null;
  created_at: IsoTime;
}

/** How many voters gave a word, for a word-cloud question. */
export interface WordCountTable {
  question_id: number;
  word: string;
  count: number;
  /** Whether screens show the word: a `Visibility` of polls/visibility.ts. */
  hidden: Generated<number>;
}

/** An answer to an open question: one per voter, with an id of its own. */
export interface AnswerTable {
  id: Generated<number>;
  question_id: number;
  voter_id: string;
  text: string;
  /** Whether screens show the answer: a `Visibility` of polls/visibility.ts. */
  hidden: Generated<number>;
  created_at: IsoTime;
}

/** A voter's name on a poll's quiz leaderboard. */
export interface NicknameTable {
  poll_id: number;
  voter_id: string;
  name: string;
  /** The name as compared: no two voters of a poll have names that differ only in case. */
  name_key: string;
  created_at: IsoTime;
}

/** A question from the audience (audience Q&A). */
export interface QaItemTable {
  id: Generated<number>;
  poll_id: number;
  voter_id: string;
  text: string;
  /** The asker's name, where the poll takes names and they gave one. */
  name: string | null;
  status: 'pending' | 'approved' | 'dismissed';
  answered: Generated<number>;
  /** How many voters upvote it: the rows of qa_upvotes, counted as they come and go. */
  upvotes: Generated<number>;
  created_at: IsoTime;
}

/** One voter's upvote of a question from the audience: one per voter and question. */
export interface QaUpvoteTable {
  item_id: number;
  voter_id: string;
}

/** Values every instance on the database shares, by name. */
export interface SettingTable {
  key: string;
  value: string;
}

export interface Database {
  users: UserTable;
  sessions: SessionTable;
  polls: PollTable;
  questions: QuestionTable;
  options: OptionTable;
  votes: VoteTable;
  word_counts: WordCountTable;
  answers: AnswerTable;
  nicknames: NicknameTable;
  qa_items: QaItemTable;
  qa_upvotes: QaUpvoteTable;
  settings: SettingTable;
}

export type Db = Kysely<Database>;
/** Functions that must run inside a transaction take this type. */
export type Trx = Transaction<Database>;
/** Functions that work inside or outside a transaction take this type. */
export type DbOrTrx = Db | Trx;

export type UserRow = Selectable<UserTable>;
export type PollRow = Selectable<PollTable>;
export type QuestionRow = Selectable<QuestionTable>;
export type OptionRow = Selectable<OptionTable>;
export type NewVote = Insertable<VoteTable>;
export type NewOpenAnswer = Insertable<AnswerTable>;
export type QaItemRow = Selectable<QaItemTable>;
