import { describe, expect, it } from 'vitest';
import { adminToken, createLiveQuestion } from '../helpers.js';
import { browserMissing, markPage, stillSamePage, useBrowserRun } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe.skipIf(browserMissing)('voting on a phone, in a real browser', () => {
  const run = useBrowserRun();

  it('moves focus to the confirmation after a vote, so that a screen reader says it', async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app), { text: 'Focus where?', options: ['Here', 'There'] });
    const voter = await (await browser.newContext(phone)).newPage();
    await voter.goto(`${base}/vote`);
    await voter.getByLabel('There').check();
    await voter.getByRole('button', { name: 'Vote' }).click();
    await voter.getByText('Vote recorded').waitFor();
    expect(await voter.evaluate(() => document.activeElement?.textContent)).toContain('Vote recorded');
    expect(await voter.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');
  });

  it('a second tab still showing the form gets the refusal alone, then the results', async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app), { text: 'Two tabs?', options: ['One', 'Two'] });
    const context = await browser.newContext(phone);
    const first = await context.newPage();
    const second = await context.newPage();
    for (const tab of [first, second]) await tab.goto(`${base}/vote`);
    await markPage(second);

    await first.getByLabel('One').check();
    await first.getByRole('button', { name: 'Vote' }).click();
    await first.getByText('Vote recorded').waitFor();

    await second.getByLabel('Two').check();
    await second.getByRole('button', { name: 'Vote' }).click();
    await second.getByText('You have already voted on this question.').waitFor();
    expect(await second.getByText('Vote recorded').count()).toBe(0);
    const one = second.locator('.bar-row', { hasText: 'One' });
    expect(await one.locator('.count').textContent()).toBe('1');
    expect(await one.locator('.your-vote').count()).toBe(1);
    expect(await second.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    expect(await stillSamePage(second)).toBe(true);
  });
});
