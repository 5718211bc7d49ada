import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  appForTests,
  createLiveOfKind,
  dialects,
  liveResults,
  organizerToken,
  postForm,
  signInCookie,
  voteWith,
} from '../../test/helpers.js';
import { openEventStream } from '../../test/live-clients.js';
import type { LiveMessage } from '../realtime/messages.js';

describe.each(dialects)('moderation on $name', (dialect) => {
  const t = appForTests(dialect);
  const words = (voter: string, questionId: number, given: string[]) =>
    voteWith(t.app, voter, { questionId, words: given });
  const answer = (voter: string, questionId: number, text: string) => voteWith(t.app, voter, { questionId, text });
  const hidden = (id: number, method: 'POST' | 'DELETE', payload: object) =>
    t.admin({ method, url: `/api/admin/questions/${id}/hidden`, payload });
  const hiddenList = async (id: number) => (await t.admin({ url: `/api/admin/questions/${id}/hidden` })).json().hidden;
  const shownWords = async () =>
    (await liveResults(t.app)).words.map((word: { text: string; count: number }) => `${word.text}:${word.count}`);
  const shownAnswers = async () => (await liveResults(t.app)).answers.map((shown: { text: string }) => shown.text);
  const setFilter = (on: boolean) =>
    t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { profanityFilter: on } });

  it('hides a word of a cloud from every screen, live, keeps its count, and shows it again', async () => {
    const cloud = await createLiveOfKind(t.app, t.token, 'wordcloud', { text: 'One word for the team?' });
    await words('m1', cloud.id, ['brave', 'Cats']);
    await words('m2', cloud.id, ['cats']);
    expect(await shownWords()).toEqual(['cats:2', 'brave:1']);

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const screen = await openEventStream(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`, 'default');
    try {
      const hid = await hidden(cloud.id, 'POST', { text: '  CATS ' });
      expect(hid.statusCode).toBe(200);
      expect(hid.json().hidden).toEqual({ words: [{ text: 'cats', count: 2, by: 'organizer' }], answers: [] });
      const withoutCats = (m: LiveMessage) =>
        m.type === 'results' && 'words' in m && m.words.length === 1 && m.words[0]?.text === 'brave';
      expect(await screen.inbox.next(withoutCats)).toMatchObject({ totalVotes: 2 });
    } finally {
      screen.close();
    }
    expect(await shownWords()).toEqual(['brave:1']);
    // The cloud still counts its voters, and a new "cats" adds to the hidden word.
    await words('m3', cloud.id, ['cats']);
    expect((await liveResults(t.app)).totalVotes).toBe(3);
    expect((await hiddenList(cloud.id)).words).toEqual([{ text: 'cats', count: 3, by: 'organizer' }]);

    // A word hidden before anyone gives it stays off the screens from its first vote.
    await hidden(cloud.id, 'POST', { text: 'Spam' });
    await words('m4', cloud.id, ['spam', 'brave']);
    expect(await shownWords()).toEqual(['brave:2']);

    await hidden(cloud.id, 'DELETE', { text: 'cats' });
    expect(await shownWords()).toEqual(['cats:3', 'brave:2']);
    expect((await hiddenList(cloud.id)).words).toEqual([{ text: 'spam', count: 1, by: 'organizer' }]);
  });

  it('hides an open answer from the wall and shows it again; refuses what the question cannot hide', async () => {
    const open = await createLiveOfKind(t.app, t.token, 'text', { text: 'What should we change?' });
    await answer('a1', open.id, 'More breaks');
    await answer('a2', open.id, 'Buy my crypto at example.com');
    const spam = (await liveResults(t.app)).answers[0];
    expect(spam.text).toContain('crypto');
    const hid = await hidden(open.id, 'POST', { answerId: spam.id });
    expect(hid.json().hidden.answers).toEqual([expect.objectContaining({ id: spam.id, by: 'organizer' })]);
    expect(await shownAnswers()).toEqual(['More breaks']);
    expect((await liveResults(t.app)).totalVotes).toBe(2);
    // The organizer's own list still has it, marked.
    const every = (await t.admin({ url: `/api/admin/questions/${open.id}/answers` })).json().answers;
    expect(every.map((a: { text: string; hidden: boolean }) => [a.text, a.hidden])).toEqual([
      ['Buy my crypto at example.com', true],
      ['More breaks', false],
    ]);
    await hidden(open.id, 'DELETE', { answerId: spam.id });
    expect(await shownAnswers()).toEqual(['Buy my crypto at example.com', 'More breaks']);

    const refusals: [object, number, RegExp][] = [
      [{ text: 'breaks' }, 422, /Only a word cloud/],
      [{ answerId: 2_000_000 }, 404, /no answer with that id/],
      [{ answerId: spam.id, text: 'x' }, 422, /./],
      [{}, 422, /./],
      [{ answerId: 'one' }, 422, /./],
    ];
    for (const [payload, status, message] of refusals) {
      const refused = await hidden(open.id, 'POST', payload);
      expect(refused.statusCode, JSON.stringify(payload)).toBe(status);
      expect(refused.json().error.message).toMatch(message);
    }
    // Its author cannot bring a hidden answer back by changing it.
    await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: true } });
    await hidden(open.id, 'POST', { answerId: spam.id });
    expect((await answer('a2', open.id, 'Buy my crypto, really')).statusCode).toBe(201);
    expect(await shownAnswers()).toEqual(['More breaks']);
    expect((await hiddenList(open.id)).answers.map((a: { text: string }) => a.text)).toEqual(['Buy my crypto, really']);
    await t.admin({ method: 'PATCH', url: '/api/admin/polls/default', payload: { votesChangeable: false } });

    const cloud = await createLiveOfKind(t.app, t.token, 'wordcloud', { text: 'A word?' });
    expect((await hidden(cloud.id, 'POST', { answerId: spam.id })).json().error.message).toMatch(
      /Only an open question/,
    );
    // "İ" lower-cases to two characters: a word longer than any vote's is refused, not stored.
    const long = await hidden(cloud.id, 'POST', { text: 'İ'.repeat(20) });
    expect(long.statusCode).toBe(422);
    expect(long.json().error.message).toMatch(/at most 25 characters/);
    expect((await hidden(cloud.id, 'POST', { text: ' \u200b ' })).json().error.message).toMatch(/Name the word/);
    // Another organizer's question is not there for them; no one signed out may moderate.
    const other = await organizerToken(t.app, `mod-${dialect.name}`);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/admin/questions/${cloud.id}/hidden`,
      headers: { authorization: `Bearer ${other}` },
      payload: { text: 'x' },
    });
    expect(foreign.statusCode).toBe(404);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: `/api/admin/questions/${cloud.id}/hidden`,
      payload: { text: 'x' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('filters profanity when the poll asks, over what was given before and after, and the organizer overrules it', async () => {
    const cloud = await createLiveOfKind(t.app, t.token, 'wordcloud', { text: 'How was the demo?' });
    await words('p1', cloud.id, ['great', 'shit']);
    expect(await shownWords()).toEqual(['great:1', 'shit:1']);

    const on = await setFilter(true);
    expect(on.json().rules).toMatchObject({ profanityFilter: true });
    expect((await t.app.inject({ url: '/api/polls/default' })).json().rules.profanityFilter).toBe(true);
    expect(await shownWords()).toEqual(['great:1']);
    // Disguised spellings are caught too.
    await words('p2', cloud.id, ['sh1t', 'fine']);
    expect(await shownWords()).toEqual(['fine:1', 'great:1']);
    expect((await hiddenList(cloud.id)).words).toEqual([
      { text: 'sh1t', count: 1, by: 'filter' },
      { text: 'shit', count: 1, by: 'filter' },
    ]);
    await hidden(cloud.id, 'POST', { text: 'fine' });
    // The organizer shows one the filter hid: it stays shown.
    await hidden(cloud.id, 'DELETE', { text: 'sh1t' });
    expect(await shownWords()).toEqual(['great:1', 'sh1t:1']);

    const open = await createLiveOfKind(t.app, t.token, 'text', { text: 'Anything else?' });
    await answer('p3', open.id, 'This is bullshit');
    await answer('p4', open.id, 'Thanks for the talk');
    expect(await shownAnswers()).toEqual(['Thanks for the talk']);

    // Off: what the filter hid shows again; what the organizer hid stays hidden.
    await setFilter(false);
    expect(await shownAnswers()).toEqual(['Thanks for the talk', 'This is bullshit']);
    expect((await hiddenList(cloud.id)).words).toEqual([{ text: 'fine', count: 1, by: 'organizer' }]);
  });

  it('is done on the admin page: the rules’ filter box, a word to hide, and “Show again”', async () => {
    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const cloud = await createLiveOfKind(t.app, t.token, 'wordcloud', { text: 'Your mood?' });
    await words('page-1', cloud.id, ['sleepy', 'happy']);
    const page = async () => (await t.app.inject({ url: '/admin', headers: { cookie } })).body;
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(await page())?.[1] ?? '';
    expect(await page()).toContain('Keep profanity off the screens');
    const hid = await postForm(t.app, `/admin/questions/${cloud.id}/hide`, { _csrf, text: 'Sleepy' }, cookie);
    expect(hid.statusCode).toBe(303);
    expect(await shownWords()).toEqual(['happy:1']);
    expect(await page()).toMatch(
      /<span class="hidden-text" dir="auto">sleepy<\/span> <span class="hint">1 · hidden by you/,
    );
    await postForm(t.app, `/admin/questions/${cloud.id}/show`, { _csrf, text: 'sleepy' }, cookie);
    expect(await shownWords()).toEqual(['happy:1', 'sleepy:1']);
    const rules = await postForm(t.app, '/admin/polls/default/rules', { _csrf, profanityFilter: '1' }, cookie);
    expect(rules.statusCode).toBe(303);
    expect((await t.app.inject({ url: '/api/polls/default' })).json().rules.profanityFilter).toBe(true);
    await setFilter(false);
  });
});
