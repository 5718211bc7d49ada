// Viewers that parse every live message and note when each total arrived: the probes by which
// the benchmarks time a vote's way to a screen.
import WebSocket from 'ws';

/**
 * A viewer records when each results message arrived and the total it carried; `subscribed`
 * settles with its first message, the snapshot, sent once the poll's subscription is active.
 */
export type Viewer = {
  seen: { at: number; total: number; version: number }[];
  subscribed: Promise<void>;
  close(): void;
};

/**
 * Keeps a results message newer than the last one kept, as the page does: with several workers,
 * two workers' messages may arrive in either order.
 */
export function record(seen: Viewer['seen'], message: { totalVotes: number; version: number }) {
  const last = seen.at(-1);
  if (last && message.version <= last.version) return;
  seen.push({ at: performance.now(), total: message.totalVotes, version: message.version });
}

export function openWsViewer(port: number): Promise<Viewer> {
  return new Promise((resolve, reject) => {
    const seen: Viewer['seen'] = [];
    let snapshot = () => {};
    const subscribed = new Promise<void>((resolve) => {
      snapshot = resolve;
    });
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/polls/default/ws`);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'results') record(seen, message);
      else if (message.type === 'snapshot') snapshot();
    });
    socket.once('open', () => resolve({ seen, subscribed, close: () => socket.terminate() }));
    socket.once('error', reject);
  });
}

export async function openSseViewer(port: number): Promise<Viewer> {
  const seen: Viewer['seen'] = [];
  let snapshot = () => {};
  const subscribed = new Promise<void>((resolve) => {
    snapshot = resolve;
  });
  const abort = new AbortController();
  const response = await fetch(`http://127.0.0.1:${port}/api/polls/default/events`, { signal: abort.signal });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
        buffer += decoder.decode(chunk.value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: results')) record(seen, JSON.parse(block.slice(block.indexOf('data: ') + 6)));
          else if (block.startsWith('event: snapshot')) snapshot();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // closed at the end of the run
    }
  })();
  return { seen, subscribed, close: () => abort.abort() };
}

/**
 * For each sampled vote and each viewer: time from the vote's moment (sent, or acknowledged) to
 * the first results message that includes it, that is, whose total is at least the total its
 * acknowledgement carried (totals only grow, one a vote).
 */
export function voteToViewer(votes: { at: number; total: number }[], viewers: Viewer[], every = 1): number[] {
  const delays: number[] = [];
  const sample = votes.filter((_, i) => i % every === 0);
  for (const viewer of viewers) {
    const { seen } = viewer;
    for (const ack of sample) {
      let lo = 0;
      let hi = seen.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((seen[mid]?.total ?? 0) >= ack.total) hi = mid;
        else lo = mid + 1;
      }
      const hit = seen[lo];
      if (hit) delays.push(hit.at - ack.at);
    }
  }
  return delays.sort((a, b) => a - b);
}
