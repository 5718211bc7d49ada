import { afterEach, describe, expect, it } from 'vitest';
import { processDatabase, type ServerProcess, startServer } from './faults/server-process.js';
import { dialects } from './helpers.js';

const [sqlite] = dialects;
if (!sqlite) throw new Error('no dialect');

const BANNER_END = 'Set ADMIN_PASSWORD to choose your own.';
const TOKEN = 'manage-token-that-must-not-be-logged';

// What an operator sees on the server's standard output, with the first admin's password
// generated (so printed once).
describe('the server log', () => {
  let server: ServerProcess | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await drop?.();
  });

  async function start(env: Record<string, string>) {
    const db = await processDatabase(sqlite as NonNullable<typeof sqlite>);
    drop = db.drop;
    server = await startServer({
      DATABASE_URL: db.url,
      ADMIN_PASSWORD: '',
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: '0',
      ...env,
    });
    await expect.poll(() => server?.output(), { timeout: 20_000 }).toContain(BANNER_END);
    return server;
  }

  /** Two requests, one with a quick poll's manage token; the lines they add to the log. */
  async function requestLines(server: ServerProcess) {
    const before = server.output().length;
    await fetch(`${server.url}/vote`);
    await fetch(`${server.url}/p/ABCDEF/manage?token=${TOKEN}`);
    await expect.poll(() => server.output().slice(before), { timeout: 20_000 }).toContain('/p/ABCDEF/manage');
    return server.output().slice(before).trim().split('\n');
  }

  it('is readable with LOG_FORMAT=pretty: the banner after every start-up line, one line per request', async () => {
    const server = await start({ LOG_FORMAT: 'pretty' });
    const startUp = server.output();
    const banner = startUp.indexOf('Pollcast is running.');
    expect(startUp.slice(0, banner)).toMatch(/^\[[\d:]+\] INFO: Server listening at http:\/\/127\.0\.0\.1:\d+$/m);
    // Nothing comes after the password but the requests' lines.
    expect(startUp.trimEnd().endsWith(BANNER_END)).toBe(true);
    expect(startUp).toMatch(/password "[^"]+"/);

    const lines = await requestLines(server);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[[\d:]+\] INFO: GET \/vote 200 [\d.]+ ms$/);
    expect(lines[1]).toMatch(/^\[[\d:]+\] INFO: GET \/p\/ABCDEF\/manage\?token=\[redacted\] 404 [\d.]+ ms$/);
    expect(server.output()).not.toContain(TOKEN);
  });

  it('is JSON when standard output is not a terminal: one line per request with its method, URL, status and time', async () => {
    const server = await start({});
    const startUp = server.output();
    const logLines = startUp.slice(0, startUp.indexOf('Pollcast is running.')).trim().split('\n');
    for (const line of logLines) expect(() => JSON.parse(line), line).not.toThrow();

    const lines = (await requestLines(server)).map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      req: { method: 'GET', url: '/vote' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
      msg: expect.stringMatching(/^GET \/vote 200 /),
    });
    expect(lines[1]).toMatchObject({
      req: { url: '/p/ABCDEF/manage?token=[redacted]' },
      res: { statusCode: 404 },
    });
    expect(server.output()).not.toContain(TOKEN);
  });

  it('warns at start, before the banner, when TRUST_PROXY=true lets every client pick its address', async () => {
    const server = await start({ LOG_FORMAT: 'pretty', TRUST_PROXY: 'true' });
    const startUp = server.output();
    const warning = startUp.indexOf('WARN: TRUST_PROXY=true believes the X-Forwarded-For');
    expect(warning).toBeGreaterThan(-1);
    expect(warning).toBeLessThan(startUp.indexOf('Pollcast is running.'));
    expect(startUp).toContain('Set the number of proxies in front (TRUST_PROXY=1)');
  });
});
