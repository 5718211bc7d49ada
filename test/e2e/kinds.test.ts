import { describe, expect, it } from 'vitest';
import { adminToken, createLiveQuestion, voterCookie } from '../helpers.js';
import { axeViolations } from './axe.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe.skipIf(browserMissing)('kinds of question in a real browser', () => {
  const run = useBrowserRun();

  it('multiple choice: a phone ticks up to the limit and votes; the results screen moves in place', async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app), {
      kind: 'multi',
      text: 'Which do you play?',
      options: ['Guitar', 'Piano', 'Drums'],
      maxChoices: 2,
    });
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await markPage(screen);

    const voter = await (await browser.newContext(phone)).newPage();
    await voter.goto(`${base}/vote`);
    await voter.getByText('Pick up to 2').waitFor();
    expect(await axeViolations(voter), 'the form').toEqual([]);
    await voter.getByLabel('Guitar').check();
    await voter.getByLabel('Drums').check();
    // Two are ticked: the third waits until one is unticked.
    expect(await voter.getByLabel('Piano').isDisabled()).toBe(true);
    await voter.getByLabel('Drums').uncheck();
    expect(await voter.getByLabel('Piano').isDisabled()).toBe(false);
    await voter.getByLabel('Drums').check();
    await voter.getByRole('button', { name: 'Vote' }).click();
    await voter.getByText('Vote recorded').waitFor();
    expect(await voter.locator('.bar-row.chosen .option-text').allTextContents()).toEqual(['Guitar', 'Drums']);
    expect(await axeViolations(voter), 'after voting').toEqual([]);

    const count = (option: string) => screen.locator('.bar-row', { hasText: option }).locator('.count').textContent();
    await expect.poll(() => count('Drums')).toBe('1');
    expect(await count('Guitar')).toBe('1');
    expect(await count('Piano')).toBe('0');
    expect(await screen.locator('.total-count').textContent()).toBe('1');
    expect(await stillSamePage(screen)).toBe(true);
  });

  it('the organizer types a multiple-choice question on the poll page', async () => {
    const { base, browser } = run;
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.fill('#typed-text', 'Which days suit you?');
    for (const [i, day] of ['Monday', 'Tuesday', 'Friday'].entries()) await admin.fill(`#option-${i}`, day);
    await admin.locator('.typed-form').getByLabel('Multiple choice', { exact: true }).check();
    await admin.fill('#typed-max-choices', '2');
    await admin.getByRole('button', { name: 'Create question' }).click();
    await admin.getByText('The question is live').or(admin.getByText('The question was created')).first().waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    const live = await (await fetch(`${base}/api/polls/default`)).json();
    expect(live.liveQuestion).toMatchObject({ kind: 'multi', maxChoices: 2, text: 'Which days suit you?' });
  });

  it('rating: the organizer types a scale with JavaScript, a phone rates, the screen’s average moves', async () => {
    const { base, browser } = run;
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.fill('#typed-text', 'How useful was this session?');
    await admin.getByLabel('Rating', { exact: true }).check();
    // A rating has no options: their rows go, and do not hold the form back.
    await expect.poll(() => admin.locator('.option-rows').isHidden()).toBe(true);
    await admin.fill('#typed-scale-min', '1');
    await admin.fill('#typed-scale-max', '4');
    await admin.fill('#typed-max-label', 'Very');
    await admin.getByRole('button', { name: 'Create question' }).click();
    await admin.getByText('The question is live').or(admin.getByText('The question was created')).first().waitFor();
    expect(await axeViolations(admin)).toEqual([]);

    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await screen.getByText('How useful was this session?').waitFor();
    await markPage(screen);
    const voter = await (await browser.newContext(phone)).newPage();
    await voter.goto(`${base}/vote`);
    await voter.getByText('Rate from 1 to 4 · Very').waitFor();
    expect(await axeViolations(voter), 'the form').toEqual([]);
    await voter.getByLabel('3', { exact: true }).check();
    await voter.getByRole('button', { name: 'Vote' }).click();
    await voter.getByText('Vote recorded').waitFor();
    expect(await voter.locator('.bar-row.chosen').getAttribute('data-value')).toBe('3');

    await expect.poll(() => screen.locator('.average').textContent()).toBe('3');
    expect(await screen.locator('[data-value="3"] .percent').textContent()).toBe('100%');
    expect(await stillSamePage(screen)).toBe(true);
  });

  it('word cloud: phones give words; the screen’s cloud grows in place, each word keeping its place', async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app), {
      kind: 'wordcloud',
      text: 'Your mood, in a word or two?',
      maxWords: 2,
    });
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await screen.getByText('Your mood, in a word or two?').waitFor();
    await markPage(screen);

    const give = async (...words: string[]) => {
      const voter = await (await browser.newContext(phone)).newPage();
      await voter.goto(`${base}/vote`);
      for (const [i, word] of words.entries()) await voter.getByLabel(`Word ${i + 1}`).fill(word);
      await voter.getByRole('button', { name: 'Vote' }).click();
      await voter.getByText('Vote recorded').waitFor();
      return voter;
    };
    const first = await give('Curious', 'calm');
    expect(await axeViolations(first), 'the phone after voting').toEqual([]);
    expect(await first.locator('.cloud-word.mine .word').allTextContents()).toEqual(['calm', 'curious']);
    const words = () => screen.locator('.cloud-word .word').allTextContents();
    await expect.poll(words).toEqual(['calm', 'curious']);
    await give('sleepy', 'CURIOUS');
    // The new word joins at the end; "curious" grows where it was.
    await expect.poll(() => screen.locator('[data-word="curious"] .count').textContent()).toBe('2');
    expect(await words()).toEqual(['calm', 'curious', 'sleepy']);
    expect(await screen.locator('[data-word="curious"]').getAttribute('class')).toContain('size-6');
    expect(await axeViolations(screen), 'the screen').toEqual([]);
    expect(await stillSamePage(screen)).toBe(true);
  });

  it('open text: a phone writes an answer; it joins the top of the screen’s wall', async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app), { kind: 'text', text: 'One thing to improve?' });
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await screen.getByText('The answers will show here.').waitFor();
    await markPage(screen);
    for (const answer of ['Fewer slides', 'More breaks']) {
      const voter = await (await browser.newContext(phone)).newPage();
      await voter.goto(`${base}/vote`);
      await voter.getByLabel('Your answer').fill(answer);
      await voter.getByRole('button', { name: 'Vote' }).click();
      await voter.getByText('Vote recorded').waitFor();
      expect(await axeViolations(voter)).toEqual([]);
    }
    await expect.poll(() => screen.locator('.wall-answer').allTextContents()).toEqual(['More breaks', 'Fewer slides']);
    expect(await screen.getByText('The answers will show here.').isHidden()).toBe(true);
    expect(await stillSamePage(screen)).toBe(true);
  });

  it('ranking: a phone orders the options with its keyboard; the screen re-sorts by points', async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app), {
      kind: 'ranking',
      text: 'Which feature first?',
      options: ['Dark mode', 'Export', 'Search'],
    });
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await screen.getByText('Which feature first?').waitFor();
    await markPage(screen);

    const voter = await (await browser.newContext(phone)).newPage();
    await voter.goto(`${base}/vote`);
    const order = () => voter.locator('.rank-row .rank-text').allTextContents();
    // The list to reorder is made by a script the page fetches once it sees a ranking.
    await expect.poll(order).toEqual(['Dark mode', 'Export', 'Search']);
    // Search up two places, by keyboard: the button keeps the focus.
    await voter.getByRole('button', { name: 'Move Search up' }).focus();
    await voter.keyboard.press('Enter');
    await voter.keyboard.press('Enter');
    expect(await order()).toEqual(['Search', 'Dark mode', 'Export']);
    expect(await axeViolations(voter), 'the form').toEqual([]);
    // Export dragged by its handle up over Dark mode, to second place.
    const handle = voter.locator('.rank-row', { hasText: 'Export' }).locator('.rank-handle');
    const target = await voter.locator('.rank-row', { hasText: 'Dark mode' }).boundingBox();
    const from = await handle.boundingBox();
    if (!target || !from) throw new Error('the rows are laid out');
    await voter.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await voter.mouse.down();
    await voter.mouse.move(from.x + from.width / 2, target.y + target.height / 4, { steps: 5 });
    await voter.mouse.up();
    expect(await order()).toEqual(['Search', 'Export', 'Dark mode']);
    await voter.getByRole('button', { name: 'Vote' }).click();
    await voter.getByText('Vote recorded').waitFor();

    const rows = () => screen.locator('.bar-row .option-text').allTextContents();
    await expect.poll(rows).toEqual(['Search', 'Export', 'Dark mode']);
    expect(await screen.locator('.bar-row', { hasText: 'Search' }).locator('.average-place').textContent()).toBe('1');
    expect(await stillSamePage(screen)).toBe(true);
  });

  it('quiz: typed with its right option, answered on a phone, revealed on every screen at once', async () => {
    const { base, browser } = run;
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.fill('#typed-text', 'Which planet is largest?');
    for (const [i, planet] of ['Mars', 'Jupiter', 'Venus'].entries()) await admin.fill(`#option-${i}`, planet);
    await admin.locator('.typed-form').getByLabel('Single choice', { exact: true }).check();
    await admin.fill('#typed-rightOption', '2');
    await admin.getByRole('button', { name: 'Create question' }).click();
    await admin.getByText('The question is live').or(admin.getByText('The question was created')).first().waitFor();

    const presenter = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await presenter.goto(`${base}/p/default/present`);
    await presenter.getByText('Which planet is largest?').waitFor();
    await markPage(presenter);
    const voter = await (await browser.newContext(phone)).newPage();
    await voter.goto(`${base}/vote`);
    await voter.getByLabel('Mars').check();
    await voter.getByRole('button', { name: 'Vote' }).click();
    await voter.getByText('the right answer is revealed later').waitFor();
    await markPage(voter);
    // Until the reveal, the audience's pages hold nothing that says which is right.
    expect(await voter.locator('.right-answer').count()).toBe(0);
    expect(await presenter.locator('.right-answer').count()).toBe(0);

    await admin.reload();
    await admin.getByRole('button', { name: 'Reveal the answer' }).click();
    await voter.getByText('Not this time').waitFor();
    await presenter.locator('.bar-row.right', { hasText: 'Jupiter' }).waitFor();
    expect(await voter.locator('.bar-row.right .option-text').textContent()).toContain('Jupiter');
    expect(await stillSamePage(voter)).toBe(true);
    expect(await stillSamePage(presenter)).toBe(true);
    expect(await axeViolations(voter), 'the phone after the reveal').toEqual([]);
    expect(await axeViolations(presenter), 'the presenter after the reveal').toEqual([]);
  });

  it('moderation: the organizer hides a word on the poll page, and an open screen drops it in place', async () => {
    const { t, base, browser } = run;
    const cloud = await createLiveQuestion(t.app, await adminToken(t.app), {
      kind: 'wordcloud',
      text: 'One word for the offsite?',
    });
    for (const [i, words] of [['sunny', 'spam'], ['sunny'], ['spam']].entries()) {
      await fetch(`${base}/api/polls/default/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: voterCookie(`cloud-${i}`) },
        body: JSON.stringify({ questionId: cloud.id, words }),
      });
    }
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await screen.locator('.cloud-word[data-word="spam"]').waitFor();
    await markPage(screen);

    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.getByLabel('Word to hide').fill('SPAM');
    await admin.getByRole('button', { name: 'Hide word' }).click();
    await admin.getByText('hidden by you').waitFor();
    await screen.locator('.cloud-word[data-word="spam"]').waitFor({ state: 'detached' });
    expect(await screen.locator('.cloud-word').allTextContents()).toEqual(['sunny 2']);
    expect(await stillSamePage(screen)).toBe(true);
    expect(await axeViolations(admin), 'the poll page with its moderation').toEqual([]);

    await admin.getByRole('button', { name: 'Show again' }).click();
    await screen.locator('.cloud-word[data-word="spam"]').waitFor();
  });
});
