import { describe, expect, it } from 'vitest';
import { appForTests, dialects, voteAs } from '../../../test/helpers.js';

describe.each(dialects)('kinds of question on $name', (dialect) => {
  const t = appForTests(dialect);

  const create = (payload: Record<string, unknown>) =>
    t.admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { text: 'Tea or coffee?', options: ['Tea', 'Coffee'], ...payload },
    });
  const questionCount = async () => (await t.app.db.selectFrom('questions').select('id').execute()).length;

  it('makes a single-choice question when none is named, and says so everywhere the question goes', async () => {
    const made = await create({ activate: true });
    expect(made.statusCode).toBe(201);
    const question = made.json().question;
    expect(question.kind).toBe('choice');
    expect((await t.app.inject({ url: '/api/polls/default' })).json().liveQuestion.kind).toBe('choice');
    const voted = await voteAs(t.app, 'kind-voter', question.id, question.options[1].id);
    expect(voted.json().question).toMatchObject({ kind: 'choice', totalVotes: 1 });
    const list = await t.admin({ url: '/api/admin/polls/default/questions' });
    expect(list.json().questions.map((q: { kind: string }) => q.kind)).toContain('choice');
  });

  it('takes `choice` named, and refuses a kind it does not know without storing anything', async () => {
    expect((await create({ kind: 'choice' })).json().question.kind).toBe('choice');
    const before = await questionCount();
    const unknown = await create({ kind: 'essay' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error).toMatchObject({ code: 'validation_failed' });
    // The message names the field and the kinds there are.
    expect(unknown.json().error.message).toMatch(/"kind".*choice/);
    expect(await questionCount()).toBe(before);
  });
});
