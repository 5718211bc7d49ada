import { describe, expect, it } from 'vitest';
import { adminToken, asUser } from '../helpers.js';
import { axeViolations } from './axe.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const projector = { viewport: { width: 1920, height: 1080 } };

describe.skipIf(browserMissing)('the presenter runs the room from a phone', () => {
  const run = useBrowserRun();

  it('steps through a three-question session from the remote; the projector and the phones follow', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const { code } = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Offsite' } })).json();
    const texts = ['Where should we go?', 'Which month suits you?', 'Train or bus?'];
    for (const text of texts) {
      await admin({
        method: 'POST',
        url: `/api/admin/polls/${code}/questions`,
        payload: { text, options: ['One', 'Two', 'Three'] },
      });
    }

    // The projector and the remote are signed in as the organizer, in browsers of their own.
    const projectorContext = await browser.newContext(projector);
    const screen = await projectorContext.newPage();
    await signInAsAdmin(screen, base);
    await screen.goto(`${base}/p/${code}/present`);
    await screen.getByText('Waiting for the next question…').waitFor();
    await markPage(screen);

    const remoteContext = await browser.newContext(phone);
    const remote = await remoteContext.newPage();
    await signInAsAdmin(remote, base);
    await remote.goto(`${base}/p/${code}/remote`);
    await remote.getByText('3 questions, none shown yet').waitFor();
    expect(await remote.getByRole('button', { name: '← Previous' }).isDisabled()).toBe(true);
    expect(await axeViolations(remote), 'the remote before the first question').toEqual([]);
    await markPage(remote);

    const voters = await Promise.all(
      [1, 2].map(async () => {
        const page = await (await browser.newContext(phone)).newPage();
        await page.goto(`${base}/p/${code}`);
        return page;
      }),
    );

    for (const [i, text] of texts.entries()) {
      await remote.getByRole('button', { name: 'Next →' }).click();
      await remote.getByText(`Question ${i + 1} of 3`).waitFor();
      await screen.locator('.question-text', { hasText: text }).waitFor();
      for (const voter of voters) await voter.locator('legend, h1', { hasText: text }).first().waitFor();
      // A phone votes; the remote's counts move with the projector's.
      await voters[0]?.getByLabel('Two').check();
      await voters[0]?.getByRole('button', { name: 'Vote' }).click();
      await expect.poll(() => remote.locator('.bar-row', { hasText: 'Two' }).locator('.count').textContent()).toBe('1');
      await expect.poll(() => screen.locator('.bar-row', { hasText: 'Two' }).locator('.count').textContent()).toBe('1');
      expect(await remote.getByText(i < 2 ? `Next: ${texts[i + 1]}` : 'This is the last question.').count()).toBe(1);
    }
    expect(await remote.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    expect(await axeViolations(remote), 'the remote on the last question').toEqual([]);

    // Closing from the remote: every screen says so, and the phones can no longer vote.
    await remote.getByRole('button', { name: 'Close voting' }).click();
    await remote.getByText('Voting is closed; the results stay on the screens.').waitFor();
    await screen.getByText('Voting is closed').waitFor();
    await voters[1]?.getByText('Voting is closed').first().waitFor();

    // Back one question: it goes live again, for the room as for the remote.
    await remote.getByRole('button', { name: '← Previous' }).click();
    await remote.getByText('Question 2 of 3').waitFor();
    await screen.locator('.question-text', { hasText: texts[1] }).waitFor();
    expect(await stillSamePage(screen)).toBe(true);
    expect(await stillSamePage(remote)).toBe(true);
    expect(await axeViolations(screen), 'the presenter view with its controls').toEqual([]);
  });

  it("answers a clicker's keys on the presenter view", async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const { code } = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Keys' } })).json();
    for (const text of ['First?', 'Second?']) {
      await admin({
        method: 'POST',
        url: `/api/admin/polls/${code}/questions`,
        payload: { text, options: ['A', 'B'] },
      });
    }
    const screen = await (await browser.newContext(projector)).newPage();
    await signInAsAdmin(screen, base);
    await screen.goto(`${base}/p/${code}/present`);
    await markPage(screen);
    await screen.keyboard.press('PageDown');
    await screen.locator('.question-text', { hasText: 'First?' }).waitFor();
    await screen.keyboard.press('ArrowRight');
    await screen.locator('.question-text', { hasText: 'Second?' }).waitFor();
    // At the last question, Next does nothing; back with Page Up.
    await screen.keyboard.press('PageDown');
    await screen.keyboard.press('PageUp');
    await screen.locator('.question-text', { hasText: 'First?' }).waitFor();
    expect(await screen.getByText('Question 1 of 2').count()).toBe(1);
    expect(await stillSamePage(screen)).toBe(true);
    const live = (await admin({ url: `/api/polls/${code}` })).json();
    expect(live.liveQuestion.text).toBe('First?');
  });

  it('hides the results from every phone and the projector until the remote reveals them', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const { code } = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Secret' } })).json();
    await admin({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: { text: 'Pick a number', options: ['One', 'Two', 'Three'], hideResults: true, activate: true },
    });
    const screen = await (await browser.newContext(projector)).newPage();
    await signInAsAdmin(screen, base);
    await screen.goto(`${base}/p/${code}/present`);
    const remote = await (await browser.newContext(phone)).newPage();
    await signInAsAdmin(remote, base);
    await remote.goto(`${base}/p/${code}/remote`);

    // What each phone's page received over its live connection, frame by frame.
    const frames: string[][] = [];
    const voters = await Promise.all(
      [0, 1].map(async (i) => {
        const page = await (await browser.newContext(phone)).newPage();
        frames[i] = [];
        page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames[i]?.push(String(payload))));
        await page.goto(`${base}/p/${code}`);
        return page;
      }),
    );
    for (const voter of voters) {
      await voter.getByLabel('Two').check();
      await voter.getByRole('button', { name: 'Vote' }).click();
      await voter.getByText('The results will show when the presenter reveals them.').waitFor();
    }
    await expect.poll(() => screen.locator('.total-count').textContent()).toBe('2');
    expect(await screen.locator('.bar-row').count()).toBe(0);
    await expect.poll(() => voters[0]?.locator('.total-count').textContent()).toBe('2');
    // The organizer's phone sees the counts, marked as theirs alone.
    await expect.poll(() => remote.locator('.bar-row', { hasText: 'Two' }).locator('.count').textContent()).toBe('2');
    await remote.getByText('Only you see these results').waitFor();
    expect(await axeViolations(voters[0] ?? remote), 'a phone waiting for the reveal').toEqual([]);
    expect(await axeViolations(remote), 'the remote with hidden results').toEqual([]);
    const beforeReveal = frames.map((received) => received.length);

    await remote.getByRole('button', { name: 'Reveal the results' }).click();
    await expect.poll(() => screen.locator('.bar-row', { hasText: 'Two' }).locator('.count').textContent()).toBe('2');
    for (const voter of voters) {
      await expect.poll(() => voter.locator('.bar-row', { hasText: 'Two' }).locator('.count').textContent()).toBe('2');
    }
    expect(await axeViolations(screen), 'the projector after the reveal').toEqual([]);

    for (const [i, received] of frames.entries()) {
      const early = received.slice(0, beforeReveal[i]).map((frame) => JSON.parse(frame));
      expect(early.length).toBeGreaterThan(0);
      const counts = early.flatMap((message) =>
        [message.options, message.question?.options].flatMap((options) =>
          (options ?? []).map((option: { votes: number }) => option.votes),
        ),
      );
      expect(counts.filter((votes) => votes !== 0)).toEqual([]);
      expect(received.slice(beforeReveal[i]).join('\n')).toContain('"revealed":true');
    }
  });

  it('counts down on every screen from the remote, and closes the question at zero', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const { code } = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Timed' } })).json();
    await admin({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: { text: 'Fast or slow?', options: ['Fast', 'Slow'], timeLimitSec: 6, activate: false },
    });
    const screen = await (await browser.newContext(projector)).newPage();
    await screen.goto(`${base}/p/${code}/present`);
    const remote = await (await browser.newContext(phone)).newPage();
    await signInAsAdmin(remote, base);
    await remote.goto(`${base}/p/${code}/remote`);
    const voter = await (await browser.newContext(phone)).newPage();
    await voter.goto(`${base}/p/${code}`);
    await markPage(voter);

    // Going live starts the question's own countdown.
    await remote.getByRole('button', { name: 'Next →' }).click();
    await voter.locator('.countdown').waitFor();
    await screen.locator('.countdown').waitFor();
    const secondsLeft = async (page: typeof voter) => {
      const [minutes = 0, seconds = 0] = ((await page.locator('.countdown-time').textContent()) ?? '')
        .split(':')
        .map(Number);
      return minutes * 60 + seconds;
    };
    const first = await secondsLeft(voter);
    expect(first).toBeGreaterThan(1);
    expect(first).toBeLessThanOrEqual(6);
    // The phone and the projector count alike, and the count moves.
    expect(Math.abs(first - (await secondsLeft(screen)))).toBeLessThanOrEqual(1);
    await expect.poll(() => secondsLeft(voter)).toBeLessThan(first);
    expect(await axeViolations(voter), 'a phone counting down').toEqual([]);

    // At zero the server closes it: the phone can no longer vote, without a reload.
    await voter.getByText('Voting is closed').first().waitFor({ timeout: 15_000 });
    await screen.getByText('Voting is closed').waitFor();
    expect(await voter.locator('.countdown').count()).toBe(0);
    expect(await stillSamePage(voter)).toBe(true);

    // The remote starts another countdown on the question, opened again.
    await remote.getByRole('button', { name: 'Reopen voting' }).click();
    await remote.getByRole('button', { name: 'Stop the countdown' }).waitFor();
    await remote.getByRole('button', { name: 'Stop the countdown' }).click();
    await remote.getByRole('button', { name: 'Start the countdown' }).waitFor();
    await remote.getByLabel('Countdown length').selectOption('60');
    await remote.getByRole('button', { name: 'Start the countdown' }).click();
    await expect.poll(() => secondsLeft(voter)).toBeGreaterThan(55);
    expect(await axeViolations(remote), 'the remote counting down').toEqual([]);
  });

  it('shows how many phones have joined, rising as they open the poll and falling as they leave', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const { code } = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Room' } })).json();
    await admin({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: { text: 'Here?', options: ['Yes', 'No'], activate: true },
    });
    const screen = await (await browser.newContext(projector)).newPage();
    await screen.goto(`${base}/p/${code}/present`);
    const joined = () => screen.locator('[data-joined]').textContent();
    expect(await joined()).toBe('0');
    // The screens themselves do not count.
    const results = await (await browser.newContext(projector)).newPage();
    await results.goto(`${base}/p/${code}/results`);

    const phones = await Promise.all(
      [0, 1, 2].map(async () => {
        const context = await browser.newContext(phone);
        await (await context.newPage()).goto(`${base}/p/${code}`);
        return context;
      }),
    );
    await expect.poll(joined).toBe('3');
    await expect.poll(() => results.locator('[data-joined]').textContent()).toBe('3');
    await phones[0]?.close();
    await phones[1]?.close();
    await expect.poll(joined).toBe('1');
    expect(await screen.getByText('1 joined').count()).toBe(1);
  });
});
