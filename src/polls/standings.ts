import type { Db, PollRow } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { AppError } from '../errors.js';
import { cleanText } from '../ocr/text.js';
import type { Leaderboard } from '../realtime/messages.js';
import { LEADERBOARD_SIZE, rankVoters, type Standing } from './leaderboard.js';
import {
  findNickname,
  pollNicknames,
  revealedQuizAnswers,
  revealSignature,
  saveNickname,
  setLeaderboardShown,
} from './leaderboard-queries.js';
import { isProfane } from './profanity.js';
import { MAX_NICKNAME_CHARS } from './schemas.js';
import { type Manager, type PollDeps, requireManagedPoll, requirePoll } from './service.js';

// A quiz's leaderboard: every voter's points over the poll's revealed quiz questions, the first
// ten on the screens when the presenter shows them, and each voter's own rank on their phone.

/** How long standings worked out once serve every phone that asks, unless a reveal changed them. */
const STANDINGS_FRESH_MS = 2000;

/**
 * The poll's standings, worked out once for everyone who asks at about the same time: after a
 * reveal, every phone of the room reloads at once.
 */
export class StandingsCache {
  private readonly entries = new Map<number, { signature: string; at: number; standings: Promise<Standing[]> }>();

  constructor(private readonly db: Db) {}

  async of(poll: PollRow): Promise<Standing[]> {
    const signature = await revealSignature(this.db, poll.id);
    const cached = this.entries.get(poll.id);
    if (cached && cached.signature === signature && Date.now() - cached.at < STANDINGS_FRESH_MS) {
      return cached.standings;
    }
    this.forgetStale();
    const standings = Promise.all([revealedQuizAnswers(this.db, poll.id), pollNicknames(this.db, poll.id)]).then(
      ([answers, nicknames]) => rankVoters(answers, nicknames),
    );
    this.entries.set(poll.id, { signature, at: Date.now(), standings });
    // A failure is not kept: the next ask tries again.
    standings.catch(() => this.entries.delete(poll.id));
    return standings;
  }

  private forgetStale(): void {
    for (const [pollId, entry] of this.entries) {
      if (Date.now() - entry.at >= STANDINGS_FRESH_MS) this.entries.delete(pollId);
    }
  }
}

/** The poll's first ten, and whether the screens show them. */
export async function leaderboardOf(deps: PollDeps, poll: PollRow): Promise<Leaderboard> {
  const standings = await deps.standings.of(poll);
  return {
    shown: poll.show_leaderboard === 1,
    players: standings.length,
    top: standings
      .slice(0, LEADERBOARD_SIZE)
      .map(({ rank, nickname, points, rightAnswers }) => ({ rank, nickname, points, rightAnswers })),
  };
}

/** A voter's own standing: their points and rank (none before they answer a revealed quiz question). */
export interface VoterStanding {
  nickname: string | null;
  points: number;
  rank: number | null;
  players: number;
}

export async function voterStanding(
  deps: PollDeps,
  poll: PollRow,
  voterId: string | undefined,
): Promise<VoterStanding> {
  const standings = await deps.standings.of(poll);
  const mine = voterId === undefined ? undefined : standings.find((standing) => standing.voterId === voterId);
  const nickname = mine?.nickname ?? (voterId === undefined ? null : await findNickname(deps.db, poll.id, voterId));
  return { nickname, points: mine?.points ?? 0, rank: mine?.rank ?? null, players: standings.length };
}

/** Shows the leaderboard on every screen in place of the current question, or takes it away. */
export async function showLeaderboard(
  deps: PollDeps,
  manager: Manager,
  codeInput: string,
  shown: boolean,
): Promise<Leaderboard> {
  const poll = await requireManagedPoll(deps.db, manager, codeInput);
  await setLeaderboardShown(deps.db, poll.id, shown);
  const leaderboard = await leaderboardOf(deps, { ...poll, show_leaderboard: shown ? 1 : 0 });
  deps.live.leaderboard(poll.code, leaderboard);
  return leaderboard;
}

/**
 * A nickname as the leaderboard shows it: no control or invisible characters, spaces collapsed,
 * 1 to MAX_NICKNAME_CHARS characters, no profanity (the projector shows it to the room). Its key
 * tells two names apart only if they differ by more than case.
 */
export function nicknameOf(input: string): { name: string; key: string } {
  const name = cleanText(input, MAX_NICKNAME_CHARS + 1);
  if (!name) throw new AppError('validation_failed', 'audience.nickname.empty');
  if ([...name].length > MAX_NICKNAME_CHARS) {
    throw new AppError('validation_failed', 'audience.nickname.tooLong', { max: MAX_NICKNAME_CHARS });
  }
  if (isProfane(name)) throw new AppError('validation_failed', 'audience.nickname.refused');
  return { name, key: name.normalize('NFKC').toLowerCase() };
}

/** Gives the voter a nickname on the poll's leaderboard (or a new one); another voter's is refused. */
export async function pickNickname(deps: PollDeps, codeInput: string, voterId: string, input: string): Promise<string> {
  const poll = await requirePoll(deps.db, codeInput);
  const { name, key } = nicknameOf(input);
  if ((await findNickname(deps.db, poll.id, voterId)) === name) return name;
  try {
    await saveNickname(deps.db, { pollId: poll.id, voterId, name, key });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError('nickname_taken', 'audience.nickname.taken', { name });
  }
  return name;
}
