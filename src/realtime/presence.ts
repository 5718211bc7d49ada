import { randomUUID } from 'node:crypto';
import type { Broadcaster } from './broadcaster.js';

/** How often an instance tells the others how many voters it has, while it has any. */
export const PRESENCE_REFRESH_MS = 10_000;
/** How long another instance's count holds without news: past it, that instance is taken to be gone. */
export const PRESENCE_TTL_MS = 25_000;
/** Counts change on the screens at most this often. */
const TICK_MS = 1_000;

interface PollPresence {
  /** This instance's voters with the poll open, and how many connections each has. */
  voters: Map<string, number>;
  /** This instance's live connections to the poll, of voters and screens: they hear the total. */
  connections: number;
  /** Each other instance's count, and until when it holds. */
  others: Map<string, { joined: number; until: number }>;
  subscription: Promise<() => void>;
  /** The count this instance last told the others, and when. */
  told: { joined: number; at: number };
  /** The total its own viewers last heard. */
  shown: number;
}

/** What an instance says of a poll: how many voters it has, or (`ask`) that it wants to hear the others' now. */
type PresenceNews = { instance: string; joined: number } | { instance: string; ask: true };

/**
 * Who is here: the distinct voters with a poll open now, counted from their live connections on
 * every instance. Each instance counts its own and tells the others over the broadcaster, when its
 * count changes and every few seconds while it has voters; a count not heard of for a while is
 * dropped, so that a crashed instance's voters leave the total too. A voter connected to two
 * instances at once (two tabs, two routes) is counted on each.
 */
export class AudiencePresence {
  private readonly polls = new Map<string, PollPresence>();
  private readonly instance = randomUUID();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly broadcaster: Broadcaster,
    /** The total changed: this instance's viewers of the poll are to be told. */
    private readonly onChange: (pollCode: string, joined: number) => void,
    private readonly timing = { tickMs: TICK_MS, refreshMs: PRESENCE_REFRESH_MS, ttlMs: PRESENCE_TTL_MS },
  ) {
    this.timer = setInterval(() => this.tick(), timing.tickMs);
    this.timer.unref();
  }

  /** A live connection opened: a voter's (counted once however many they open) or a screen's (`null`). Returns how to end it. */
  enter(pollCode: string, voterId: string | null): () => void {
    const poll = this.polls.get(pollCode) ?? this.watch(pollCode);
    poll.connections++;
    if (voterId !== null) poll.voters.set(voterId, (poll.voters.get(voterId) ?? 0) + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      poll.connections--;
      if (voterId !== null) {
        const open = (poll.voters.get(voterId) ?? 1) - 1;
        if (open > 0) poll.voters.set(voterId, open);
        else poll.voters.delete(voterId);
      }
    };
  }

  /** The distinct voters with the poll open now, on every instance, as far as this one knows. */
  joined(pollCode: string): number {
    const poll = this.polls.get(pollCode);
    if (!poll) return 0;
    const now = Date.now();
    let total = poll.voters.size;
    for (const other of poll.others.values()) if (other.until > now) total += other.joined;
    return total;
  }

  close(): void {
    clearInterval(this.timer);
    for (const poll of this.polls.values()) this.unsubscribe(poll);
    this.polls.clear();
  }

  private watch(pollCode: string): PollPresence {
    const poll: PollPresence = {
      voters: new Map(),
      connections: 0,
      others: new Map(),
      subscription: this.broadcaster.subscribe(channelOf(pollCode), (payload) => {
        const news = JSON.parse(payload) as PresenceNews;
        if (news.instance === this.instance) return;
        // Another instance just started watching: it hears this one's count at the next tick.
        if ('ask' in news) poll.told.at = 0;
        else if (news.joined === 0) poll.others.delete(news.instance);
        else poll.others.set(news.instance, { joined: news.joined, until: Date.now() + this.timing.ttlMs });
      }),
      told: { joined: 0, at: 0 },
      shown: 0,
    };
    // A screen that joins now should not wait for the others' next news to show their voters.
    poll.subscription.then(
      () => this.tell(pollCode, { instance: this.instance, ask: true }),
      // A poll watched by no one else still counts its own voters if the link to the others fails.
      () => {},
    );
    this.polls.set(pollCode, poll);
    return poll;
  }

  private tick(): void {
    const now = Date.now();
    for (const [pollCode, poll] of this.polls) {
      const joined = poll.voters.size;
      const stale = joined > 0 && now - poll.told.at >= this.timing.refreshMs;
      if (joined !== poll.told.joined || stale) {
        poll.told = { joined, at: now };
        this.tell(pollCode, { instance: this.instance, joined });
      }
      const total = this.joined(pollCode);
      if (total !== poll.shown) {
        poll.shown = total;
        this.onChange(pollCode, total);
      }
      // Forgotten once nothing of it is left here, and the others were told so.
      if (poll.connections === 0 && joined === 0) {
        this.polls.delete(pollCode);
        this.unsubscribe(poll);
      }
    }
  }

  private tell(pollCode: string, news: PresenceNews): void {
    this.broadcaster.publish(channelOf(pollCode), JSON.stringify(news)).catch(() => {});
  }

  private unsubscribe(poll: PollPresence): void {
    poll.subscription.then(
      (unsubscribe) => unsubscribe(),
      () => {},
    );
  }
}

const channelOf = (pollCode: string) => `presence:${pollCode}`;
