import { afterEach, describe, expect, it } from 'vitest';
import { testRedisPrefix, testRedisUrl } from '../../test/helpers.js';
import { createRedisLink, type RedisLink } from '../redis-link.js';
import type { Broadcaster } from './broadcaster.js';
import { createRedisBroadcaster } from './redis-broadcaster.js';

const links: RedisLink[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
});

async function instance(prefix: string, url = testRedisUrl as string): Promise<Broadcaster> {
  const link = createRedisLink({ url, prefix }, () => {});
  links.push(link);
  await new Promise<void>((resolve) => link.onChange((up) => up && resolve()));
  return createRedisBroadcaster(link);
}

/** Listens to a channel; `received` holds every payload in order. */
async function listen(broadcaster: Broadcaster, channel: string) {
  const received: string[] = [];
  const stop = await broadcaster.subscribe(channel, (payload) => received.push(payload));
  return { received, stop };
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe.skipIf(!testRedisUrl)('Redis broadcaster', () => {
  it("delivers a message to every instance's subscribers of the channel, once each", async () => {
    const prefix = testRedisPrefix();
    const [a, b] = [await instance(prefix), await instance(prefix)];
    const [onA, onB, otherPoll] = [await listen(a, 'ABC234'), await listen(b, 'ABC234'), await listen(b, 'XYZ789')];

    await a.publish('ABC234', '{"n":1}');
    await b.publish('ABC234', '{"n":2}');
    await until(() => onA.received.length === 2 && onB.received.length === 2);
    await a.publish('ABC234', '{"n":3}');
    await until(() => onB.received.length === 3);

    expect(onA.received.sort()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(onB.received.sort()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(otherPoll.received).toEqual([]);
  });

  it('keeps deployments with different prefixes apart, and stops delivering after unsubscribing', async () => {
    const [a, b] = [await instance(testRedisPrefix()), await instance(testRedisPrefix())];
    const onB = await listen(b, 'ABC234');
    const onA = await listen(a, 'ABC234');
    await a.publish('ABC234', '{"n":1}');
    onA.stop();
    await a.publish('ABC234', '{"n":2}');
    // A round trip through B's own channel shows that A's messages had time to arrive, had they been sent to B.
    await b.publish('ABC234', '{"n":3}');
    await until(() => onB.received.length === 1);
    expect(onB.received).toEqual(['{"n":3}']);
    expect(onA.received).toEqual(['{"n":1}']);
  });

  it("delivers an instance's own messages at once while Redis cannot be reached", async () => {
    // Nothing listens on port 1: every connection attempt is refused.
    const link = createRedisLink({ url: 'redis://127.0.0.1:1', prefix: testRedisPrefix() }, () => {});
    links.push(link);
    const broadcaster = createRedisBroadcaster(link);
    const viewer = await listen(broadcaster, 'ABC234');
    await broadcaster.publish('ABC234', '{"n":1}');
    expect(viewer.received).toEqual(['{"n":1}']);
    expect(link.available()).toBe(false);
  });
});
