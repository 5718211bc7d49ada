import { describe, expect, it } from 'vitest';
import { adminToken, asUser } from '../helpers.js';
import { axeViolations } from './axe.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const projector = { viewport: { width: 1920, height: 1080 } };

describe.skipIf(browserMissing)('a quiz leaderboard', () => {
  const run = useBrowserRun();

  it('ranks the phones after two quiz questions, on the projector and on each phone', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const { code } = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Pub quiz' } })).json();
    const quiz = [
      { text: 'Capital of Peru?', options: ['Lima', 'Cusco'], correct: [0] },
      { text: 'Moons of Mars?', options: ['One', 'Two'], correct: [1] },
    ];
    for (const payload of quiz) await admin({ method: 'POST', url: `/api/admin/polls/${code}/questions`, payload });

    const screen = await (await browser.newContext(projector)).newPage();
    await signInAsAdmin(screen, base);
    await screen.goto(`${base}/p/${code}/present`);
    await markPage(screen);

    // Three phones pick nicknames; the second tries the first's name in other letters first.
    const players = ['Ana', 'Bo', 'Cy'];
    const phones = await Promise.all(
      players.map(async () => {
        const page = await (await browser.newContext(phone)).newPage();
        await page.goto(`${base}/p/${code}`);
        await markPage(page);
        return page;
      }),
    );
    const pick = async (page: (typeof phones)[number], name: string, said: string) => {
      await page.getByLabel(/nickname/i).fill(name);
      await page
        .locator('form.nickname-form')
        .getByRole('button', { name: /Save|Change/ })
        .click();
      await page.getByText(said).waitFor();
    };
    await pick(phones[0] ?? screen, 'Ana', 'Saved: you are Ana on the leaderboard.');
    await pick(phones[1] ?? screen, 'ANA', 'Someone in this poll is already called “ANA”. Pick another nickname.');
    await pick(phones[1] ?? screen, 'Bo', 'Saved: you are Bo on the leaderboard.');
    await pick(phones[2] ?? screen, 'Cy', 'Saved: you are Cy on the leaderboard.');
    expect(await axeViolations(phones[1] ?? screen), 'a phone with its nickname form').toEqual([]);

    // Ana is right twice, Bo once, Cy never; Ana answers first each time.
    const picks = [
      ['Lima', 'Cusco', 'Cusco'],
      ['Two', 'Two', 'One'],
    ];
    for (const [i, question] of quiz.entries()) {
      await screen.getByRole('button', { name: 'Next →' }).click();
      await screen.locator('.question-text', { hasText: question.text }).waitFor();
      for (const [p, page] of phones.entries()) {
        await page.locator('h1', { hasText: question.text }).waitFor();
        await page.getByLabel(picks[i]?.[p] ?? '').check();
        await page.getByRole('button', { name: 'Vote' }).click();
        await page.getByText('Vote recorded').waitFor();
      }
      // No standings before the reveal; the reveal gives each phone its place.
      expect(await phones[0]?.locator('.standing').count()).toBe(0);
      await screen.getByRole('button', { name: 'Reveal the answer' }).click();
      await phones[0]?.getByText(/You are 1st of 3 with/).waitFor();
    }
    await phones[1]?.getByText(/You are 2nd of 3 with/).waitFor();
    await phones[2]?.getByText('You are 3rd of 3 with 0 points as Cy.').waitFor();

    await screen.getByRole('button', { name: 'Show the leaderboard' }).click();
    const rows = screen.locator('.leaderboard-row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await screen.locator('.leaderboard-name').allTextContents()).toEqual(['Ana', 'Bo', 'Cy']);
    expect(await screen.locator('.leaderboard-rank').allTextContents()).toEqual(['1st', '2nd', '3rd']);
    const anaPoints = Number((await rows.first().locator('.leaderboard-points').textContent())?.replace(/\D/g, ''));
    // Two right answers, each worth 500 and a bonus for speed.
    expect(anaPoints).toBeGreaterThan(1000);
    expect(anaPoints).toBeLessThanOrEqual(2000);
    expect(await axeViolations(screen), 'the projector showing the leaderboard').toEqual([]);

    // Back to the question: the results again, on the same page.
    await screen.getByRole('button', { name: 'Back to the question' }).click();
    await screen.locator('.question-text', { hasText: 'Moons of Mars?' }).waitFor();
    expect(await screen.locator('.leaderboard').count()).toBe(0);
    expect(await stillSamePage(screen)).toBe(true);
    for (const page of phones) expect(await stillSamePage(page)).toBe(true);
  });
});
