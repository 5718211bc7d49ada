import type { LiveMessage, QaMessage, QuestionView, ResultsMessage } from '../realtime/messages.js';
import { HEARTBEAT_INTERVAL_MS } from '../realtime/messages.js';

export interface LiveHandlers {
  /** The poll's current question as it is now, live or closed (first message of every connection, and on changes). */
  question(question: QuestionView | null, kind: 'snapshot' | 'question'): void;
  results(message: ResultsMessage): void;
  /** How many voters have the poll open now. */
  audience?(joined: number): void;
  /** Whether the screens show the quiz leaderboard: said by every snapshot, and when the presenter shows or hides it. */
  leaderboard?(shown: boolean, kind: 'snapshot' | 'leaderboard'): void;
  /** What changed in the poll's audience Q&A. */
  qa?(message: QaMessage): void;
  connection?(connected: boolean): void;
}

const MAX_BACKOFF_MS = 30_000;
const BASE_BACKOFF_MS = 500;
// Silence longer than two heartbeats means the link is dead even if the socket looks open.
const SILENCE_LIMIT_MS = HEARTBEAT_INTERVAL_MS * 2 + 5_000;

/**
 * Follows a poll live: WebSocket first, Server-Sent Events when WebSockets do not get
 * through (some proxies), reconnecting with jittered exponential backoff. Messages older than
 * what the page already shows (by question version) are dropped.
 */
export function followPoll(pollCode: string, handlers: LiveHandlers, { asVoter = false } = {}): void {
  let attempt = 0;
  let useSse = !('WebSocket' in window);
  let failedWebSocketOpens = 0;
  let current: { id: number; version: number } | null = null;
  let watchdog: number | undefined;
  let closeCurrent: () => void = () => {};

  const base = `/api/polls/${encodeURIComponent(pollCode)}`;
  // A voting page's connection counts its voter as here; a screen's does not.
  const query = asVoter ? '?as=voter' : '';

  const handle = (raw: string) => {
    resetWatchdog();
    const message = JSON.parse(raw) as LiveMessage;
    switch (message.type) {
      case 'snapshot':
      case 'question': {
        const { question } = message;
        if (message.type === 'snapshot') attempt = 0;
        if (question && current?.id === question.id && question.version < current.version) return;
        current = question && { id: question.id, version: question.version };
        handlers.question(question, message.type);
        if (message.type === 'snapshot') handlers.leaderboard?.(message.leaderboard, 'snapshot');
        return;
      }
      case 'leaderboard':
        handlers.leaderboard?.(message.shown, 'leaderboard');
        return;
      case 'qa':
        handlers.qa?.(message);
        return;
      case 'results':
        if (!current || message.questionId !== current.id || message.version <= current.version) return;
        current.version = message.version;
        handlers.results(message);
        return;
      case 'audience':
        handlers.audience?.(message.joined);
        return;
      case 'heartbeat':
        return;
    }
  };

  const resetWatchdog = () => {
    window.clearTimeout(watchdog);
    watchdog = window.setTimeout(reconnect, SILENCE_LIMIT_MS);
  };

  const reconnect = () => {
    window.clearTimeout(watchdog);
    closeCurrent();
    handlers.connection?.(false);
    const delay = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt) * (0.5 + Math.random());
    attempt++;
    window.setTimeout(connect, delay);
  };

  const connect = () => {
    if (useSse) {
      const source = new EventSource(`${base}/events${query}`);
      const onMessage = (event: MessageEvent<string>) => handle(event.data);
      for (const type of ['snapshot', 'results', 'question', 'audience', 'leaderboard', 'qa', 'heartbeat']) {
        source.addEventListener(type, onMessage);
      }
      source.onopen = () => handlers.connection?.(true);
      // EventSource's own retry has no backoff or jitter: close it and use ours.
      source.onerror = () => reconnect();
      closeCurrent = () => source.close();
    } else {
      const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
      const socket = new WebSocket(`${protocol}//${location.host}${base}/ws${query}`);
      let opened = false;
      socket.onopen = () => {
        opened = true;
        failedWebSocketOpens = 0;
        handlers.connection?.(true);
      };
      socket.onmessage = (event: MessageEvent<string>) => handle(event.data);
      socket.onclose = () => {
        if (closeCurrent !== close) return;
        if (opened) return reconnect();
        // A WebSocket that never opened: blocked on the way (some proxies), or the server is
        // down (a restart). Only a server that answers plain HTTP meanwhile means the former.
        fetch(`${location.protocol}//${location.host}${base}`, { cache: 'no-store' })
          .then((response) => {
            if (response.ok && ++failedWebSocketOpens >= 2) useSse = true;
          })
          .catch(() => {})
          .finally(reconnect);
      };
      const close = () => {
        socket.onclose = null;
        socket.close();
      };
      closeCurrent = close;
    }
    resetWatchdog();
  };

  connect();
}
