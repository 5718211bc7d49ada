import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { HEARTBEAT_WITH_PING, LiveFrame } from './live-frame.js';
import { createMemoryBroadcaster } from './memory-broadcaster.js';
import { type Viewer, ViewerHub } from './viewer-hub.js';

function recorder() {
  const frames: LiveFrame[] = [];
  let beats = 0;
  let closed = false;
  const viewer: Viewer = {
    send: (frame) => frames.push(frame),
    heartbeat: () => {
      beats++;
    },
    close: () => {
      closed = true;
    },
  };
  return { viewer, frames, beats: () => beats, closed: () => closed };
}

describe('the viewer hub', () => {
  const broadcaster = createMemoryBroadcaster();
  let hub: ViewerHub;
  afterEach(() => hub.close());

  it('hands every viewer of a poll the same frame, encoded once for each transport', async () => {
    hub = new ViewerHub(broadcaster, 60_000);
    const a = recorder();
    const b = recorder();
    const other = recorder();
    await hub.join('AAAAAA', a.viewer);
    await hub.join('AAAAAA', b.viewer);
    await hub.join('BBBBBB', other.viewer);
    await broadcaster.publish('AAAAAA', '{"type":"results","totalVotes":3}');
    expect(a.frames).toHaveLength(1);
    expect(b.frames[0]).toBe(a.frames[0]);
    expect(other.frames).toHaveLength(0);
    expect(a.frames[0]?.eventStream.toString()).toBe('event: results\ndata: {"type":"results","totalVotes":3}\n\n');
    expect(b.frames[0]?.webSocket).toBe(a.frames[0]?.webSocket);
    expect(b.frames[0]?.eventStream).toBe(a.frames[0]?.eventStream);
  });

  it('stops sending to a viewer that left, and keeps sending to the others', async () => {
    hub = new ViewerHub(broadcaster, 60_000);
    const stays = recorder();
    const goes = recorder();
    await hub.join('AAAAAA', stays.viewer);
    const leave = await hub.join('AAAAAA', goes.viewer);
    leave();
    await broadcaster.publish('AAAAAA', '{"type":"results"}');
    expect(goes.frames).toHaveLength(0);
    expect(stays.frames).toHaveLength(1);
  });

  it('beats for every viewer of every poll', async () => {
    hub = new ViewerHub(broadcaster, 20);
    const a = recorder();
    const b = recorder();
    await hub.join('AAAAAA', a.viewer);
    await hub.join('BBBBBB', b.viewer);
    // Timers run late on a busy machine: wait for the beats rather than for a time.
    await expect.poll(() => Math.min(a.beats(), b.beats())).toBeGreaterThanOrEqual(2);
  });

  it('closes every viewer when it closes', async () => {
    hub = new ViewerHub(broadcaster, 60_000);
    const a = recorder();
    await hub.join('AAAAAA', a.viewer);
    hub.close();
    expect(a.closed()).toBe(true);
  });

  it('shares one subscription among the viewers of a poll and ends it when the last one leaves', async () => {
    const subscribed: string[] = [];
    const unsubscribed: string[] = [];
    hub = new ViewerHub(
      {
        ...broadcaster,
        async subscribe(channel, listener) {
          subscribed.push(channel);
          const unsubscribe = await broadcaster.subscribe(channel, listener);
          return () => {
            unsubscribed.push(channel);
            unsubscribe();
          };
        },
      },
      60_000,
    );
    const [leaveA, leaveB] = await Promise.all([
      hub.join('AAAAAA', recorder().viewer),
      hub.join('AAAAAA', recorder().viewer),
    ]);
    expect(subscribed).toEqual(['AAAAAA']);
    leaveA();
    expect(unsubscribed).toEqual([]);
    leaveB();
    await expect.poll(() => unsubscribed).toEqual(['AAAAAA']);
  });

  it('refuses a viewer whose subscription failed, and subscribes afresh for the next one', async () => {
    let failures = 1;
    hub = new ViewerHub(
      {
        ...broadcaster,
        async subscribe(channel, listener) {
          if (failures-- > 0) throw new Error('subscription lost');
          return broadcaster.subscribe(channel, listener);
        },
      },
      60_000,
    );
    await expect(hub.join('AAAAAA', recorder().viewer)).rejects.toThrow('subscription lost');
    const next = recorder();
    await hub.join('AAAAAA', next.viewer);
    await broadcaster.publish('AAAAAA', '{"type":"results"}');
    expect(next.frames).toHaveLength(1);
  });

  it('sends a resync snapshot before the messages that arrive while it is read, and reads again if asked meanwhile', async () => {
    hub = new ViewerHub(broadcaster, 60_000);
    const viewer = recorder();
    await hub.join('AAAAAA', viewer.viewer);
    let reads = 0;
    let release = () => {};
    const read = async () => {
      reads++;
      if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
      return new LiveFrame(`{"type":"snapshot","read":${reads}}`);
    };
    const resynced = hub.resync('AAAAAA', read);
    await broadcaster.publish('AAAAAA', '{"type":"question"}');
    await hub.resync('AAAAAA', read);
    release();
    await resynced;
    expect(viewer.frames.map((frame) => frame.json)).toEqual([
      '{"type":"snapshot","read":1}',
      '{"type":"question"}',
      '{"type":"snapshot","read":2}',
    ]);
  });

  describe('in a room too big for one turn of the event loop', () => {
    const ROOM = 30_000;
    // Each write costs what a socket's system call does, so that the fan-out spans many slices.
    const busyFor = (microseconds: number) => {
      const until = performance.now() + microseconds / 1000;
      while (performance.now() < until);
    };
    function room() {
      const received: LiveFrame[][] = [];
      const viewers = Array.from({ length: ROOM }, () => {
        const frames: LiveFrame[] = [];
        received.push(frames);
        return {
          send: (frame: LiveFrame) => {
            busyFor(2);
            frames.push(frame);
          },
          heartbeat: () => {},
          close: () => {},
        } satisfies Viewer;
      });
      return { viewers, received };
    }
    const results = (version: number, questionId = 7) =>
      `{"type":"results","pollCode":"AAAAAA","questionId":${questionId},"version":${version},"totalVotes":${version},"options":[]}`;

    it('lets other work run while it writes', async () => {
      hub = new ViewerHub(broadcaster, 60_000);
      const { viewers, received } = room();
      for (const viewer of viewers) await hub.join('AAAAAA', viewer);
      let reachedAt = -1;
      setImmediate(() => {
        reachedAt = received.filter((frames) => frames.length > 0).length;
      });
      await broadcaster.publish('AAAAAA', results(1));
      await expect.poll(() => received.every((frames) => frames.length === 1), { timeout: 10_000 }).toBe(true);
      // The other work ran before the last viewer had the message, not after the whole room.
      expect(reachedAt).toBeGreaterThan(0);
      expect(reachedAt).toBeLessThan(ROOM);
    });

    it('sends what is on its way to every viewer when it closes, then stops', async () => {
      hub = new ViewerHub(broadcaster, 60_000);
      const { viewers, received } = room();
      for (const viewer of viewers) await hub.join('AAAAAA', viewer);
      await broadcaster.publish('AAAAAA', results(1));
      await broadcaster.publish('AAAAAA', results(2));
      expect(received.at(-1)).toEqual([]);
      hub.close();
      expect(
        received.every((frames) => frames.map((frame) => frame.json).join() === `${results(1)},${results(2)}`),
      ).toBe(true);
      await broadcaster.publish('AAAAAA', results(3));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received.every((frames) => frames.length === 2)).toBe(true);
    });

    it('merges the results that arrive meanwhile, and every viewer ends on the newest', async () => {
      hub = new ViewerHub(broadcaster, 60_000);
      const { viewers, received } = room();
      for (const viewer of viewers) await hub.join('AAAAAA', viewer);
      await broadcaster.publish('AAAAAA', results(1));
      for (const version of [2, 3, 5, 4]) await broadcaster.publish('AAAAAA', results(version));
      await broadcaster.publish('AAAAAA', '{"type":"question","pollCode":"AAAAAA","question":null}');
      await broadcaster.publish('AAAAAA', results(6));
      await broadcaster.publish('AAAAAA', results(1, 8));
      const last = received.at(-1) ?? [];
      await expect.poll(() => last.length, { timeout: 20_000 }).toBe(5);
      // 4 arrived after 5 and is older: 5 stays. Nothing merges across the question message.
      const sequence = [results(1), results(5), '{"type":"question","pollCode":"AAAAAA","question":null}'];
      expect(last.map((frame) => frame.json)).toEqual([...sequence, results(6), results(1, 8)]);
      expect(received.every((frames) => frames.length === 5)).toBe(true);
    });
  });
});

describe('a live frame', () => {
  /** What a WebSocket client reads from these bytes, written as they are to the server's end of its socket. */
  async function readByClient(bytes: Buffer, count: number): Promise<string[]> {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    try {
      server.once('connection', (_, request) => request.socket.write(bytes));
      const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const seen: string[] = [];
      client.on('message', (data: Buffer, isBinary) => seen.push(isBinary ? 'binary' : data.toString()));
      client.on('ping', () => seen.push('ping'));
      await expect.poll(() => seen.length).toBe(count);
      client.close();
      return seen;
    } finally {
      server.close();
    }
  }

  it.each([
    ['a short message', 20],
    ['a message of 126 bytes and more', 300],
    ['a message of 64 KiB and more', 70_000],
  ])('reads back as the same text in a WebSocket client: %s', async (_, size) => {
    const json = JSON.stringify({ type: 'results', padding: 'x'.repeat(size) });
    expect(await readByClient(new LiveFrame(json).webSocket, 1)).toEqual([json]);
  });

  it('beats with a heartbeat message and a ping, in one write', async () => {
    expect(await readByClient(HEARTBEAT_WITH_PING, 2)).toEqual(['{"type":"heartbeat"}', 'ping']);
  });
});
