import { Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './config.js';

/**
 * The instance's two connections to Redis: one for commands (publishing, the shared limits'
 * counters) and one for subscriptions, which Redis reserves for them once it subscribes.
 */
export interface RedisLink {
  readonly commands: Redis;
  readonly subscriber: Redis;
  /** Starts every key and channel of this deployment. */
  readonly prefix: string;
  /** Whether both connections are up now; while they are not, each instance serves and counts on its own. */
  available(): boolean;
  /** Called whenever `available()` changes. */
  onChange(listener: (available: boolean) => void): void;
  close(): Promise<void>;
}

// A command while the link is down fails at once instead of waiting in ioredis's offline queue,
// which would hold votes' live messages and every limited request until Redis returns. Commands
// in flight when the link goes quiet give up after a second; reconnecting goes on for ever.
const OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  commandTimeout: 1000,
  retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
  // The broadcaster subscribes again itself, so that it knows when to resync its viewers.
  autoResubscribe: false,
  // A command that timed out has had its answer already (the fallback was used): sent again once
  // Redis is back, a limit's increment would count twice and an old live message would arrive late.
  autoResendUnfulfilledCommands: false,
};

// A connection can die without closing (a NAT or a balancer forgetting an idle flow, a host gone):
// its socket stays open, commands wait out their timeout one after another, and a subscriber, which
// sends none, would never know. A ping this often finds it; the connection is then dropped and
// made anew, and its return resyncs the viewers as after any loss.
const PING_INTERVAL_MS = 2000;

export function createRedisLink(target: RedisTarget, onError: (error: Error) => void): RedisLink {
  const commands = new Redis(target.url, { ...OPTIONS, connectionName: 'pollcast' });
  const subscriber = new Redis(target.url, { ...OPTIONS, connectionName: 'pollcast-subscriber' });
  const listeners: ((available: boolean) => void)[] = [];
  const available = () => commands.status === 'ready' && subscriber.status === 'ready';
  let was = false;
  const changed = () => {
    const now = available();
    if (now === was) return;
    was = now;
    for (const listener of listeners) listener(now);
  };
  for (const client of [commands, subscriber]) {
    client.on('ready', changed);
    client.on('close', changed);
    // Without a listener ioredis prints every failed reconnection; the log says it once per change.
    client.on('error', onError);
  }
  const pinger = setInterval(() => {
    for (const client of [commands, subscriber]) {
      if (client.status !== 'ready') continue;
      client.ping().catch(() => {
        if (client.status === 'ready') client.disconnect(true);
      });
    }
  }, PING_INTERVAL_MS);
  pinger.unref();
  return {
    commands,
    subscriber,
    prefix: target.prefix,
    available,
    onChange: (listener) => void listeners.push(listener),
    async close() {
      clearInterval(pinger);
      listeners.length = 0;
      // QUIT lets the commands already sent (the last counts of a stopping server) go out first.
      await Promise.all(
        [commands, subscriber].map((client) =>
          client.status === 'ready' ? client.quit().catch(() => client.disconnect()) : client.disconnect(),
        ),
      );
    },
  };
}
