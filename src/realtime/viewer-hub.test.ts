import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBroadcaster } from './memory-broadcaster.js';
import { type LiveFrame, type Viewer, ViewerHub } from './viewer-hub.js';

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
    hub.join('AAAAAA', a.viewer);
    hub.join('AAAAAA', b.viewer);
    hub.join('BBBBBB', other.viewer);
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
    hub.join('AAAAAA', stays.viewer);
    const leave = hub.join('AAAAAA', goes.viewer);
    leave();
    await broadcaster.publish('AAAAAA', '{"type":"results"}');
    expect(goes.frames).toHaveLength(0);
    expect(stays.frames).toHaveLength(1);
  });

  it('sends heartbeats to every viewer and runs their liveness checks', async () => {
    hub = new ViewerHub(broadcaster, 20);
    const a = recorder();
    const b = recorder();
    hub.join('AAAAAA', a.viewer);
    hub.join('BBBBBB', b.viewer);
    // Timers run late on a busy machine: wait for the beats rather than for a time.
    await expect.poll(() => Math.min(a.frames.length, b.frames.length)).toBeGreaterThanOrEqual(2);
    for (const viewer of [a, b]) {
      expect(viewer.frames.length).toBeGreaterThanOrEqual(2);
      expect(viewer.frames.every((frame) => frame.json === '{"type":"heartbeat"}')).toBe(true);
      expect(viewer.ticks()).toBe(viewer.frames.length);
    }
  });

  it('closes every viewer when it closes', () => {
    hub = new ViewerHub(broadcaster, 60_000);
    const a = recorder();
    hub.join('AAAAAA', a.viewer);
    hub.close();
    expect(a.closed()).toBe(true);
  });
});
