import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroadcaster } from './memory-broadcaster.js';
import { AudiencePresence } from './presence.js';

// Fast enough for a test: a tick of 20 ms, news every 100 ms, a count held 300 ms without news.
const timing = { tickMs: 20, refreshMs: 100, ttlMs: 300 };

describe('who is here, across instances', () => {
  const made: AudiencePresence[] = [];
  afterEach(() => {
    for (const presence of made.splice(0)) presence.close();
  });

  /** Instances on one bus, each remembering the totals it told its viewers. */
  function instances(count: number) {
    const bus = createMemoryBroadcaster();
    return Array.from({ length: count }, () => {
      const told: number[] = [];
      const presence = new AudiencePresence(bus, (_code, joined) => told.push(joined), timing);
      made.push(presence);
      return { presence, told };
    });
  }

  it('counts each voter once on an instance, however many tabs, and not the screens', async () => {
    const [one] = instances(1);
    if (!one) throw new Error('no instance');
    const screen = one.presence.enter('ABCDEF', null);
    const tabs = [one.presence.enter('ABCDEF', 'voter-a'), one.presence.enter('ABCDEF', 'voter-a')];
    const other = one.presence.enter('ABCDEF', 'voter-b');
    expect(one.presence.joined('ABCDEF')).toBe(2);
    tabs[0]?.();
    expect(one.presence.joined('ABCDEF')).toBe(2);
    tabs[1]?.();
    // Leaving twice changes nothing.
    tabs[1]?.();
    expect(one.presence.joined('ABCDEF')).toBe(1);
    other();
    screen();
    expect(one.presence.joined('ABCDEF')).toBe(0);
  });

  it('adds up the instances, tells each one’s viewers the total, and drops a gone instance’s voters', async () => {
    const [a, b] = instances(2);
    if (!a || !b) throw new Error('no instances');
    // A screen on A, voters on both.
    a.presence.enter('ABCDEF', null);
    a.presence.enter('ABCDEF', 'voter-a');
    const leaveB = b.presence.enter('ABCDEF', 'voter-b');
    b.presence.enter('ABCDEF', 'voter-c');
    await expect.poll(() => a.presence.joined('ABCDEF')).toBe(3);
    await expect.poll(() => a.told.at(-1)).toBe(3);
    expect(b.presence.joined('ABCDEF')).toBe(3);

    // A voter leaves B: A's screen hears it at the next tick.
    leaveB();
    await expect.poll(() => a.told.at(-1)).toBe(2);

    // B stops without a word (a crash): its voter leaves A's count once its news is too old.
    b.presence.close();
    await sleep(timing.ttlMs / 2);
    expect(a.presence.joined('ABCDEF')).toBe(2);
    await expect.poll(() => a.presence.joined('ABCDEF'), { timeout: 2000 }).toBe(1);
    await expect.poll(() => a.told.at(-1)).toBe(1);
  });

  it('lets an instance that starts watching hear the others at once, not at their next news', async () => {
    const bus = createMemoryBroadcaster();
    const slow = { tickMs: 20, refreshMs: 60_000, ttlMs: 120_000 };
    const b = new AudiencePresence(bus, () => {}, slow);
    made.push(b);
    b.enter('ABCDEF', 'voter-b');
    b.enter('ABCDEF', 'voter-c');
    await sleep(100);
    const told: number[] = [];
    const a = new AudiencePresence(bus, (_code, joined) => told.push(joined), slow);
    made.push(a);
    a.enter('ABCDEF', null);
    await expect.poll(() => told.at(-1), { timeout: 1000 }).toBe(2);
  });
});
