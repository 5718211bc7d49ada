import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adminToken, asUser } from '../helpers.js';
import { axeViolations } from './axe.js';
import { browserMissing, signInAsAdmin, useBrowserRun } from './browser.js';

/** Signs in on the sign-in page as anyone, and waits for the dashboard. */
async function signInAs(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/admin/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type="submit"]');
  await page.waitForURL(`${base}/admin`);
}

describe.skipIf(browserMissing)('accounts in a real browser', () => {
  const run = useBrowserRun();

  /** An organizer with one poll, made by the admin through the API. */
  async function organizer(username: string) {
    const admin = asUser(run.t.app, await adminToken(run.t.app));
    const created = await admin({
      method: 'POST',
      url: '/api/admin/users',
      payload: { username, password: `${username}-password` },
    });
    const login = await run.t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: `${username}-password` },
    });
    await asUser(
      run.t.app,
      login.json().token,
    )({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Kept' } });
    return created.json().user.id as number;
  }

  it('the admin disables an organizer after a question in a dialog; the organizer is out at once', async () => {
    const { base, browser } = run;
    const id = await organizer('pia');
    const pia = await (await browser.newContext()).newPage();
    await signInAs(pia, base, 'pia', 'pia-password');

    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.getByRole('link', { name: 'Accounts' }).click();
    await admin.getByRole('link', { name: 'pia' }).click();
    await admin.waitForURL(`${base}/admin/users/${id}`);
    expect(await axeViolations(admin), 'account page').toEqual([]);

    await admin.getByRole('button', { name: 'Disable account' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Their poll keeps running for voters.');
    expect(await axeViolations(admin), 'the question in a dialog').toEqual([]);
    await dialog.getByRole('button', { name: 'Disable account' }).click();
    await admin.getByText('The account is disabled and was signed out everywhere.').waitFor();
    expect(await axeViolations(admin), 'a disabled account').toEqual([]);

    await pia.reload();
    await pia.waitForURL(/\/admin\/login/);
    await pia.fill('#username', 'pia');
    await pia.fill('#password', 'pia-password');
    await pia.click('button[type="submit"]');
    await pia.getByText('This account is disabled.').waitFor();

    await admin.getByRole('button', { name: 'Enable account' }).click();
    await admin.getByText('The account is enabled').waitFor();
  });

  it('the admin deletes an organizer, told first where the polls go', async () => {
    const { base, browser } = run;
    const id = await organizer('quin');
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.goto(`${base}/admin/users/${id}`);
    await admin.getByRole('button', { name: 'Delete account' }).click();
    const dialog = admin.getByRole('dialog');
    expect(await dialog.textContent()).toContain(
      'Their poll, with its questions and votes, passes to you (admin), so that no results are lost.',
    );
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(admin.url()).toBe(`${base}/admin/users/${id}`);
    await admin.getByRole('button', { name: 'Delete account' }).click();
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await admin.getByText('Account quin deleted. 1 poll passed to you').waitFor();
    expect(await axeViolations(admin), 'the list after deleting').toEqual([]);
  });

  it('the admin has a password generated, shown once', async () => {
    const { base, browser } = run;
    const id = await organizer('rosa');
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.goto(`${base}/admin/users/${id}`);
    await admin.getByRole('button', { name: 'Generate a password' }).click();
    const password = await admin.getByLabel('Password', { exact: true }).inputValue();
    expect(password).toHaveLength(16);
    expect(await axeViolations(admin), 'the generated password').toEqual([]);
    const rosa = await (await browser.newContext()).newPage();
    await signInAs(rosa, base, 'rosa', password);
  });

  it('anyone signed in changes their password from the link in the header, keyboard only', async () => {
    const { base, browser } = run;
    await organizer('sami');
    const sami = await (await browser.newContext()).newPage();
    await signInAs(sami, base, 'sami', 'sami-password');
    await sami.getByRole('link', { name: 'Your account' }).click();
    await sami.waitForURL(`${base}/admin/account`);
    await sami.getByLabel('Current password').focus();
    await sami.keyboard.type('sami-password');
    await sami.keyboard.press('Tab');
    await sami.keyboard.type('sami-new-password');
    await sami.keyboard.press('Enter');
    await sami.getByText('Your password is changed.').waitFor();
    expect(await axeViolations(sami), 'after the change').toEqual([]);
    await sami.goto(`${base}/admin`);
    expect(sami.url()).toBe(`${base}/admin`);
  });
});
