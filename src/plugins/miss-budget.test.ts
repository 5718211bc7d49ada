import { describe, expect, it } from 'vitest';
import { MissBudget } from './miss-budget.js';

const ROOM = '198.51.100.7';
const codes = (count: number, prefix = 'K') =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '2')}`);

function budgetOf(perMinute: number) {
  let now = 1_000_000;
  const budget = new MissBudget(perMinute, () => now);
  return {
    budget,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the budget of join code misses', () => {
  it('allows its misses at once, then one more every minute / budget', () => {
    const { budget, advance } = budgetOf(3);
    for (const code of codes(3)) {
      expect(budget.waitSeconds(ROOM, code)).toBe(0);
      budget.missed(ROOM, code);
    }
    expect(budget.waitSeconds(ROOM, 'NEXT22')).toBe(20);
    advance(19_000);
    expect(budget.waitSeconds(ROOM, 'NEXT22')).toBe(1);
    advance(1000);
    expect(budget.waitSeconds(ROOM, 'NEXT22')).toBe(0);
    budget.missed(ROOM, 'NEXT22');
    expect(budget.waitSeconds(ROOM, 'LAST22')).toBe(20);
    // Another network has its own budget.
    expect(budget.waitSeconds('203.0.113.9', 'NEXT22')).toBe(0);
  });

  it('makes misses over the budget, sent all at once, lengthen the wait', () => {
    const { budget, advance } = budgetOf(3);
    // Twelve lookups checked before any of them was answered: all pass, all count.
    for (const code of codes(12)) expect(budget.waitSeconds(ROOM, code)).toBe(0);
    for (const code of codes(12)) budget.missed(ROOM, code);
    expect(budget.waitSeconds(ROOM, 'NEXT22')).toBe(200);
    advance(60_000);
    expect(budget.waitSeconds(ROOM, 'NEXT22')).toBe(140);
  });

  it('counts a code asked again within the minute once', () => {
    const { budget, advance } = budgetOf(2);
    for (let i = 0; i < 50; i++) budget.missed(ROOM, 'TYPO22');
    expect(budget.waitSeconds(ROOM, 'OTHER2')).toBe(0);
    budget.missed(ROOM, 'OTHER2');
    expect(budget.waitSeconds(ROOM, 'THIRD2')).toBe(30);
    // A code missed again after the minute is counted again.
    advance(90_000);
    budget.missed(ROOM, 'TYPO22');
    budget.missed(ROOM, 'TYPO22');
    expect(budget.waitSeconds(ROOM, 'THIRD2')).toBe(0);
  });

  it('costs nothing for codes that exist, and serves them while the budget is spent', () => {
    const { budget } = budgetOf(2);
    for (let i = 0; i < 1000; i++) {
      expect(budget.waitSeconds(ROOM, 'ROOM22')).toBe(0);
      budget.found(ROOM, 'ROOM22');
    }
    for (const code of codes(2)) budget.missed(ROOM, code);
    expect(budget.waitSeconds(ROOM, 'ROOM22')).toBe(0);
    // A code it never found, even one that exists, waits: its answer would tell.
    expect(budget.waitSeconds(ROOM, 'ELSE22')).toBeGreaterThan(0);
    // So does a code it missed before.
    expect(budget.waitSeconds(ROOM, codes(1)[0] ?? '')).toBeGreaterThan(0);
  });
});
