import type { RedisLink } from '../redis-link.js';
import { FOUND_MEMORY_MS, MissBudget, WINDOW_MS } from './miss-budget.js';

const INT = `local function int(x) return string.format('%.0f', x) end`;

// KEYS: the network's code, the network's debt. ARGV: now, cost of a miss, window. Returns seconds to wait.
const WAIT = `${INT}
if redis.call('GET', KEYS[1]) == 'found' then return 0 end
local now, cost, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local over = math.max(0, tonumber(redis.call('GET', KEYS[2]) or '0') - now) + cost - window
if over > 0 then return math.ceil(over / 1000) end
return 0
`;

// KEYS and ARGV as WAIT's: a code asked again within the window is not counted again.
const MISSED = `${INT}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local now, cost, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('SET', KEYS[1], 'missed', 'PX', int(window))
local paidBackAt = now + math.max(0, tonumber(redis.call('GET', KEYS[2]) or '0') - now) + cost
redis.call('SET', KEYS[2], int(paidBackAt), 'PX', int(paidBackAt - now))
return 1
`;

/**
 * MissBudget's rules with its records in Redis, so that guessing spread over instances spends one
 * budget. While Redis cannot be reached, this instance's own MissBudget counts instead.
 */
export class RedisMissBudget {
  private readonly local: MissBudget;
  private readonly missCostMs: number;

  constructor(
    private readonly link: RedisLink,
    perMinute: number,
  ) {
    this.local = new MissBudget(perMinute);
    this.missCostMs = WINDOW_MS / perMinute;
  }

  async waitSeconds(network: string, code: string): Promise<number> {
    if (!this.link.available()) return this.local.waitSeconds(network, code);
    try {
      return Number(await this.link.commands.eval(WAIT, 2, ...this.keys(network, code), ...this.args()));
    } catch {
      return this.local.waitSeconds(network, code);
    }
  }

  // The local budget hears of every lookup too, so that it is current the moment Redis goes away.
  found(network: string, code: string): void {
    this.local.found(network, code);
    const [seen] = this.keys(network, code);
    if (this.link.available()) this.link.commands.set(seen, 'found', 'PX', FOUND_MEMORY_MS).catch(() => {});
  }

  missed(network: string, code: string): void {
    this.local.missed(network, code);
    if (this.link.available()) {
      this.link.commands.eval(MISSED, 2, ...this.keys(network, code), ...this.args()).catch(() => {});
    }
  }

  private keys(network: string, code: string) {
    return [`${this.link.prefix}codes:${network} ${code}`, `${this.link.prefix}codes:${network}`] as const;
  }

  private args() {
    return [Date.now(), this.missCostMs, WINDOW_MS] as const;
  }
}
