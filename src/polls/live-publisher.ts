import type { Broadcaster } from '../realtime/broadcaster.js';
import type { Leaderboard, LiveMessage, QaMessage, QuestionView } from '../realtime/messages.js';
import { kindNamed } from './kinds/index.js';
import { quizField } from './kinds/quiz.js';

/** Results of one question go out at most once per this interval, always ending on the latest counts. */
export const RESULTS_INTERVAL_MS = 100;

interface Slot {
  latest: QuestionView | undefined;
  /** When the oldest update not yet sent arrived. */
  pendingSince: number;
  lastSentAt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Turns domain changes into live messages. Results are coalesced per question: a burst of
 * a thousand votes becomes a handful of broadcasts, each serialized once for every socket.
 */
export class LivePublisher {
  private readonly slots = new Map<number, Slot>();

  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly hooks: {
      onError: (error: unknown) => void;
      /** How long the counts just sent waited since their commit. */
      onResultsSent?: (latencyMs: number) => void;
    },
    private readonly intervalMs = RESULTS_INTERVAL_MS,
  ) {}

  results(question: QuestionView): void {
    if (!this.forAudience(question)) return;
    let slot = this.slots.get(question.id);
    if (!slot) {
      slot = { latest: undefined, pendingSince: 0, lastSentAt: 0, timer: undefined };
      this.slots.set(question.id, slot);
    }
    if (slot.latest && slot.latest.version >= question.version) return;
    if (!slot.timer) slot.pendingSince = Date.now();
    slot.latest = question;
    if (slot.timer) return;
    const wait = slot.lastSentAt + this.intervalMs - Date.now();
    if (wait <= 0) this.sendResults(slot);
    else slot.timer = setTimeout(() => this.sendResults(slot), wait);
  }

  /**
   * The poll's current question changed, was edited, closed or revealed (null: it has none now):
   * sent at once. Every screen receives it: it must be the audience's copy, which holds no
   * secret answer and no hidden results.
   */
  question(pollCode: string, question: QuestionView | null): void {
    if (question && !this.forAudience(question)) return;
    void this.send(pollCode, { type: 'question', pollCode, question });
  }

  /** The presenter showed the quiz leaderboard on the screens, or took it away: sent at once. */
  leaderboard(pollCode: string, leaderboard: Leaderboard): void {
    void this.send(pollCode, { type: 'leaderboard', pollCode, ...leaderboard });
  }

  /** What changed in the poll's audience Q&A (coalesced by QaPublisher). */
  qa(message: QaMessage): void {
    void this.send(message.pollCode, message);
  }

  /**
   * Refuses, loudly, to send the organizer's copy of a question: every screen would learn a quiz's
   * answer or results before their reveal. A bug of the caller's, never the audience's to pay for.
   */
  private forAudience(question: QuestionView): boolean {
    const quiz = quizField(question);
    const secretAnswer = quiz?.revealed === false && quiz.correctOptionIds.length > 0;
    const hidden = question.hiddenResults;
    if (!secretAnswer && !(hidden && !hidden.revealed && !hidden.withheld)) return true;
    this.hooks.onError(
      new Error(`the organizer's copy of question ${question.id} was about to be sent to every screen`),
    );
    return false;
  }

  /** Sends what is pending now, so that a stopping server ends on the latest counts. */
  flush(): void {
    for (const slot of this.slots.values()) if (slot.timer) this.sendResults(slot);
  }

  close(): void {
    this.flush();
    this.slots.clear();
  }

  private sendResults(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    const question = slot.latest;
    if (!question) return;
    slot.lastSentAt = Date.now();
    const { pendingSince } = slot;
    this.send(question.pollCode, {
      type: 'results',
      pollCode: question.pollCode,
      questionId: question.id,
      version: question.version,
      totalVotes: question.totalVotes,
      ...kindNamed(question.kind).liveResults(question),
    }).then((sent) => sent && this.hooks.onResultsSent?.(Date.now() - pendingSince));
  }

  /** Resolves whether the message went out; a failure is reported, never thrown. */
  private send(pollCode: string, message: LiveMessage): Promise<boolean> {
    return this.broadcaster.publish(pollCode, JSON.stringify(message)).then(
      () => true,
      (error: unknown) => {
        this.hooks.onError(error);
        return false;
      },
    );
  }
}
