import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimits } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import type { MessageKey } from '../i18n/catalogs.js';
import { networkOf } from '../network-address.js';
import { normalizeJoinCode } from '../polls/codes.js';
import { voterIdOf } from '../polls/voter.js';
import type { RedisLink } from '../redis-link.js';
import { MissBudget } from './miss-budget.js';
import { sharedRateLimitStore } from './rate-limit-store.js';
import { RedisMissBudget } from './redis-miss-budget.js';

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** preHandlers that count a request against its limits and refuse it with 429 once one is spent. */
export interface Limits {
  /** A vote: per voter and per network address. */
  vote: Guard;
  /** A question from the audience: per voter, and per network address as votes are. */
  ask: Guard;
  /** An upvote given or taken back: per voter, and per network address as votes are. */
  upvote: Guard;
  /** A sign-in attempt, per network address. */
  login: Guard;
  /** An OCR upload, per signed-in user (after requireUser / requirePageUser). */
  upload: Guard;
  /** A new poll or account, per network address. */
  create: Guard;
  /**
   * A join code (normalized) that named no poll, where the route said so in its answer rather
   * than with `poll_not_found` (which is counted by itself).
   */
  codeMissed(request: FastifyRequest, code: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    limits: Limits;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Organizers' routes need a sign-in first and answer "not found" for any poll that is not theirs:
// they tell nobody which codes exist.
const SIGNED_IN_ONLY = /^\/(api\/)?admin\//;

type CodeSource = (request: FastifyRequest) => unknown;

/** Where a route takes a join code, if it does: `:code` in its path, or `code` in its query string (`/join`). */
function joinCodeSource(route: RouteOptions): CodeSource | undefined {
  if (SIGNED_IN_ONLY.test(route.url)) return undefined;
  if (route.url.includes(':code')) return (request) => (request.params as { code?: unknown }).code;
  const query = route.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  if (query?.properties?.code) return (request) => (request.query as { code?: unknown }).code;
  return undefined;
}

interface Rule {
  /** Starts the rule's keys: counters of different rules never meet, in memory or in Redis. */
  name: string;
  max: number;
  timeWindow: number;
  /** Who is counted; the network address when not given. */
  key?: (request: FastifyRequest) => string;
  /** What the refusal says: a key of the catalogs. */
  messageKey: MessageKey;
  onRefused?: () => void;
}

/**
 * Rate limits by @fastify/rate-limit's counters: in Redis, shared by every instance, when one is
 * configured (in this process's memory while it cannot be reached); else in this process's memory. Each guard checks
 * all its rules, answers with the standard RateLimit-* headers of the tightest one, and when
 * one is spent throws `rate_limited` with Retry-After, so the answer has the usual error shape.
 */
export default fp<{ limits: RateLimits }>(
  async (app, { limits }) => {
    await app.register(rateLimit, { global: false, ...(app.redis ? { store: sharedRateLimitStore(app.redis) } : {}) });

    const guard = (...rules: Rule[]): Guard => {
      const checks = rules
        .filter((rule) => rule.max > 0)
        .map((rule) => ({
          rule,
          check: app.createRateLimit({
            max: rule.max,
            timeWindow: rule.timeWindow,
            keyGenerator: (request) => `${rule.name}:${(rule.key ?? addressKey)(request)}`,
          }),
        }));
      const limitHeaders = (reply: FastifyReply, state: { max: number; remaining: number; ttlInSeconds: number }) =>
        reply.headers({
          'ratelimit-limit': state.max,
          'ratelimit-remaining': state.remaining,
          'ratelimit-reset': state.ttlInSeconds,
        });
      return async (request, reply) => {
        let tightest: { max: number; remaining: number; ttlInSeconds: number } | undefined;
        for (const { rule, check } of checks) {
          const result = await check(request);
          if (result.isAllowed) continue;
          if (result.isExceeded) {
            rule.onRefused?.();
            limitHeaders(reply, { ...result, remaining: 0 });
            throw new AppError('rate_limited', rule.messageKey, {}, { retryAfterSeconds: result.ttlInSeconds });
          }
          if (!tightest || result.remaining < tightest.remaining) tightest = result;
        }
        if (tightest) limitHeaders(reply, tightest);
      };
    };

    // Without a voter cookie (a script, or a browser's first vote) the address stands in.
    const addressKey = (request: FastifyRequest) => networkOf(request.ip);
    const voterKey = (request: FastifyRequest) => `voter:${voterIdOf(request) ?? request.ip}`;
    const voteRefused = () => app.metrics.voteRejected('rate_limited');
    const userKey = (request: FastifyRequest) => `user:${request.auth?.user.id ?? request.ip}`;

    // A whole room may share one address: it gets as many of each as it may vote.
    const perAddress = (name: string, messageKey: MessageKey): Rule => ({
      name,
      max: limits.votesPerAddress,
      timeWindow: MINUTE,
      messageKey,
    });

    const codeLookups = codeLookupLimit(limits.codeMissesPerAddress, app.redis);
    app.addHook('onRoute', codeLookups.onRoute);

    app.decorate('limits', {
      vote: guard(
        {
          name: 'vote-voter',
          max: limits.votesPerVoter,
          timeWindow: MINUTE,
          key: voterKey,
          messageKey: 'infra.rateLimit.votesDevice',
          onRefused: voteRefused,
        },
        {
          name: 'vote-address',
          max: limits.votesPerAddress,
          timeWindow: MINUTE,
          messageKey: 'infra.rateLimit.votesNetwork',
          onRefused: voteRefused,
        },
      ),
      ask: guard(
        {
          name: 'ask-voter',
          max: limits.questionsPerVoter,
          timeWindow: MINUTE,
          key: voterKey,
          messageKey: 'infra.rateLimit.questionsDevice',
        },
        perAddress('ask-address', 'infra.rateLimit.questionsNetwork'),
      ),
      upvote: guard(
        {
          name: 'upvote-voter',
          max: limits.upvotesPerVoter,
          timeWindow: MINUTE,
          key: voterKey,
          messageKey: 'infra.rateLimit.upvotesDevice',
        },
        perAddress('upvote-address', 'infra.rateLimit.upvotesNetwork'),
      ),
      login: guard({
        name: 'login',
        max: limits.loginsPerAddress,
        timeWindow: MINUTE,
        messageKey: 'infra.rateLimit.signIns',
      }),
      upload: guard({
        name: 'upload',
        max: limits.uploadsPerUser,
        timeWindow: MINUTE,
        key: userKey,
        messageKey: 'infra.rateLimit.uploads',
      }),
      create: guard({
        name: 'create',
        max: limits.pollsPerAddress,
        timeWindow: HOUR,
        messageKey: 'infra.rateLimit.creations',
      }),
      codeMissed: codeLookups.missed,
    } satisfies Limits);
  },
  { name: 'rate-limits', dependencies: ['auth', 'metrics', 'redis'] },
);

/**
 * The limit on guessing join codes: every route that answers anyone about a code, whether or not
 * it names a poll, is refused to a network that has spent its budget of misses (see MissBudget).
 * Routes are found as they are added, so a new one is held to it too.
 */
function codeLookupLimit(missesPerMinute: number, redis: RedisLink | null) {
  const budget =
    missesPerMinute > 0
      ? redis
        ? new RedisMissBudget(redis, missesPerMinute)
        : new MissBudget(missesPerMinute)
      : undefined;

  return {
    missed(request: FastifyRequest, code: string) {
      budget?.missed(networkOf(request.ip), code);
    },
    onRoute(route: RouteOptions) {
      const source = joinCodeSource(route);
      if (!budget || !source) return;
      const lookupOf = (request: FastifyRequest) => {
        const code = source(request);
        const normalized = typeof code === 'string' ? normalizeJoinCode(code) : null;
        // Text that is no code gets the same answer whatever exists: nothing to count.
        return normalized ? { network: networkOf(request.ip), code: normalized } : undefined;
      };
      const guard: onRequestHookHandler = async (request) => {
        const lookup = lookupOf(request);
        const wait = lookup ? await budget.waitSeconds(lookup.network, lookup.code) : 0;
        if (wait > 0)
          throw new AppError('rate_limited', 'infra.rateLimit.codeGuessing', {}, { retryAfterSeconds: wait });
      };
      route.onRequest = [guard, ...[route.onRequest ?? []].flat()];
      route.onError = [
        ...[route.onError ?? []].flat(),
        async (request, _reply, error) => {
          const lookup = isAppError(error) && error.code === 'poll_not_found' ? lookupOf(request) : undefined;
          if (lookup) budget.missed(lookup.network, lookup.code);
        },
      ];
      // On these routes, only a code that names a poll is ever answered with success.
      route.onResponse = [
        ...[route.onResponse ?? []].flat(),
        async (request, reply) => {
          const lookup = reply.statusCode < 400 ? lookupOf(request) : undefined;
          if (lookup) budget.found(lookup.network, lookup.code);
        },
      ];
    },
  };
}
