import { afterAll, describe, expect, it } from 'vitest';
import { reading, startGeminiStandIn } from '../gemini-stand-in.js';
import { fixturePath } from '../helpers.js';
import { browserMissing, signInAsAdmin, useBrowserRun } from './browser.js';

describe.skipIf(browserMissing)('uploading while Gemini is down, in a real browser', async () => {
  const standIn = await startGeminiStandIn();
  afterAll(() => standIn.close());
  const run = useBrowserRun({
    OCR_PROVIDER: 'gemini',
    GEMINI_API_KEY: 'test-key',
    GEMINI_BASE_URL: standIn.baseUrl,
    // Local OCR has this budget too, and takes seconds on a busy machine; Gemini hangs through all of it.
    OCR_TIMEOUT_MS: '10000',
  });

  it('the organizer sees the timeout, then reads the same images with local OCR in one click', async () => {
    const { base, browser } = run;
    const admin = await (await browser.newContext()).newPage();
    await signInAsAdmin(admin, base);
    expect(await admin.getByLabel('Google Gemini').isChecked()).toBe(true);

    standIn.script({ hang: true });
    await admin.setInputFiles('input[name="question_image"]', fixturePath('capital-question.png'));
    await admin.setInputFiles('input[name="options_image"]', fixturePath('capital-options.png'));
    await admin.click('#upload-form button[type="submit"]');
    await admin.locator('#upload-progress.error').waitFor();
    expect(await admin.locator('#upload-progress p').textContent()).toBe(
      'The OCR provider did not answer in time. Try again, or read the images with local OCR.',
    );
    expect(await admin.locator('#upload-form button[type="submit"]').isEnabled()).toBe(true);

    await admin.getByRole('button', { name: 'Read these images with local OCR' }).click();
    await admin.waitForURL(/review=\d+/);
    expect(await admin.inputValue('#edit-text')).toBe('What is the capital of Australia?');
    expect(standIn.requests).toHaveLength(1);
  });

  it('without JavaScript the form itself offers local OCR', async () => {
    const { base, browser } = run;
    const admin = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signInAsAdmin(admin, base);
    standIn.script(reading('Not used', ['A', 'B']));
    await admin.setInputFiles('input[name="question_image"]', fixturePath('lunch-question.png'));
    await admin.setInputFiles('input[name="options_image"]', fixturePath('lunch-options.png'));
    await admin.getByLabel('Local OCR on this server').check();
    await admin.click('#upload-form button[type="submit"]');
    await admin.waitForURL(/review=\d+/);
    expect(await admin.inputValue('#edit-text')).toBe('Where should the team go for lunch on Friday?');
    expect(standIn.requests).toHaveLength(0);
  });
});
