import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetsDir } from '../src/paths.js';
import type { ResultsMessage } from '../src/realtime/messages.js';
import { adminToken, buildTestApp, createLiveQuestion, dialects, type TestApp, voteAs } from './helpers.js';
import { openEventStream } from './live-clients.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

describe('compressed answers', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await buildTestApp(sqlite);
    token = await adminToken(t.app);
  });
  afterAll(() => t?.close());

  it('sends pages and JSON compressed to clients that accept it, and small answers as they are', async () => {
    await createLiveQuestion(t.app, token);
    const page = await t.app.inject({ url: '/vote', headers: BROWSER });
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers.vary).toMatch(/accept-encoding/i);
    expect(String(brotliDecompressSync(page.rawPayload))).toContain('Best season?');

    const api = await t.app.inject({ url: '/api/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(api.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(String(gunzipSync(api.rawPayload))).openapi).toMatch(/^3\./);

    const plain = await t.app.inject({ url: '/vote' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('Best season?');

    const small = await t.app.inject({ url: '/healthz', headers: BROWSER });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('serves the page assets compressed at build time, and plain to clients that take no compression', async () => {
    const built = (name: string) => readFileSync(join(assetsDir, name));
    const brotli = await t.app.inject({ url: '/assets/styles.css', headers: BROWSER });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/^text\/css/);
    expect(brotli.rawPayload).toEqual(built('styles.css.br'));
    const gzip = await t.app.inject({ url: '/assets/vote.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload)).toEqual(built('vote.js'));
    const plain = await t.app.inject({ url: '/assets/styles.css' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload).toEqual(built('styles.css'));
  });

  it('never compresses a Server-Sent Events stream: each message arrives as it is sent', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const question = await createLiveQuestion(t.app, token);
    const sse = await openEventStream(base, 'default', BROWSER);
    try {
      expect(sse.response.headers.get('content-encoding')).toBeNull();
      await sse.inbox.next((m) => m.type === 'snapshot');
      // Each vote's counts must reach the client before the next vote is cast: a compressor
      // holding bytes back would keep them.
      for (let total = 1; total <= 3; total++) {
        await voteAs(t.app, `sse-${total}`, question.id, question.options[0]?.id);
        const results = (await sse.inbox.next((m) => m.type === 'results' && m.totalVotes === total)) as ResultsMessage;
        expect(results.questionId).toBe(question.id);
      }
    } finally {
      sse.close();
    }
  });
});
