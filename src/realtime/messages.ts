import type { Static } from 'typebox';
import type { QaSettings } from '../polls/qa.js';
import type { LeaderboardSchema, QaItemSchema, QuestionSchema } from '../polls/schemas.js';

/**
 * The wire shapes shared by the server and the browser: the question object of the API
 * and every live message (SSE event name = `type`; WebSocket text frame = the JSON).
 */

/** The question object, as its schema (which also checks and documents it) says. */
export type QuestionView = Static<typeof QuestionSchema>;
export type QuestionStatus = QuestionView['status'];

/**
 * The poll's current question, first on every connection: the one most recently made live, its
 * `status` saying whether voting is open (`live`) or over (`closed`, final results); null when the
 * poll has none.
 */
export interface SnapshotMessage {
  type: 'snapshot';
  pollCode: string;
  question: QuestionView | null;
  /** The screens show the quiz leaderboard in place of the question now. */
  leaderboard: boolean;
}

/** A quiz's leaderboard: its first ten, and whether the screens show it. */
export type Leaderboard = Static<typeof LeaderboardSchema>;

/** The counts of a question's kind that a results message carries. */
export type ResultsCounts =
  | { options: { id: number; votes: number }[] }
  | { distribution: { value: number; votes: number }[]; average: number | null }
  | { ranking: { id: number; score: number; averagePosition: number | null }[] }
  | { words: { text: string; count: number }[] }
  | { answers: { id: number; text: string; createdAt: string }[] };

export type ResultsMessage = ResultsCounts & {
  type: 'results';
  pollCode: string;
  questionId: number;
  version: number;
  totalVotes: number;
};

/** The current question went live, was edited, closed or deleted (null), or another one went live. */
export interface QuestionMessage {
  type: 'question';
  pollCode: string;
  question: QuestionView | null;
}

/**
 * Who is here: the distinct voters with the poll open now, on every instance. Sent after the
 * snapshot and whenever it changes (at most once a second); each instance tells its own viewers.
 */
export interface AudienceMessage {
  type: 'audience';
  pollCode: string;
  joined: number;
}

/**
 * The presenter showed the leaderboard on the screens, or took it away (`shown: false`). A
 * question going live takes its place too; its `question` message says so.
 */
export type LeaderboardMessage = Leaderboard & { type: 'leaderboard'; pollCode: string };

/** A question from the audience, as the API and the live messages carry it. */
export type QaItem = Static<typeof QaItemSchema>;

/**
 * What changed in the poll's audience Q&A (at most twice a second): the shown questions that
 * changed (new, upvoted, answered), those no longer shown (dismissed, or waiting for the
 * organizer: never their text), the highlighted one, and how many wait.
 */
export interface QaMessage {
  type: 'qa';
  pollCode: string;
  settings: QaSettings;
  items: QaItem[];
  removed: number[];
  highlighted: number | null;
  pending: number;
}

/** Keeps idle connections open through proxies and lets clients notice a dead link. */
export interface HeartbeatMessage {
  type: 'heartbeat';
}

export type LiveMessage =
  | SnapshotMessage
  | ResultsMessage
  | QuestionMessage
  | AudienceMessage
  | LeaderboardMessage
  | QaMessage
  | HeartbeatMessage;

export const HEARTBEAT_INTERVAL_MS = 20_000;

export function percentOf(votes: number, total: number): number {
  return total === 0 ? 0 : Math.round((votes * 1000) / total) / 10;
}
