import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  adminToken,
  asUser,
  buildTestApp,
  createLiveQuestion,
  dialects,
  organizerToken,
  postForm,
  signInCookie,
  type TestApp,
  voteAs,
  voterCookie,
  voterId,
} from '../../test/helpers.js';
import { buildApp } from '../app.js';

describe.each(dialects)('fairness rules on $name', (dialect) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    token = await adminToken(t.app);
  });
  afterAll(() => t?.close());

  const setRules = (rules: object) =>
    asUser(t.app, token)({ method: 'PATCH', url: '/api/admin/polls/default', payload: rules });
  const vote = (voter: string, questionId: number, optionId: number, remoteAddress?: string) =>
    voteAs(t.app, voter, questionId, optionId, remoteAddress ? { remoteAddress } : {});
  const stored = (questionId: number) =>
    t.app.db
      .selectFrom('votes')
      .select(['voter_id', 'option_id'])
      .where('question_id', '=', questionId)
      .orderBy('voter_id')
      .execute();
  const counters = async (questionId: number) => {
    const options = await t.app.db
      .selectFrom('options')
      .select(['id', 'votes'])
      .where('question_id', '=', questionId)
      .orderBy('id')
      .execute();
    const question = await t.app.db
      .selectFrom('questions')
      .select('total_votes')
      .where('id', '=', questionId)
      .executeTakeFirstOrThrow();
    return { options, total: question.total_votes };
  };

  it('lets a whole room on one address vote by default, and says so in the poll', async () => {
    const poll = await t.app.inject({ url: '/api/polls/default' });
    expect(poll.json().rules).toEqual({
      oneVotePerAddress: false,
      votesChangeable: false,
      profanityFilter: false,
      hideResults: false,
      language: null,
    });
    const question = await createLiveQuestion(t.app, token);
    const [a] = question.options;
    expect((await vote('room-1', question.id, a?.id ?? 0)).statusCode).toBe(201);
    expect((await vote('room-2', question.id, a?.id ?? 0)).statusCode).toBe(201);
  });

  it('takes one vote per network address when the organizer asks for it', async () => {
    const set = await setRules({ oneVotePerAddress: true });
    expect(set.statusCode).toBe(200);
    expect(set.json().rules).toEqual({
      oneVotePerAddress: true,
      votesChangeable: false,
      profanityFilter: false,
      hideResults: false,
      language: null,
    });
    const question = await createLiveQuestion(t.app, token);
    const [a, b] = question.options;
    expect((await vote('home-1', question.id, a?.id ?? 0, '203.0.113.7')).statusCode).toBe(201);
    const second = await vote('home-2', question.id, b?.id ?? 0, '203.0.113.7');
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('address_already_voted');
    // A new cookie does not get around it; another address does.
    expect((await vote('home-3', question.id, b?.id ?? 0, '203.0.113.7')).statusCode).toBe(409);
    expect((await vote('elsewhere', question.id, b?.id ?? 0, '198.51.100.1')).statusCode).toBe(201);
    expect((await stored(question.id)).map((v) => v.voter_id)).toEqual([voterId('elsewhere'), voterId('home-1')]);
    // Addresses are not stored, only a keyed hash.
    const keys = await t.app.db
      .selectFrom('votes')
      .select('address_key')
      .where('question_id', '=', question.id)
      .execute();
    for (const { address_key } of keys) expect(address_key).not.toContain('203.0.113.7');
    await setRules({ oneVotePerAddress: false });
  });

  it('refuses a second vote unless changes are allowed, then moves the count', async () => {
    const question = await createLiveQuestion(t.app, token);
    const [a, b] = question.options;
    expect((await vote('changer', question.id, a?.id ?? 0)).statusCode).toBe(201);
    expect((await vote('changer', question.id, b?.id ?? 0)).json().error.code).toBe('already_voted');

    await setRules({ votesChangeable: true });
    const changed = await vote('changer', question.id, b?.id ?? 0);
    expect(changed.statusCode).toBe(201);
    const view = changed.json().question;
    expect(view.totalVotes).toBe(1);
    expect(view.options.map((o: { votes: number }) => o.votes)).toEqual([0, 1, 0, 0]);
    expect(await stored(question.id)).toEqual([{ voter_id: voterId('changer'), option_id: b?.id }]);
    // The same choice again changes nothing.
    expect((await vote('changer', question.id, b?.id ?? 0)).json().question.totalVotes).toBe(1);
    await setRules({ votesChangeable: false });
  });

  it('never double counts when many voters change their minds at once, through two instances', async () => {
    await setRules({ votesChangeable: true });
    // A second instance on the same database: its vote batches commit while this one's do.
    const other = await buildApp(t.config, { logger: false });
    try {
      const question = await createLiveQuestion(t.app, token);
      const ids = question.options.map((o) => o.id);
      const voters = Array.from({ length: 12 }, (_, i) => `swing-${i}`);
      await Promise.all(voters.map((voter, i) => vote(voter, question.id, ids[i % 4] ?? 0)));
      const answers = await Promise.all(
        voters.flatMap((voter, i) =>
          [1, 2, 3].map((step) => voteAs(step === 2 ? other : t.app, voter, question.id, ids[(i + step) % 4] ?? 0)),
        ),
      );
      expect(answers.every((answer) => answer.statusCode === 201)).toBe(true);
      const votes = await stored(question.id);
      const { options, total } = await counters(question.id);
      expect(total).toBe(12);
      expect(votes).toHaveLength(12);
      for (const option of options) {
        expect(option.votes).toBe(votes.filter((v) => v.option_id === option.id).length);
      }
    } finally {
      await other.close();
      await setRules({ votesChangeable: false });
    }
  });

  it('offers the change on the voting page and takes it without JavaScript', async () => {
    await setRules({ votesChangeable: true });
    const question = await createLiveQuestion(t.app, token);
    const [a, b] = question.options;
    const cookie = voterCookie('page-changer');
    await postForm(t.app, '/vote', { questionId: String(question.id), optionId: String(a?.id) }, cookie);
    const page = await t.app.inject({ url: '/vote', headers: { cookie } });
    expect(page.body).toContain('Change my vote');
    expect(page.body).toMatch(new RegExp(`value="${a?.id}" required checked`));
    const change = await postForm(t.app, '/vote', { questionId: String(question.id), optionId: String(b?.id) }, cookie);
    expect(change.statusCode).toBe(303);
    expect(await stored(question.id)).toEqual([{ voter_id: voterId('page-changer'), option_id: b?.id }]);
    await setRules({ votesChangeable: false });
    expect((await t.app.inject({ url: '/vote', headers: { cookie } })).body).not.toContain('Change my vote');
  });

  it('lets the organizer set the rules on the poll page, and no one else', async () => {
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const page = await t.app.inject({ url: '/admin/polls/default', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(page.body).toContain('Voting rules');
    const saved = await postForm(t.app, '/admin/polls/default/rules', { _csrf: csrf, votesChangeable: '1' }, cookie);
    expect(saved.statusCode).toBe(303);
    expect((await t.app.inject({ url: '/api/polls/default' })).json().rules).toEqual({
      oneVotePerAddress: false,
      votesChangeable: true,
      profanityFilter: false,
      hideResults: false,
      language: null,
    });
    const other = await organizerToken(t.app, 'someone-else');
    const refused = await asUser(
      t.app,
      other,
    )({
      method: 'PATCH',
      url: '/api/admin/polls/default',
      payload: { oneVotePerAddress: true },
    });
    expect(refused.statusCode).toBe(404);
    const empty = await setRules({});
    expect(empty.statusCode).toBe(422);
    await setRules({ votesChangeable: false });
  });
});
