import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroadcaster } from './memory-broadcaster.js';
import { LiveFrame, type Viewer, ViewerHub } from './viewer-hub.js';

function recorder() {
  const frames: LiveFrame[] = [];
  let ticks = 0;
  let closed = false;
  const viewer: Viewer = {
    send: (frame) => frames.push(frame),
    tick: () => {
      ticks++;
    },
    close: () => {
      closed = true;
    },
  };
  return { viewer, frames, ticks: () => ticks, closed: () => closed };
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
    expect(a.frames[0]?.eventStream).toBe('event: results\ndata: {"type":"results","totalVotes":3}\n\n');
    expect(b.frames[0]?.bytes).toBe(a.frames[0]?.bytes);
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

  it('sends heartbeats to every viewer and runs their liveness checks', async () => {
    hub = new ViewerHub(broadcaster, 20);
    const a = recorder();
    const b = recorder();
    await hub.join('AAAAAA', a.viewer);
    await hub.join('BBBBBB', b.viewer);
    // Timers run late on a busy machine: wait for the beats rather than for a time.
    await expect.poll(() => Math.min(a.frames.length, b.frames.length)).toBeGreaterThanOrEqual(2);
    for (const viewer of [a, b]) {
      expect(viewer.frames.length).toBeGreaterThanOrEqual(2);
      expect(viewer.frames.every((frame) => frame.json === '{"type":"heartbeat"}')).toBe(true);
      expect(viewer.ticks()).toBe(viewer.frames.length);
    }
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
});
