import { describe, expect, it } from 'vitest';
import { adminToken, asUser } from '../helpers.js';
import { axeViolations } from './axe.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const projector = { viewport: { width: 1920, height: 1080 } };
const laptop = { viewport: { width: 1280, height: 800 } };

describe.skipIf(browserMissing)('audience Q&A', () => {
  const run = useBrowserRun();

  it('takes questions from phones through moderation, counts their upvotes live, and highlights one on the projector', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const { code } = (await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Town hall' } })).json();
    await admin({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: { text: 'Ready?', options: ['Yes', 'No'], activate: true },
    });

    // The organizer opens the Q&A with moderation, from the Q&A page.
    const desk = await (await browser.newContext(laptop)).newPage();
    await signInAsAdmin(desk, base);
    await desk.goto(`${base}/p/${code}/moderate`);
    await desk.getByLabel('Take questions from the audience').check();
    await desk.getByLabel('Read each question before it shows').check();
    await desk.getByRole('button', { name: 'Save' }).click();
    await desk.getByText('Saved.').waitFor();
    await markPage(desk);

    const screen = await (await browser.newContext(projector)).newPage();
    await screen.goto(`${base}/p/${code}/present`);
    await markPage(screen);

    const phones = await Promise.all(
      [0, 1, 2].map(async () => {
        const page = await (await browser.newContext(phone)).newPage();
        await page.goto(`${base}/p/${code}`);
        await page.getByRole('heading', { name: 'Questions for the speaker' }).waitFor();
        await markPage(page);
        return page;
      }),
    );
    const [first, second, third] = phones;
    if (!first || !second || !third) throw new Error('no phones');
    expect(await axeViolations(first), 'a phone with the Q&A').toEqual([]);

    // Two questions wait for the organizer; no phone sees them meanwhile.
    for (const [page, text] of [
      [first, 'Will the slides be shared?'],
      [second, 'Why do we meet on Tuesdays?'],
    ] as const) {
      await page.getByLabel('Ask a question').fill(text);
      await page.getByRole('button', { name: 'Send question' }).click();
      await page.getByText('Sent: it shows once the organizer approves it.').waitFor();
    }
    await desk.getByRole('heading', { name: 'Waiting for you (2)' }).waitFor();
    expect(await third.locator('.qa-item').count()).toBe(0);

    // Approved, one shows on every phone at once; dismissed, the other never does.
    await desk
      .locator('.qa-item', { hasText: 'Will the slides be shared?' })
      .getByRole('button', { name: 'Approve' })
      .click();
    await desk
      .locator('.qa-item', { hasText: 'Why do we meet on Tuesdays?' })
      .getByRole('button', { name: 'Dismiss' })
      .click();
    await desk.getByRole('heading', { name: 'Waiting for you (0)' }).waitFor();
    for (const page of phones) await page.locator('.qa-item', { hasText: 'Will the slides be shared?' }).waitFor();
    expect(await third.getByText('Why do we meet on Tuesdays?').count()).toBe(0);

    // Two phones upvote; one presses again and takes it back; every phone and the desk see the count.
    const upvoteOn = (page: typeof first) =>
      page.locator('.qa-item', { hasText: 'Will the slides be shared?' }).getByRole('button', { name: /upvote/ });
    await upvoteOn(second).click();
    await expect.poll(() => upvoteOn(second).getAttribute('aria-pressed')).toBe('true');
    await upvoteOn(third).click();
    await expect.poll(() => upvoteOn(first).textContent()).toContain('2 upvotes');
    await upvoteOn(third).click();
    await expect.poll(() => upvoteOn(third).getAttribute('aria-pressed')).toBe('false');
    for (const page of phones) await expect.poll(() => upvoteOn(page).textContent()).toContain('1 upvote');
    await desk.getByText('1 upvote').waitFor();

    // Highlighted, it shows on the projector, and comes off again.
    await desk.getByRole('button', { name: 'Show on the screen' }).click();
    const highlight = screen.locator('.qa-highlight');
    await highlight.getByText('Will the slides be shared?').waitFor();
    expect(await highlight.textContent()).toContain('1 upvote');
    expect(await axeViolations(screen), 'the projector with a highlighted question').toEqual([]);
    expect(await axeViolations(desk), 'the Q&A page').toEqual([]);
    await desk.getByRole('button', { name: 'Take off the screen' }).click();
    await expect.poll(() => highlight.count()).toBe(0);

    for (const page of [desk, screen, ...phones]) expect(await stillSamePage(page)).toBe(true);
  });
});
