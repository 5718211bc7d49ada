import { describe, expect, it } from 'vitest';
import { pointsFor, rankVoters, type ScoredAnswer } from './leaderboard.js';

const answer = (voterId: string, right: boolean, afterMs: number | null, timeLimitSec: number | null = null) =>
  ({ voterId, right, afterMs, timeLimitSec }) satisfies ScoredAnswer;

describe('quiz points', () => {
  it('gives a right answer 500 points and up to 500 more the sooner it came, over 30 s or the time limit', () => {
    expect(pointsFor(answer('a', true, 0))).toBe(1000);
    expect(pointsFor(answer('a', true, 3_000))).toBe(950);
    expect(pointsFor(answer('a', true, 15_000))).toBe(750);
    expect(pointsFor(answer('a', true, 30_000))).toBe(500);
    expect(pointsFor(answer('a', true, 90_000))).toBe(500);
    // A 10 s question spends its bonus in 10 s.
    expect(pointsFor(answer('a', true, 5_000, 10))).toBe(750);
    // A vote from before the question last went live (it was reopened) counts as at once.
    expect(pointsFor(answer('a', true, -2_000))).toBe(1000);
  });

  it('gives nothing for a wrong answer, however fast, and no bonus where the time is unknown', () => {
    expect(pointsFor(answer('a', false, 0))).toBe(0);
    expect(pointsFor(answer('a', true, null))).toBe(500);
  });
});

describe('ranking voters', () => {
  it('adds each voter’s points, most first; equal points share a rank and the next rank skips', () => {
    const standings = rankVoters(
      [
        answer('ana', true, 3_000),
        answer('bob', true, 15_000),
        answer('cid', true, 15_000),
        answer('dee', false, 0),
        answer('ana', false, 1_000),
        answer('bob', true, 30_000),
      ],
      new Map([
        ['ana', 'Ana'],
        ['cid', 'Cid'],
        ['dee', 'Dee'],
      ]),
    );
    expect(standings).toEqual([
      { voterId: 'bob', nickname: null, points: 1250, rightAnswers: 2, rank: 1 },
      { voterId: 'ana', nickname: 'Ana', points: 950, rightAnswers: 1, rank: 2 },
      { voterId: 'cid', nickname: 'Cid', points: 750, rightAnswers: 1, rank: 3 },
      { voterId: 'dee', nickname: 'Dee', points: 0, rightAnswers: 0, rank: 4 },
    ]);
  });

  it('lists tied voters by nickname, the nameless after the named', () => {
    const standings = rankVoters(
      [answer('x', true, 0), answer('y', true, 0), answer('z', true, 0)],
      new Map([
        ['y', 'Zoe'],
        ['z', 'Abe'],
      ]),
    );
    expect(standings.map((s) => [s.nickname, s.rank])).toEqual([
      ['Abe', 1],
      ['Zoe', 1],
      [null, 1],
    ]);
  });
});
