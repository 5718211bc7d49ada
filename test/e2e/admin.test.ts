import { describe, expect, it } from 'vitest';
import { adminToken, createLiveQuestion, voteAs } from '../helpers.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

describe.skipIf(browserMissing)("the organizer's poll page in a real browser", () => {
  const run = useBrowserRun();

  it('the question list follows the votes live, like the live card', async () => {
    const { t, base, browser } = run;
    const question = await createLiveQuestion(t.app, await adminToken(t.app), {
      text: 'Live list?',
      options: ['A', 'B'],
    });
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await markPage(admin);
    const row = admin.locator(`#question-${question.id}`);
    expect(await row.locator('.question-votes').textContent()).toBe('0 votes');

    await voteAs(t.app, 'list-1', question.id, question.options[0]?.id);
    await voteAs(t.app, 'list-2', question.id, question.options[1]?.id);
    await expect.poll(() => row.locator('.question-votes').textContent()).toBe('2 votes');
    expect(await admin.locator('#live .total-count').textContent()).toBe('2');
    expect(await stillSamePage(admin)).toBe(true);
  });

  it('asks before deleting, saying how many votes go with the question; Cancel keeps it', async () => {
    const { t, base, browser } = run;
    const question = await createLiveQuestion(t.app, await adminToken(t.app), {
      text: 'Delete me?',
      options: ['A', 'B'],
    });
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await voteAs(t.app, 'doomed-1', question.id, question.options[0]?.id);
    const row = admin.locator(`#question-${question.id}`);
    await expect.poll(() => row.locator('.question-votes').textContent()).toBe('1 vote');

    await row.getByRole('button', { name: 'Delete' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      'Delete the question “Delete me?” and its 1 vote? This cannot be undone.',
    );
    expect(await admin.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await row.count()).toBe(1);

    await row.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete question and 1 vote' }).click();
    await admin.getByText('The question and its votes were deleted.').waitFor();
    expect(await row.count()).toBe(0);
  });

  it('moves a question up with its button, keyboard only', async () => {
    const { t, base, browser } = run;
    const token = await adminToken(t.app);
    const first = await createLiveQuestion(t.app, token, { text: 'Earlier?', options: ['A', 'B'] });
    const second = await createLiveQuestion(t.app, token, { text: 'Later?', options: ['A', 'B'] });
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    const order = () => admin.locator('.question-list li').evaluateAll((rows) => rows.map((row) => row.id));
    const before = await order();
    expect(before.indexOf(`question-${second.id}`)).toBe(before.indexOf(`question-${first.id}`) + 1);
    await admin.locator(`#question-${second.id}`).getByRole('button', { name: 'Up' }).focus();
    await admin.keyboard.press('Enter');
    await admin.waitForURL(`${base}/admin#question-${second.id}`);
    const after = await order();
    expect(after.indexOf(`question-${second.id}`)).toBe(after.indexOf(`question-${first.id}`) - 1);
  });
});
