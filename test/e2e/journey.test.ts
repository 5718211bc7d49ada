import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, adminToken, createLiveQuestion, fixturePath, voterCookie } from '../helpers.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

describe.skipIf(browserMissing)('the whole journey in a real browser', () => {
  const run = useBrowserRun();

  it('admin uploads two images, a voter votes, the results screen moves without reloading', async () => {
    const { base, browser } = run;
    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${base}/admin`);
    await expect.poll(() => admin.url()).toContain('/admin/login');
    await admin.fill('#username', 'admin');
    await admin.fill('#password', ADMIN_PASSWORD);
    await admin.click('button[type="submit"]');
    await admin.waitForURL(`${base}/admin`);

    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await screen.getByText('No question is live right now.').waitFor();
    await markPage(screen);

    await admin.setInputFiles('input[name="question_image"]', fixturePath('capital-question.png'));
    await admin.setInputFiles('input[name="options_image"]', fixturePath('capital-options.png'));
    await admin.click('#upload-form button[type="submit"]');
    await admin.waitForURL(/review=\d+/);
    expect(await admin.inputValue('#edit-text')).toBe('What is the capital of Australia?');
    expect(
      await admin
        .locator('.edit-form input[name="options"]')
        .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
    ).toEqual(['Sydney', 'Canberra', 'Melbourne', 'Perth']);
    // Nothing reaches the audience before the organizer has checked what was read.
    expect(await screen.getByText('No question is live right now.').isVisible()).toBe(true);
    await admin.getByRole('button', { name: 'Confirm and go live' }).click();
    await admin.getByText('The question is live.').waitFor();

    // The results screen follows the poll to its new question by itself.
    await screen.getByRole('heading', { name: 'What is the capital of Australia?' }).waitFor();
    expect(await screen.locator('.total-count').textContent()).toBe('0');

    const voterContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const voter = await voterContext.newPage();
    await voter.goto(`${base}/vote`);
    await markPage(voter);
    await voter.getByLabel('Canberra').check();
    await voter.getByRole('button', { name: 'Vote' }).click();
    await voter.getByText('Vote recorded').waitFor();
    expect(await stillSamePage(voter)).toBe(true);

    await expect.poll(() => screen.locator('.total-count').textContent()).toBe('1');
    const canberra = screen.locator('.bar-row', { hasText: 'Canberra' });
    expect(await canberra.locator('.percent').textContent()).toBe('100%');
    expect(await stillSamePage(screen)).toBe(true);

    // A correction by the admin reaches the voter's page live.
    await admin.fill('#edit-option-3', 'Perth (WA)');
    await admin.click('.edit-form button[type="submit"]');
    await admin.getByText('Changes saved').waitFor();
    await voter.getByText('Perth (WA)').waitFor();
    expect(await stillSamePage(voter)).toBe(true);

    // The next question replaces this one on the voter's phone without a reload.
    await admin.setInputFiles('input[name="question_image"]', fixturePath('lunch-question.png'));
    await admin.setInputFiles('input[name="options_image"]', fixturePath('lunch-options.png'));
    await admin.click('#upload-form button[type="submit"]');
    await admin.getByRole('button', { name: 'Confirm and go live' }).click();
    await voter.getByRole('heading', { name: 'Where should the team go for lunch on Friday?' }).waitFor();
    expect(await voter.getByRole('radio').count()).toBe(3);
    expect(await stillSamePage(voter)).toBe(true);
  });

  it('shows the admin a clear message when the images cannot be read, and keeps the form', async () => {
    const { base, browser } = run;
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    await admin.setInputFiles('input[name="question_image"]', fixturePath('capital-question.png'));
    await admin.setInputFiles('input[name="options_image"]', fixturePath('one-option.png'));
    await admin.click('#upload-form button[type="submit"]');
    await admin.getByText('Found 1 option in the options image').waitFor();
    expect(await admin.locator('#upload-form button[type="submit"]').isEnabled()).toBe(true);
  });

  it('a results screen rides out a server restart: it reconnects by itself and catches up', async () => {
    const { t, base, browser } = run;
    const token = await adminToken(t.app);
    const question = await createLiveQuestion(t.app, token, { text: 'Survives a restart?', options: ['Yes', 'No'] });
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/results`);
    await screen.getByRole('heading', { name: 'Survives a restart?' }).waitFor();
    await markPage(screen);

    await t.restart();
    const response = await fetch(`${base}/api/polls/default/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: voterCookie('after-restart') },
      body: JSON.stringify({ questionId: question.id, optionId: question.options[0]?.id }),
    });
    expect(response.status).toBe(201);
    await expect.poll(() => screen.locator('.total-count').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await screen.locator('#connection').isHidden()).toBe(true);
    expect(await stillSamePage(screen)).toBe(true);
  });

  it('falls back to Server-Sent Events where WebSockets are not available', async () => {
    const { t, base, browser } = run;
    const token = await adminToken(t.app);
    const question = await createLiveQuestion(t.app, token, { text: 'Over SSE?', options: ['Yes', 'No'] });
    const context = await browser.newContext();
    await context.addInitScript(() => Reflect.deleteProperty(window, 'WebSocket'));
    const screen = await context.newPage();
    const streams: string[] = [];
    screen.on('request', (request) => {
      if (request.url().endsWith('/events')) streams.push(request.url());
    });
    await screen.goto(`${base}/results`);
    await screen.getByRole('heading', { name: 'Over SSE?' }).waitFor();
    await markPage(screen);
    await fetch(`${base}/api/polls/default/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: voterCookie('sse-viewer') },
      body: JSON.stringify({ questionId: question.id, optionId: question.options[1]?.id }),
    });
    await expect.poll(() => screen.locator('.total-count').textContent()).toBe('1');
    expect(streams).toEqual([`${base}/api/polls/default/events`]);
    expect(await stillSamePage(screen)).toBe(true);
  });
});
