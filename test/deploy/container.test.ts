import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../faults/server-process.js';
import { imageOf, ROOT, run } from './files.js';

describe('the container image', () => {
  const image = imageOf();
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pollcast-image-data-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs Pollcast as an unprivileged user, with its data in a volume', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/app\/data"\]$/m);
    expect(image.env.DATABASE_URL).toBe(`sqlite:${image.workdir}/data/pollcast.db`);
    // Exec form: Node is process 1 and gets SIGTERM itself, no shell in between.
    expect(image.cmd).toEqual(['node', 'dist/server.js']);
  });

  it('starts on its own settings, passes its health check, and stops on SIGTERM with exit code 0', async () => {
    const port = String(await freePort());
    // The image's settings, with the volume's path and the port made local.
    const env = {
      ...image.env,
      DATABASE_URL: image.env.DATABASE_URL?.replace(`${image.workdir}/data`, dataDir) ?? '',
      PORT: port,
      SHUTDOWN_DELAY_MS: '0',
    };
    const server = run(image.cmd, env);
    let output = '';
    server.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    server.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => server.on('exit', resolve));
    try {
      await expect.poll(() => output, { timeout: 30_000 }).toContain('Pollcast is running.');
      // No terminal: the log is JSON, one object a line, before the banner.
      const logLines = output.slice(0, output.indexOf('Pollcast is running.')).trim().split('\n');
      for (const line of logLines) expect(() => JSON.parse(line), line).not.toThrow();

      const check = run(image.healthcheck, env);
      expect(await new Promise((resolve) => check.on('exit', resolve))).toBe(0);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // Stopped, the health check fails.
    const after = run(image.healthcheck, { PORT: port });
    expect(await new Promise((resolve) => after.on('exit', resolve))).toBe(1);
  });
});
