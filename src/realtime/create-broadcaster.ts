import cluster from 'node:cluster';
import type { RedisLink } from '../redis-link.js';
import type { Broadcaster } from './broadcaster.js';
import { createClusterBroadcaster } from './cluster-broadcaster.js';
import { createMemoryBroadcaster } from './memory-broadcaster.js';
import { createRedisBroadcaster } from './redis-broadcaster.js';

/**
 * The fan-out this process needs to reach every viewer. Redis, when set, reaches every instance on
 * every machine, and so every worker too. Without it, a worker of WEB_CONCURRENCY reaches the others
 * through its primary, and a single process needs nothing beyond itself.
 */
export function createBroadcaster(redis: RedisLink | null): Broadcaster {
  if (redis) return createRedisBroadcaster(redis);
  return cluster.isWorker ? createClusterBroadcaster() : createMemoryBroadcaster();
}
