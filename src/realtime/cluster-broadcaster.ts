import type { Cluster, Worker } from 'node:cluster';
import type { Broadcaster } from './broadcaster.js';
import { createMemoryBroadcaster } from './memory-broadcaster.js';

// Fan-out between the workers of one machine (WEB_CONCURRENCY) through their primary process, for
// when there is no Redis. A worker hands each message to its own viewers and, once, to the primary;
// the primary hands it, once, to every other worker; each worker then gives it to the viewers of
// that poll it has. A message crosses each IPC channel once, whatever the number of viewers.

/** What travels over the IPC channels: one live message of one poll. */
interface LiveRelay {
  pollcast: 'live';
  channel: string;
  payload: string;
}

function isLiveRelay(message: unknown): message is LiveRelay {
  return typeof message === 'object' && message !== null && (message as Partial<LiveRelay>).pollcast === 'live';
}

/**
 * The broadcaster of a cluster worker. Every message of every poll reaches every worker, which keeps
 * those of the polls its viewers watch: a subscription is therefore active as soon as it is added,
 * with nothing to set up elsewhere.
 *
 * No message is lost between another worker's publish and a viewer joining here. A change is
 * committed before its message is published, and a viewer reads its snapshot only after its
 * subscription is active. A message that reached this worker before the subscription was added
 * was published, so committed, before the snapshot is read: the snapshot holds the change. One
 * that arrives after is delivered. The order of two workers' messages may differ between workers;
 * results and questions carry their version, and clients keep the newest.
 */
export function createClusterBroadcaster(ipc: NodeJS.Process = process): Broadcaster {
  const local = createMemoryBroadcaster();
  const fromOtherWorkers = (message: unknown) => {
    if (isLiveRelay(message)) void local.publish(message.channel, message.payload);
  };
  ipc.on('message', fromOtherWorkers);
  return {
    async publish(channel, payload) {
      // This worker's viewers first and at once: a stopping worker's last counts reach its own
      // viewers before they are told to go, without waiting for a round trip through the primary.
      await local.publish(channel, payload);
      await new Promise<void>((resolve, reject) => {
        if (!ipc.send || !ipc.connected) return reject(new Error('the primary process is gone'));
        const relay: LiveRelay = { pollcast: 'live', channel, payload };
        ipc.send(relay, undefined, {}, (error) => (error ? reject(error) : resolve()));
      });
    },
    subscribe: (channel, listener) => local.subscribe(channel, listener),
    async close() {
      ipc.off('message', fromOtherWorkers);
      await local.close();
    },
  };
}

// A worker that died a moment ago cannot take a message; its viewers reconnect to another.
const ignoreClosedChannel = () => {};

/** In the primary: hands each worker's live messages to every other worker. Returns how to stop. */
export function relayLiveMessages(cluster: Cluster): () => void {
  const relay = (from: Worker, message: unknown) => {
    if (!isLiveRelay(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== from && worker.isConnected()) worker.send(message, undefined, ignoreClosedChannel);
    }
  };
  cluster.on('message', relay);
  return () => {
    cluster.off('message', relay);
  };
}
