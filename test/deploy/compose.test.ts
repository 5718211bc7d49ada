import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, processDatabase } from '../faults/server-process.js';
import { type Dialect, dialects } from '../helpers.js';
import { openEventStream, openWebSocket } from '../live-clients.js';
import { composeOf, imageOf, ROOT, run } from './files.js';

const ADMIN_PASSWORD = 'compose-admin-password';
const NGINX_CONF = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8');
const UPSTREAM_SERVER = /^(\s*server )([\w-]+):(\d+);/gm;

const postgres = dialects.find((dialect) => dialect.name === 'postgres');
const redisUrl = process.env.TEST_REDIS_URL;
const nginx = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();

/** Set-up cannot use expect.poll: the same wait, by hand. */
async function waitFor(condition: () => boolean | Promise<boolean>, failure: () => string, timeoutMs = 30_000) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the compose file', () => {
  const image = imageOf();
  const compose = composeOf({ ADMIN_PASSWORD });
  const instances = Object.entries(compose.services).filter(([, service]) => service.build === '.');
  const serviceAt = (url: string | undefined) => compose.services[new URL(url ?? 'none:').hostname];

  it('runs two instances of the image behind nginx, sharing PostgreSQL and Redis', () => {
    expect(instances.map(([name]) => name)).toEqual(['pollcast-1', 'pollcast-2']);
    for (const [, { environment = {} }] of instances) {
      expect(serviceAt(environment.DATABASE_URL)?.image).toMatch(/^postgres:/);
      expect(serviceAt(environment.REDIS_URL)?.image).toMatch(/^redis:/);
      expect(environment.TRUST_PROXY).toBe('1');
    }
    // Every instance, at the port its image listens on, is an upstream of the balancer.
    const upstreams = [...NGINX_CONF.matchAll(UPSTREAM_SERVER)].map(([, , host, port]) => `${host}:${port}`);
    expect(upstreams).toEqual(instances.map(([name]) => `${name}:${image.env.PORT}`));
    expect(compose.services.nginx?.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('refuses to start without an admin password', () => {
    expect(() => composeOf({})).toThrow(/ADMIN_PASSWORD is required/);
  });

  describe.runIf(postgres && redisUrl && nginx)('run here, with this machine’s PostgreSQL, Redis and nginx', () => {
    const processes: ChildProcess[] = [];
    let database: Awaited<ReturnType<typeof processDatabase>>;
    /** Directories to remove at the end. */
    const cleanup: string[] = [];
    let site: string;

    /** Starts one instance with its compose settings; only the addresses of the other services differ here. */
    async function startInstance(environment: Record<string, string>, prefix: string) {
      const redis = new URL(environment.REDIS_URL ?? '');
      const local = new URL(redisUrl ?? '');
      redis.host = local.host;
      const port = String(await freePort());
      // Each container has its own working directory (and ./data in it); the code is the project's.
      const workdir = mkdtempSync(join(tmpdir(), 'pollcast-instance-'));
      symlinkSync(join(ROOT, 'dist'), join(workdir, 'dist'));
      cleanup.push(workdir);
      const child = run(
        image.cmd,
        {
          ...image.env,
          ...environment,
          DATABASE_URL: database.url,
          REDIS_URL: redis.toString(),
          // The machine's Redis is shared: this run's channels and keys are its own.
          REDIS_PREFIX: prefix,
          PORT: port,
          SHUTDOWN_DELAY_MS: '0',
        },
        workdir,
      );
      processes.push(child);
      let output = '';
      child.stdout?.on('data', (chunk) => {
        output += chunk;
      });
      child.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      await waitFor(
        () => output.includes('Pollcast is running.'),
        () => `instance did not start:\n${output}`,
      );
      return port;
    }

    beforeAll(async () => {
      database = await processDatabase(postgres as Dialect);
      const lbPort = await freePort();
      site = `http://127.0.0.1:${lbPort}`;
      const settings = composeOf({ ADMIN_PASSWORD, PUBLIC_URL: site });
      const prefix = `pollcast-test-${randomBytes(6).toString('hex')}:`;
      // Both at once on a new database, as `docker compose up` starts them.
      const ports = await Promise.all(
        instances.map(([name]) => startInstance(settings.services[name]?.environment ?? {}, prefix)),
      );
      const portOf = new Map(instances.map(([name], i) => [name, ports[i]]));

      const nginxDir = mkdtempSync(join(tmpdir(), 'pollcast-nginx-'));
      cleanup.push(nginxDir);
      const conf = NGINX_CONF.replace(UPSTREAM_SERVER, (_line, start, host) => `${start}127.0.0.1:${portOf.get(host)};`)
        .replace('listen 80;', `listen 127.0.0.1:${lbPort};`)
        .replace('http {', 'http {\n  access_log off;');
      writeFileSync(join(nginxDir, 'nginx.conf'), conf);
      const balancer = spawn(
        nginx ?? 'nginx',
        [
          '-p',
          nginxDir,
          '-c',
          join(nginxDir, 'nginx.conf'),
          '-g',
          `daemon off; pid ${nginxDir}/nginx.pid; error_log stderr;`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      processes.push(balancer);
      let nginxLog = '';
      balancer.stderr?.on('data', (chunk) => {
        nginxLog += chunk;
      });
      await waitFor(
        () =>
          fetch(`${site}/readyz`).then(
            (r) => r.ok,
            () => false,
          ),
        () => `nginx did not pass /readyz on:\n${nginxLog}`,
      );
    });

    afterAll(async () => {
      for (const child of processes) child.kill('SIGTERM');
      await Promise.all(
        processes.map((child) =>
          child.exitCode === null ? new Promise((resolve) => child.on('exit', resolve)) : null,
        ),
      );
      await database?.drop();
      for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
    });

    const api = async (method: string, path: string, body?: object, headers: Record<string, string> = {}) => {
      const response = await fetch(`${site}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    it('serves one audience through the balancer: votes on either instance reach every screen', async () => {
      const login = await api('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(login.status).toBe(200);
      const admin = { authorization: `Bearer ${login.body.token}` };
      // One vote per network address: the instances must agree on what an address is keyed with.
      expect((await api('PATCH', '/api/admin/polls/default', { oneVotePerAddress: true }, admin)).status).toBe(200);
      const created = await api(
        'POST',
        '/api/admin/polls/default/questions',
        { text: 'Which way?', options: ['North', 'South'], activate: true },
        admin,
      );
      const question = created.body.question as { id: number; options: { id: number }[] };

      // Round robin: consecutive connections and requests alternate between the instances.
      const viewers = [
        await openWebSocket(site, 'default'),
        await openEventStream(site, 'default'),
        await openWebSocket(site, 'default'),
        await openEventStream(site, 'default'),
      ];
      try {
        const vote = (voter: string, optionId = question.options[0]?.id) =>
          api(
            'POST',
            '/api/polls/default/votes',
            { questionId: question.id, optionId },
            { cookie: `pc_voter=${voter}` },
          );
        // Every request comes from nginx's address: after the first vote, the others are from the same address.
        const fromOneAddress = [];
        for (const n of [1, 2, 3, 4]) fromOneAddress.push((await vote(`same-address-${n}`.padEnd(16, 'x'))).status);
        expect(fromOneAddress).toEqual([201, 409, 409, 409]);

        expect((await api('PATCH', '/api/admin/polls/default', { oneVotePerAddress: false }, admin)).status).toBe(200);
        const statuses = await Promise.all(
          Array.from({ length: 20 }, (_, n) => vote(`compose-voter-${n}`.padEnd(16, 'x'), question.options[n % 2]?.id)),
        );
        expect(statuses.map((s) => s.status)).toEqual(Array(20).fill(201));

        const state = await (await database.stored())(question.id);
        expect(state.voters.size).toBe(21);
        for (const viewer of viewers) {
          await viewer.inbox.next((m) => m.type === 'results' && m.questionId === question.id && m.totalVotes === 21);
        }
      } finally {
        for (const viewer of viewers) viewer.close();
      }
    });
  });
});
