// A quiz's scoring, free of where answers come from. A right answer earns RIGHT_POINTS, and up
// to SPEED_POINTS more the sooner it came after the question went live: all of them at once,
// falling evenly to none at the end of the answer window (the question's time limit, or
// ANSWER_WINDOW_SEC without one). A wrong answer, or none, earns nothing. Only questions whose
// answer has been revealed count: a standing never tells anyone a secret answer.

export const RIGHT_POINTS = 500;
export const SPEED_POINTS = 500;
export const ANSWER_WINDOW_SEC = 30;
/** How many voters the screens show. */
export const LEADERBOARD_SIZE = 10;

/** One voter's answer to a revealed quiz question. */
export interface ScoredAnswer {
  voterId: string;
  right: boolean;
  /** How long after the question went live the answer came; null where that is not known. */
  afterMs: number | null;
  /** The question's time limit, if it has one. */
  timeLimitSec: number | null;
}

export function pointsFor({ right, afterMs, timeLimitSec }: ScoredAnswer): number {
  if (!right) return 0;
  // An answer of unknown time (given before the question kept when it went live) earns no bonus.
  if (afterMs === null) return RIGHT_POINTS;
  const windowMs = (timeLimitSec ?? ANSWER_WINDOW_SEC) * 1000;
  const left = 1 - Math.min(1, Math.max(0, afterMs) / windowMs);
  return RIGHT_POINTS + Math.round(SPEED_POINTS * left);
}

/** A voter's place on a poll's leaderboard. */
export interface Standing {
  voterId: string;
  nickname: string | null;
  points: number;
  rightAnswers: number;
  /** 1 for the most points; voters with as many points share a rank (1, 2, 2, 4). */
  rank: number;
}

/**
 * Every voter who answered a revealed quiz question, most points first: ties share a rank and
 * are listed by nickname, the nameless last.
 */
export function rankVoters(answers: readonly ScoredAnswer[], nicknames: ReadonlyMap<string, string>): Standing[] {
  const totals = new Map<string, { points: number; rightAnswers: number }>();
  for (const answer of answers) {
    const total = totals.get(answer.voterId) ?? { points: 0, rightAnswers: 0 };
    total.points += pointsFor(answer);
    if (answer.right) total.rightAnswers++;
    totals.set(answer.voterId, total);
  }
  const sorted = [...totals]
    .map(([voterId, total]) => ({ voterId, nickname: nicknames.get(voterId) ?? null, ...total }))
    .sort(
      (a, b) =>
        b.points - a.points ||
        (a.nickname === null ? 1 : 0) - (b.nickname === null ? 1 : 0) ||
        (a.nickname ?? '').localeCompare(b.nickname ?? '') ||
        a.voterId.localeCompare(b.voterId),
    );
  let rank = 0;
  return sorted.map((standing, i) => {
    if (i === 0 || standing.points !== sorted[i - 1]?.points) rank = i + 1;
    return { ...standing, rank };
  });
}
