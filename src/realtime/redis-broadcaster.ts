import { randomBytes } from 'node:crypto';
import type { RedisLink } from '../redis-link.js';
import type { Broadcaster } from './broadcaster.js';

type Listener = (payload: string) => void;

interface Channel {
  listeners: Set<Listener>;
  /** Settles once Redis has confirmed the subscription, or failed to. */
  active: Promise<void>;
}

// Sent instead of a message by an instance whose publishing failed, once its link is back: the
// viewers elsewhere missed something and read the poll afresh. Messages are JSON objects, never this.
const RESYNC = 'resync';

/**
 * Fan-out between instances through Redis pub/sub, a channel per poll, subscribed while this instance
 * has viewers of the poll. Each message is also delivered here directly, so that this instance's
 * viewers keep getting its own messages while Redis is away; the copy Redis echoes back is told
 * apart by the instance id that starts every envelope. Neither publishing nor subscribing waits for
 * a Redis that is down: what other instances missed meanwhile is made up by `onResync`.
 */
export function createRedisBroadcaster(link: RedisLink): Broadcaster {
  const instanceId = randomBytes(8).toString('hex');
  const channels = new Map<string, Channel>();
  const resyncListeners: ((channel: string) => void)[] = [];
  /** Channels whose last message may not have reached the other instances. */
  const unsent = new Set<string>();
  const keyOf = (channel: string) => `${link.prefix}poll:${channel}`;
  const channelPrefix = keyOf('');

  const deliver = (channel: string, payload: string) => {
    for (const listener of channels.get(channel)?.listeners ?? []) listener(payload);
  };
  const resync = (channel: string) => {
    for (const listener of resyncListeners) listener(channel);
  };
  const send = (channel: string, payload: string) =>
    link.commands.publish(keyOf(channel), `${instanceId} ${payload}`).then(
      () => unsent.delete(channel),
      () => unsent.add(channel),
    );

  link.subscriber.on('message', (key: string, envelope: string) => {
    if (!key.startsWith(channelPrefix)) return;
    const space = envelope.indexOf(' ');
    if (space < 0 || envelope.slice(0, space) === instanceId) return;
    const channel = key.slice(channelPrefix.length);
    const payload = envelope.slice(space + 1);
    if (payload === RESYNC) resync(channel);
    else deliver(channel, payload);
  });

  // The subscriber is back (or up for the first time): every channel of this instance is subscribed
  // again, and since messages may have passed meanwhile, its viewers are resynced.
  link.subscriber.on('ready', () => {
    const subscribed = [...channels.keys()];
    if (subscribed.length > 0) {
      // A subscription that failed on a connection that looks up is tried again on a new one.
      link.subscriber.subscribe(...subscribed.map(keyOf)).then(
        () => subscribed.forEach(resync),
        () => link.subscriber.disconnect(true),
      );
    }
  });
  // Whatever this instance could not publish while the link was down, the others are told to reread.
  link.commands.on('ready', () => {
    for (const channel of [...unsent]) void send(channel, RESYNC);
  });

  return {
    async publish(channel, payload) {
      deliver(channel, payload);
      await send(channel, payload);
    },
    async subscribe(channel, listener) {
      let entry = channels.get(channel);
      if (!entry) {
        // A failure means the link is down: this instance's own messages still arrive, and the
        // subscriber's return subscribes again and resyncs.
        entry = { listeners: new Set(), active: link.subscriber.subscribe(keyOf(channel)).then(ignore, ignore) };
        channels.set(channel, entry);
      }
      const { listeners, active } = entry;
      listeners.add(listener);
      await active;
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || channels.get(channel)?.listeners !== listeners) return;
        channels.delete(channel);
        link.subscriber.unsubscribe(keyOf(channel)).catch(ignore);
      };
    },
    onResync(listener) {
      resyncListeners.push(listener);
    },
    async close() {
      channels.clear();
      resyncListeners.length = 0;
    },
  };
}

function ignore() {}
