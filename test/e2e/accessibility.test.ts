import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adminToken, asUser, createLiveQuestion } from '../helpers.js';
import { axeViolations } from './axe.js';
import { browserMissing, signInAsAdmin, useBrowserRun } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Opens each path and checks the page as loaded; a non-2xx page is checked as well (error pages count). */
async function checkPages(page: Page, base: string, paths: string[]) {
  for (const path of paths) {
    await page.goto(`${base}${path}`);
    expect(await axeViolations(page), path).toEqual([]);
  }
}

async function newPhonePage(browser: Browser) {
  return (await browser.newContext(phone)).newPage();
}

describe.skipIf(browserMissing)('every page passes axe-core', () => {
  const run = useBrowserRun();

  it('the audience pages, before and after voting', async () => {
    const { t, base, browser } = run;
    const page = await newPhonePage(browser);
    await checkPages(page, base, ['/', '/join?code=O0I1XX', '/p/ZZZZZZ', '/vote', '/results']);
    await createLiveQuestion(t.app, await adminToken(t.app), { text: 'Tea or coffee?', options: ['Tea', 'Coffee'] });
    await checkPages(page, base, ['/results', '/p/default/present', '/p/default/share', '/vote']);
    await page.getByLabel('Tea').check();
    await page.getByRole('button', { name: 'Vote' }).click();
    await page.getByText('Vote recorded').waitFor();
    expect(await axeViolations(page), 'after voting').toEqual([]);
  });

  it('a quick poll: made, shared with its manage link, managed', async () => {
    const { base, browser } = run;
    const page = await newPhonePage(browser);
    await page.goto(`${base}/`);
    await page.fill('#quick-question', 'Pizza or pasta?');
    await page.fill('#option-0', 'Pizza');
    await page.fill('#option-1', 'Pasta');
    await page.getByRole('button', { name: 'Create poll' }).click();
    await page.getByText('Your private manage link').waitFor();
    expect(await axeViolations(page), 'share page with the manage link').toEqual([]);
    await page.getByRole('link', { name: 'Manage this poll' }).click();
    await page.getByRole('button', { name: 'Close voting' }).waitFor();
    expect(await axeViolations(page), 'manage page').toEqual([]);
  });

  it('the sign-in page and every admin page', async () => {
    const { t, base, browser } = run;
    const page = await (await browser.newContext()).newPage();
    await checkPages(page, base, ['/admin/login', '/admin/register']);
    await signInAsAdmin(page, base);
    const question = await createLiveQuestion(t.app, await adminToken(t.app));
    await checkPages(page, base, ['/admin/users', `/admin?review=${question.id}`, '/admin']);
    await page.fill('#poll-title', 'Monday all-hands');
    await page.getByRole('button', { name: 'New poll' }).click();
    await page.getByText('The poll was created').waitFor();
    expect(await axeViolations(page), 'a new poll').toEqual([]);
  });

  it('the account pages, and the questions they ask without JavaScript', async () => {
    const { t, base, browser } = run;
    const created = await asUser(
      t.app,
      await adminToken(t.app),
    )({
      method: 'POST',
      url: '/api/admin/users',
      payload: { username: 'uma', password: 'uma-password' },
    });
    const id = created.json().user.id;
    const page = await newPhonePage(browser);
    await signInAsAdmin(page, base);
    await checkPages(page, base, ['/admin/account', `/admin/users/${id}`]);
    for (const action of ['Disable account', 'Delete account']) {
      await page.goto(`${base}/admin/users/${id}`);
      // As without JavaScript: the form posts unconfirmed, and the server asks on a page.
      await page.evaluate(() => {
        for (const form of document.querySelectorAll('form[data-confirm]')) form.removeAttribute('data-confirm');
      });
      await page.getByRole('button', { name: action }).click();
      await page.getByRole('heading', { name: `${action.split(' ')[0]} this account?` }).waitFor();
      expect(await axeViolations(page), `asking: ${action}`).toEqual([]);
    }
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Generate a password' }).click();
    await page.getByText('It is shown only this once.').waitFor();
    expect(await axeViolations(page), 'a generated password').toEqual([]);
  });
});
