import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { RedisLink } from '../redis-link.js';

// @fastify/rate-limit's own two stores, which its entry point does not export. Pollcast's rules
// neither extend a window while it is exceeded nor back off exponentially: both flags are off.
const require = createRequire(import.meta.url);
const RedisStore: new (
  continueExceeding: false,
  exponentialBackoff: false,
  redis: Redis,
  key: string,
) => FastifyRateLimitStore = require('@fastify/rate-limit/store/RedisStore.js');
const LocalStore: new (
  continueExceeding: false,
  exponentialBackoff: false,
) => FastifyRateLimitStore = require('@fastify/rate-limit/store/LocalStore.js');

/**
 * Counts in Redis, shared by every instance, while Redis answers; in this instance's memory while
 * it does not, so that a lost Redis loosens limits to one instance's view rather than failing requests.
 */
class SharedOrLocalStore implements FastifyRateLimitStore {
  constructor(
    private readonly link: RedisLink,
    private readonly shared: FastifyRateLimitStore,
    private readonly local: FastifyRateLimitStore,
  ) {}

  incr(...[key, callback, timeWindow, max]: Parameters<FastifyRateLimitStore['incr']>): void {
    const countHere = () => this.local.incr(key, callback, timeWindow, max);
    if (!this.link.available()) countHere();
    else this.shared.incr(key, (error, result) => (error ? countHere() : callback(null, result)), timeWindow, max);
  }

  // Every rule's key names its rule, so one Redis namespace serves them all.
  child(options: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
    return new SharedOrLocalStore(this.link, this.shared, this.local.child(options));
  }
}

/** The store of @fastify/rate-limit for instances that share a Redis. */
export function sharedRateLimitStore(link: RedisLink): FastifyRateLimitStoreCtor {
  return class extends SharedOrLocalStore {
    constructor() {
      super(link, new RedisStore(false, false, link.commands, `${link.prefix}rate:`), new LocalStore(false, false));
    }
  };
}
