import type { Broadcaster } from './broadcaster.js';

/** Fan-out within one process: for a single instance and for tests. */
export function createMemoryBroadcaster(): Broadcaster {
  const channels = new Map<string, Set<(payload: string) => void>>();
  return {
    async publish(channel, payload) {
      for (const listener of channels.get(channel) ?? []) listener(payload);
    },
    async subscribe(channel, listener) {
      let listeners = channels.get(channel);
      if (!listeners) {
        listeners = new Set();
        channels.set(channel, listeners);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) channels.delete(channel);
      };
    },
    async close() {
      channels.clear();
    },
  };
}
