import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  asUser,
  buildTestInstances,
  createLiveQuestion,
  dialects,
  signInCookie,
  voteAs,
} from './helpers.js';

// Without SESSION_SECRET: each instance would otherwise generate a secret of its own.
const GENERATED_SECRET = { SESSION_SECRET: '' };

describe.each(dialects)('instances on one $name database without SESSION_SECRET', (dialect) => {
  it("accept each other's sessions, and count one vote per voter and per address across them", async () => {
    const instances = await buildTestInstances(dialect, GENERATED_SECRET, [{}, {}]);
    const [a, b] = instances.apps as [FastifyInstance, FastifyInstance];
    try {
      const session = await signInCookie(a, 'admin', ADMIN_PASSWORD);
      const dashboard = await b.inject({ url: '/admin', headers: { cookie: session } });
      expect(dashboard.statusCode).toBe(200);

      const token = await adminToken(a);
      const setRules = await asUser(
        b,
        token,
      )({
        method: 'PATCH',
        url: '/api/admin/polls/default',
        payload: { oneVotePerAddress: true },
      });
      expect(setRules.statusCode).toBe(200);
      const question = await createLiveQuestion(a, token);
      const optionId = question.options[0]?.id ?? 0;
      const room = { remoteAddress: '203.0.113.7' };

      expect((await voteAs(a, 'voter-1', question.id, optionId, room)).statusCode).toBe(201);
      const again = await voteAs(b, 'voter-1', question.id, optionId, { remoteAddress: '198.51.100.9' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('already_voted');
      const sameAddress = await voteAs(b, 'voter-2', question.id, optionId, room);
      expect(sameAddress.statusCode).toBe(409);

      const results = await b.inject({ url: '/api/polls/default/results' });
      expect(results.json().question.totalVotes).toBe(1);
    } finally {
      await instances.close();
    }
  });

  it('carry the secret an earlier version kept in the data folder into the database, so its cookies stay valid', async () => {
    const legacySecret = 'a-secret-from-the-data-folder-0123456789';
    const instances = await buildTestInstances(dialect, GENERATED_SECRET, [{}, {}], (dir) =>
      writeFileSync(join(dir, 'session-secret'), `${legacySecret}\n`),
    );
    try {
      const [a, b] = instances.apps as [FastifyInstance, FastifyInstance];
      const login = await a.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
      });
      // The session cookie as the earlier version signed it, with the secret of its data folder.
      const cookie = `pc_session=${encodeURIComponent(sign(login.json().token, legacySecret))}`;
      for (const app of [a, b]) expect((await app.inject({ url: '/admin', headers: { cookie } })).statusCode).toBe(200);
      const forged = `pc_session=${encodeURIComponent(sign(login.json().token, 'another-secret-0123456789012345678'))}`;
      expect((await a.inject({ url: '/admin', headers: { cookie: forged } })).statusCode).toBe(303);
    } finally {
      await instances.close();
    }
  });
});
