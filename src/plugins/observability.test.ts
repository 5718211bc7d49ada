import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  fixture,
  metricsText,
  type TestApp,
  uploadImages,
  voteAs,
} from '../../test/helpers.js';
import { openEventStream, openWebSocket } from '../../test/live-clients.js';

/** The value of one sample in Prometheus text, e.g. `pollcast_votes_total{outcome="accepted"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(dialects)('readiness and metrics on $name', (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp(dialect, { RATE_LIMIT_VOTES_PER_VOTER: '2' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t?.close());

  const metrics = () => metricsText(t.app);

  it('is ready while the database answers', async () => {
    const response = await t.app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('counts votes by outcome, live connections by transport, broadcasts and OCR calls', async () => {
    const question = await createLiveQuestion(t.app, await adminToken(t.app));
    const ws = await openWebSocket(base, 'default');
    const sse = await openEventStream(base, 'default');
    await ws.inbox.next((m) => m.type === 'snapshot');
    await sse.inbox.next((m) => m.type === 'snapshot');
    let text = await metrics();
    expect(sample(text, 'pollcast_live_connections{transport="websocket"}')).toBe(1);
    expect(sample(text, 'pollcast_live_connections{transport="sse"}')).toBe(1);

    const vote = (voter: string) => voteAs(t.app, voter, question.id, question.options[0]?.id);
    expect((await vote('counted-1')).statusCode).toBe(201);
    expect((await vote('counted-2')).statusCode).toBe(201);
    expect((await vote('counted-1')).statusCode).toBe(409);
    expect((await vote('counted-1')).statusCode).toBe(429);
    await ws.inbox.next((m) => m.type === 'results' && m.totalVotes === 2);

    const upload = await uploadImages(t.app, await adminToken(t.app), {
      question_image: fixture('lunch-question.png'),
      options_image: fixture('lunch-options.png'),
    });
    expect(upload.statusCode).toBe(201);

    text = await metrics();
    expect(sample(text, 'pollcast_votes_total{outcome="accepted"}')).toBe(2);
    expect(sample(text, 'pollcast_votes_total{outcome="already_voted"}')).toBe(1);
    expect(sample(text, 'pollcast_votes_total{outcome="rate_limited"}')).toBe(1);
    expect(sample(text, 'pollcast_broadcast_latency_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'pollcast_ocr_call_duration_seconds_count{provider="tesseract",outcome="ok"}')).toBe(1);
    expect(text).toContain('# TYPE pollcast_process_resident_memory_bytes gauge');

    ws.close();
    sse.close();
    await expect.poll(async () => sample(await metrics(), 'pollcast_live_connections{transport="websocket"}')).toBe(0);
    await expect.poll(async () => sample(await metrics(), 'pollcast_live_connections{transport="sse"}')).toBe(0);
  });

  it('fails readiness once the server is told to stop taking traffic', async () => {
    t.app.stopAcceptingTraffic();
    const response = await t.app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'stopping' });
    // Still alive, and still serving what is in flight.
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('who may read /metrics', () => {
  const [sqlite] = dialects;
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('serves it to the holder of METRICS_TOKEN, as Prometheus sends it, and to nobody else', async () => {
    if (!sqlite) throw new Error('no dialect');
    t = await buildTestApp(sqlite, { METRICS_TOKEN: 'a-metrics-token-for-this-test' });
    const scrape = (authorization?: string) =>
      t?.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
    for (const refused of [undefined, 'Bearer wrong-token', 'Basic YTpi', 'Bearer a-metrics-token-for-this-tes']) {
      const response = await scrape(refused);
      expect(response?.statusCode, refused).toBe(401);
      expect(response?.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response?.body).not.toContain('pollcast_');
    }
    const served = await scrape('Bearer a-metrics-token-for-this-test');
    expect(served?.statusCode).toBe(200);
    expect(served?.body).toContain('pollcast_votes_total');
  });

  it('does not serve it at all without a token', async () => {
    if (!sqlite) throw new Error('no dialect');
    t = await buildTestApp(sqlite, { METRICS_TOKEN: '' });
    const response = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('pollcast_');
  });
});
