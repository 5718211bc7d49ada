import type { Db } from '../db/database.js';
import type { QaMessage } from '../realtime/messages.js';
import { pendingQaCount, qaItemsByIds } from './qa-queries.js';
import { qaItemOf } from './qa-service.js';
import { findPollById } from './queries.js';
import { qaSettingsOf } from './service.js';

/** A poll's Q&A changes go out at most once per this interval: a burst of upvotes is one message. */
export const QA_INTERVAL_MS = 500;

interface Pending {
  itemIds: Set<number>;
  timer: NodeJS.Timeout;
}

/**
 * Tells every screen of a poll what changed in its Q&A: the questions that changed, read again
 * when the message goes, so that it carries their latest counts. The audience's copy: a question
 * waiting for the organizer or dismissed is only named as gone, with how many wait.
 */
export class QaPublisher {
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly db: Db,
    private readonly send: (message: QaMessage) => void,
    private readonly onError: (error: unknown) => void,
    private readonly intervalMs = QA_INTERVAL_MS,
  ) {}

  /** A question of the poll changed (null: the poll's Q&A settings or highlight did). */
  changed(pollId: number, itemId: number | null): void {
    const entry = this.pending.get(pollId);
    if (entry) {
      if (itemId !== null) entry.itemIds.add(itemId);
      return;
    }
    const itemIds = new Set(itemId === null ? [] : [itemId]);
    this.pending.set(pollId, { itemIds, timer: setTimeout(() => this.publish(pollId), this.intervalMs) });
  }

  /** Sends what is pending now: a stopping server ends on the latest state. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((pollId) => this.publish(pollId)));
  }

  private async publish(pollId: number): Promise<void> {
    const entry = this.pending.get(pollId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(pollId);
    try {
      // Read as the message goes: its settings and highlight are the poll's latest, whichever
      // request changed what.
      const poll = await findPollById(this.db, pollId);
      if (!poll) return;
      const [rows, pending] = await Promise.all([
        qaItemsByIds(this.db, [...entry.itemIds]),
        pendingQaCount(this.db, poll.id),
      ]);
      this.send({
        type: 'qa',
        pollCode: poll.code,
        settings: qaSettingsOf(poll),
        items: rows.filter((row) => row.status === 'approved').map((row) => qaItemOf(row, poll)),
        removed: rows.filter((row) => row.status !== 'approved').map((row) => row.id),
        highlighted: poll.qa_highlight_id,
        pending,
      });
    } catch (error) {
      this.onError(error);
    }
  }
}
