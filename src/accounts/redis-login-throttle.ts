import { networkOf } from '../network-address.js';
import type { RedisLink } from '../redis-link.js';
import {
  type Admission,
  DEFAULT_RULES,
  delayAfter,
  LoginThrottle,
  refused,
  type Throttle,
  type ThrottleRules,
} from './login-throttle.js';

// The same rules as LoginThrottle, each step one script so that instances counting at once never
// both read a record before either writes it. Times are the callers' clocks, in milliseconds.
// An address's record: failures, blocked (until), known (until); an account's bucket: attempts, at.
const LUA_HELPERS = `
local function int(x) return string.format('%.0f', x) end
local function bucket(key, now, burst, refill)
  local b = redis.call('HMGET', key, 'attempts', 'at')
  if not b[1] then return burst end
  return math.min(burst, tonumber(b[1]) + (now - tonumber(b[2])) / refill)
end
local function keepBucket(key, attempts, now, burst, refill)
  if attempts >= burst then redis.call('DEL', key) return end
  redis.call('HSET', key, 'attempts', tostring(attempts), 'at', int(now))
  redis.call('PEXPIRE', key, int(math.ceil((burst - attempts) * refill)))
end
`;

// KEYS: address record, account bucket. ARGV: now, burst, refill, delay after this failure, forget after.
// Returns {1, failures, known} when admitted, {0, wait, holder} when refused.
const BEGIN = `${LUA_HELPERS}
local now, burst, refill = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local r = redis.call('HMGET', KEYS[1], 'failures', 'blocked', 'known')
local failures, blocked, known = tonumber(r[1]) or 0, tonumber(r[2]) or 0, tonumber(r[3]) or 0
if blocked > now then return {0, int(blocked - now), 'address'} end
local isKnown = known > now
if not isKnown then
  local attempts = bucket(KEYS[2], now, burst, refill)
  if attempts < 1 then return {0, int(math.ceil((1 - attempts) * refill)), 'account'} end
  keepBucket(KEYS[2], attempts - 1, now, burst, refill)
end
failures = failures + 1
local delays = cjson.decode(ARGV[4])
local delay = delays[math.min(failures, #delays)]
redis.call('HSET', KEYS[1], 'failures', failures, 'blocked', int(now + delay), 'known', int(known))
redis.call('PEXPIRE', KEYS[1], int(math.max(known - now, delay) + tonumber(ARGV[5])))
return {1, failures, isKnown and 1 or 0}
`;

// KEYS: address record. ARGV: now, the failure's number, its delay, forget after.
const FAILED = `${LUA_HELPERS}
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[1], 'failures', 'blocked', 'known')
if not r[1] or tonumber(r[1]) < tonumber(ARGV[2]) then return 0 end
local blocked = math.max(tonumber(r[2]), now + tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'blocked', int(blocked))
redis.call('PEXPIRE', KEYS[1], int(math.max(tonumber(r[3]) - now, blocked - now) + tonumber(ARGV[4])))
return 1
`;

// KEYS: address record, account bucket. ARGV: now, known for, whether the address was known, burst, refill.
const SUCCEEDED = `${LUA_HELPERS}
local now, knownFor = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'failures', 0, 'blocked', 0, 'known', int(now + knownFor))
redis.call('PEXPIRE', KEYS[1], int(knownFor))
if ARGV[3] == '0' then
  local burst, refill = tonumber(ARGV[4]), tonumber(ARGV[5])
  keepBucket(KEYS[2], bucket(KEYS[2], now, burst, refill) + 1, now, burst, refill)
end
return 1
`;

// A record of failures outlives its last wait by this much: longer than any guessing run pauses.
const FORGET_FAILURES_AFTER_MS = 24 * 60 * 60_000;

/**
 * LoginThrottle's rules with its records in Redis, so that guesses spread over instances are counted
 * together. While Redis cannot be reached, this instance's own LoginThrottle counts instead: the
 * throttle loosens to one instance's view, and sign-in keeps working.
 */
export class RedisLoginThrottle implements Throttle {
  private readonly rules: ThrottleRules;
  private readonly local: LoginThrottle;
  /** The wait after each number of failures in a row, up to the first that reaches the cap. */
  private readonly delays: string;

  constructor(
    private readonly link: RedisLink,
    rules: Partial<ThrottleRules> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.rules = { ...DEFAULT_RULES, ...rules };
    this.local = new LoginThrottle(rules, now);
    const delays = [delayAfter(this.rules, 1)];
    while ((delays.at(-1) ?? 0) < this.rules.maxDelayMs) delays.push(delayAfter(this.rules, delays.length + 1));
    this.delays = JSON.stringify(delays);
  }

  async begin(username: string, address: string): Promise<Admission> {
    if (!this.link.available()) return this.local.begin(username, address);
    const account = username.toLowerCase();
    const keys = [
      `${this.link.prefix}signin:address:${account} ${networkOf(address)}`,
      `${this.link.prefix}signin:account:${account}`,
    ] as const;
    const { rules } = this;
    let answer: [number, number | string, number | string];
    try {
      answer = (await this.link.commands.eval(
        BEGIN,
        2,
        ...keys,
        this.now(),
        rules.accountBurst,
        rules.accountRefillMs,
        this.delays,
        FORGET_FAILURES_AFTER_MS,
      )) as typeof answer;
    } catch {
      return this.local.begin(username, address);
    }
    const [admitted, value, holder] = answer;
    if (admitted === 0) return refused(Number(value), holder === 'account' ? 'account' : 'address');
    const failures = Number(value);
    const wasKnown = holder === 1 ? '1' : '0';
    const run = (script: string, keyCount: number, ...args: (string | number)[]) =>
      void this.link.commands.eval(script, keyCount, ...args).catch(() => {});
    return {
      admitted: true,
      failed: () =>
        run(FAILED, 1, keys[0], this.now(), failures, delayAfter(rules, failures), FORGET_FAILURES_AFTER_MS),
      succeeded: () =>
        run(SUCCEEDED, 2, ...keys, this.now(), rules.knownForMs, wasKnown, rules.accountBurst, rules.accountRefillMs),
    };
  }
}
