import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  buildTestApp,
  createLiveQuestion,
  dialects,
  type TestApp,
  voteAs,
  voterId,
} from '../../test/helpers.js';
import { buildApp } from '../app.js';

describe.each(dialects)('votes on $name', (dialect) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    token = await adminToken(t.app);
  });
  afterAll(() => t?.close());

  const vote = (voter: string, questionId: number, optionId: number, code = 'default') =>
    voteAs(t.app, voter, questionId, optionId, { code });

  const storedVotes = async (questionId: number) =>
    t.app.db.selectFrom('votes').select(['voter_id', 'option_id']).where('question_id', '=', questionId).execute();

  it('records a vote and answers with the fresh results', async () => {
    const question = await createLiveQuestion(t.app, token);
    const [first, second] = question.options;
    const response = await vote('voter-a', question.id, second?.id ?? 0);
    expect(response.statusCode).toBe(201);
    const body = response.json().question;
    expect(body.totalVotes).toBe(1);
    expect(body.options.find((o: { id: number }) => o.id === second?.id)).toMatchObject({ votes: 1, percent: 100 });
    expect(body.options.find((o: { id: number }) => o.id === first?.id)).toMatchObject({ votes: 0, percent: 0 });
    expect(body.version).toBeGreaterThan(question.version);
    expect(await storedVotes(question.id)).toEqual([{ voter_id: voterId('voter-a'), option_id: second?.id }]);
  });

  it('gives a voter without a cookie one, and counts that vote', async () => {
    const question = await createLiveQuestion(t.app, token);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/polls/DEFAULT/votes',
      payload: { questionId: question.id, optionId: question.options[0]?.id },
    });
    expect(response.statusCode).toBe(201);
    expect(response.cookies.find((c) => c.name === 'pc_voter')).toMatchObject({ httpOnly: true });
  });

  it('refuses a second vote by the same voter with 409 already_voted', async () => {
    const question = await createLiveQuestion(t.app, token);
    expect((await vote('voter-b', question.id, question.options[0]?.id ?? 0)).statusCode).toBe(201);
    const again = await vote('voter-b', question.id, question.options[1]?.id ?? 0);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_voted');
    expect(await storedVotes(question.id)).toHaveLength(1);
  });

  it('refuses a vote on a question that is no longer live with 409 question_not_live', async () => {
    const old = await createLiveQuestion(t.app, token);
    await createLiveQuestion(t.app, token, { text: 'Next one?', options: ['Yes', 'No'] });
    const response = await vote('voter-c', old.id, old.options[0]?.id ?? 0);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('question_not_live');
    expect(await storedVotes(old.id)).toHaveLength(0);
  });

  it('rejects an option of another question, an unknown poll and a malformed body without storing', async () => {
    const question = await createLiveQuestion(t.app, token);
    const other = await t.app.db
      .selectFrom('options')
      .select('id')
      .where('question_id', '!=', question.id)
      .executeTakeFirstOrThrow();
    const wrongOption = await vote('voter-d', question.id, other.id);
    expect(wrongOption.statusCode).toBe(422);
    expect(wrongOption.json().error.code).toBe('invalid_option');

    const unknownPoll = await vote('voter-d', question.id, question.options[0]?.id ?? 0, 'ZZZZZZ');
    expect(unknownPoll.statusCode).toBe(404);

    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/polls/default/votes',
      headers: { 'content-type': 'application/json' },
      payload: '{"questionId": "x"',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('bad_request');

    const wrongTypes = await t.app.inject({
      method: 'POST',
      url: '/api/polls/default/votes',
      payload: { questionId: 'abc', optionId: -1 },
    });
    expect(wrongTypes.statusCode).toBe(422);
    expect(wrongTypes.json().error.code).toBe('validation_failed');
    expect(await storedVotes(question.id)).toHaveLength(0);
  });

  it('keeps counts equal to stored votes under many simultaneous votes through two instances, one vote per voter', async () => {
    // A second instance on the same database: its vote batches commit while this one's do.
    const other = await buildApp(t.config, { logger: false });
    try {
      const question = await createLiveQuestion(t.app, token);
      const optionIds = question.options.map((o) => o.id);
      const choice = (i: number) => optionIds[i % optionIds.length] ?? 0;
      const through = (i: number) => (i % 2 === 0 ? t.app : other);
      const voters = Array.from({ length: 150 }, (_, i) => `crowd-${i}`);
      // Every voter votes once, and one eager voter sends 40 votes at the same moment to both.
      const requests = [
        ...voters.map((voter, i) => voteAs(through(i), voter, question.id, choice(i))),
        ...Array.from({ length: 40 }, (_, i) => voteAs(through(i), 'eager-voter', question.id, choice(i))),
      ];
      const responses = await Promise.all(requests);
      const created = responses.filter((r) => r.statusCode === 201).length;
      const conflicts = responses.filter((r) => r.statusCode === 409 && r.json().error.code === 'already_voted').length;
      expect(created).toBe(151);
      expect(conflicts).toBe(39);

      const stored = await storedVotes(question.id);
      expect(stored).toHaveLength(151);
      expect(stored.filter((v) => v.voter_id === voterId('eager-voter'))).toHaveLength(1);
      // Every acknowledged vote is stored, once, with the option chosen.
      const byVoter = new Map(stored.map((v) => [v.voter_id, v.option_id]));
      for (const [i, voter] of voters.entries()) expect(byVoter.get(voterId(voter))).toBe(choice(i));
      const results = (await t.app.inject({ url: '/api/polls/default/results' })).json().question;
      expect(results.totalVotes).toBe(151);
      for (const option of results.options) {
        expect(option.votes).toBe(stored.filter((v) => v.option_id === option.id).length);
      }
    } finally {
      await other.close();
    }
  });
});
