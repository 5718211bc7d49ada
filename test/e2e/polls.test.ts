import { describe, expect, it } from 'vitest';
import { organizerToken } from '../helpers.js';
import { browserMissing, markPage, stillSamePage, useBrowserRun } from './browser.js';

describe.skipIf(browserMissing)('quick polls and organizer sessions in a real browser', () => {
  const run = useBrowserRun();

  it('someone makes a quick poll, shares the copied link, and every screen moves as a phone votes', async () => {
    const { base, browser } = run;
    const creatorContext = await browser.newContext();
    await creatorContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const creator = await creatorContext.newPage();
    const dialogs: string[] = [];
    creator.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await creator.goto(base);
    await creator.fill('#quick-question', 'Best <b>snack</b>? 🍿');
    await creator.fill('#option-0', 'Popcorn');
    await creator.fill('#option-1', 'popcorn');
    await creator.click('.quick-form button.primary');
    // The page says what is wrong before anything is sent.
    await creator.getByText('Two options have the same text.').waitFor();
    expect(creator.url()).toBe(`${base}/`);
    await creator.fill('#option-1', 'Nachos');
    await creator.fill('#option-2', 'Fruit');
    await creator.click('.add-option');
    await creator.fill('#option-4', 'Nothing, thanks');
    await creator.getByRole('button', { name: 'Remove option 4' }).click();
    expect(await creator.locator('.quick-form input[name="options"]').count()).toBe(4);
    await creator.click('.quick-form button.primary');
    await creator.waitForURL(/\/p\/[A-Z0-9]{6}\/share$/);
    const code = creator.url().split('/')[4] ?? '';
    await creator.getByRole('heading', { name: 'Best <b>snack</b>? 🍿' }).waitFor();
    await creator.getByText('Your private manage link').waitFor();
    expect(await creator.locator('.join-code').textContent()).toBe(code);
    expect(await creator.locator('img.qr').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(
      0,
    );

    await creator.getByRole('button', { name: 'Copy link' }).click();
    await creator.getByText('Copied to the clipboard.').waitFor();
    const link = await creator.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${base}/p/${code}`);

    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/p/${code}/results`);
    await markPage(screen);
    const presenter = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await presenter.goto(`${base}/p/${code}/present`);
    await presenter.getByRole('heading', { name: 'Best <b>snack</b>? 🍿' }).waitFor();
    expect(await presenter.locator('.screen-join .join-code').textContent()).toBe(code);
    await markPage(presenter);

    const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await phone.goto(link);
    await phone.getByLabel('Nachos').check();
    await phone.getByRole('button', { name: 'Vote' }).click();
    await phone.getByText('Vote recorded').waitFor();

    for (const page of [screen, presenter]) {
      await expect.poll(() => page.locator('.total-count').textContent()).toBe('1');
      expect(await page.locator('.bar-row', { hasText: 'Nachos' }).locator('.percent').textContent()).toBe('100%');
      expect(await stillSamePage(page)).toBe(true);
    }

    // The creator closes voting from the manage page; the presenter keeps the final results.
    await creator.goto(`${base}/p/${code}/manage`);
    await creator.getByRole('button', { name: 'Close voting' }).click();
    await creator.getByText('Voting is closed. The results stay here.').waitFor();
    await presenter.getByText('Voting is closed').waitFor();
    expect(await presenter.locator('.bar-row', { hasText: 'Nachos' }).locator('.percent').textContent()).toBe('100%');
    expect(dialogs).toEqual([]);
  });

  it('an organizer creates a poll and a typed question; a waiting voter sees it appear without reloading', async () => {
    const { t, base, browser } = run;
    await organizerToken(t.app, 'olga');
    const organizer = await (await browser.newContext()).newPage();
    await organizer.goto(`${base}/admin/login`);
    await organizer.fill('#username', 'olga');
    await organizer.fill('#password', 'olga-password');
    await organizer.click('button[type="submit"]');
    await organizer.waitForURL(`${base}/admin`);
    await organizer.getByText('No polls yet').waitFor();
    await organizer.fill('#poll-title', 'Team retro');
    await organizer.getByRole('button', { name: 'New poll' }).click();
    await organizer.waitForURL(/\/admin\/polls\/[A-Z0-9]{6}\?notice=poll-created$/);
    const code = new URL(organizer.url()).pathname.split('/')[3] ?? '';

    const voter = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage();
    await voter.goto(`${base}/`);
    await voter.fill('#code', code.toLowerCase());
    await voter.getByRole('button', { name: 'Join' }).click();
    await voter.waitForURL(`${base}/p/${code}`);
    await voter.getByText('Waiting for the next question…').waitFor();
    await markPage(voter);

    await organizer.fill('#typed-text', 'How did the sprint go?');
    await organizer.fill('#option-0', 'Great');
    await organizer.fill('#option-1', 'Fine');
    await organizer.fill('#option-2', 'Rough');
    await organizer.locator('.typed-form input[name="activate"]').uncheck();
    await organizer.getByRole('button', { name: 'Create question', exact: true }).click();
    await organizer.getByText('The question was created.').waitFor();
    await organizer
      .locator('.question-list li', { hasText: 'How did the sprint go?' })
      .getByRole('button', { name: 'Make live' })
      .click();
    await organizer.getByText('The question is live.').waitFor();

    await voter.getByRole('heading', { name: 'How did the sprint go?' }).waitFor();
    expect(await voter.getByRole('radio').count()).toBe(3);
    expect(await stillSamePage(voter)).toBe(true);
    await voter.getByLabel('Rough').check();
    await voter.getByRole('button', { name: 'Vote' }).click();
    await voter.getByText('Vote recorded').waitFor();
    await expect.poll(() => organizer.locator('#live .total-count').textContent()).toBe('1');
  });
});
