import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimits } from '../config.js';
import { AppError } from '../errors.js';
import { voterIdOf } from '../polls/voter.js';

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** preHandlers that count a request against its limits and refuse it with 429 once one is spent. */
export interface Limits {
  /** A vote: per voter and per network address. */
  vote: Guard;
  /** A sign-in attempt, per network address. */
  login: Guard;
  /** An OCR upload, per signed-in user (after requireUser / requirePageUser). */
  upload: Guard;
  /** A new poll or account, per network address. */
  create: Guard;
}

declare module 'fastify' {
  interface FastifyInstance {
    limits: Limits;
  }
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Rule {
  max: number;
  timeWindow: number;
  /** Who is counted; the network address when not given. */
  key?: (request: FastifyRequest) => string;
  message: string;
  onRefused?: () => void;
}

/**
 * Rate limits by @fastify/rate-limit's counters (in this process's memory). Each guard checks
 * all its rules, answers with the standard RateLimit-* headers of the tightest one, and when
 * one is spent throws `rate_limited` with Retry-After, so the answer has the usual error shape.
 */
export default fp<{ limits: RateLimits }>(
  async (app, { limits }) => {
    await app.register(rateLimit, { global: false });

    const guard = (...rules: Rule[]): Guard => {
      const checks = rules
        .filter((rule) => rule.max > 0)
        .map((rule) => ({
          rule,
          check: app.createRateLimit({
            max: rule.max,
            timeWindow: rule.timeWindow,
            ...(rule.key ? { keyGenerator: rule.key } : {}),
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
            throw new AppError('rate_limited', rule.message, { retryAfterSeconds: result.ttlInSeconds });
          }
          if (!tightest || result.remaining < tightest.remaining) tightest = result;
        }
        if (tightest) limitHeaders(reply, tightest);
      };
    };

    // Without a voter cookie (a script, or a browser's first vote) the address stands in.
    const voterKey = (request: FastifyRequest) => `voter:${voterIdOf(request) ?? request.ip}`;
    const voteRefused = () => app.metrics.voteRejected('rate_limited');
    const userKey = (request: FastifyRequest) => `user:${request.auth?.user.id ?? request.ip}`;

    app.decorate('limits', {
      vote: guard(
        {
          max: limits.votesPerVoter,
          timeWindow: MINUTE,
          key: voterKey,
          message: 'Too many votes from this device. Wait a moment and try again.',
          onRefused: voteRefused,
        },
        {
          max: limits.votesPerAddress,
          timeWindow: MINUTE,
          message: 'Too many votes from this network. Wait a moment and try again.',
          onRefused: voteRefused,
        },
      ),
      login: guard({
        max: limits.loginsPerAddress,
        timeWindow: MINUTE,
        message: 'Too many sign-in attempts from this network. Wait a moment and try again.',
      }),
      upload: guard({
        max: limits.uploadsPerUser,
        timeWindow: MINUTE,
        key: userKey,
        message: 'Too many uploads. Wait a moment and try again.',
      }),
      create: guard({
        max: limits.pollsPerAddress,
        timeWindow: HOUR,
        message: 'Too many new polls or accounts from this network. Try again later.',
      }),
    } satisfies Limits);
  },
  { name: 'rate-limits', dependencies: ['auth', 'metrics'] },
);
