import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { QuestionView } from '../../src/realtime/messages.js';
import { adminToken, asUser, voteAs } from '../helpers.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The accessibility rules a page breaks, as `rule: element` lines (none expected). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { violations } = await (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { html: string }[] }[] }> } }
    ).axe.run();
    return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
  });
  return violations;
}

const PHONE = { width: 390, height: 844 };

describe.skipIf(browserMissing)('a closed question in a real browser', () => {
  const run = useBrowserRun();

  it('keeps a closed question with its final results on every screen, changing each in place', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const created = await admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { text: 'Which talk was best?', options: ['Keynote', 'Workshop', 'Panel'], activate: true },
    });
    const question = created.json().question as QuestionView;

    const phone = await (await browser.newContext({ viewport: PHONE, isMobile: true })).newPage();
    await phone.goto(`${base}/vote`);
    await phone.getByLabel('Workshop').check();
    await phone.getByRole('button', { name: 'Vote' }).click();
    await phone.getByText('Vote recorded').waitFor();
    const latecomer = await (await browser.newContext({ viewport: PHONE, isMobile: true })).newPage();
    await latecomer.goto(`${base}/vote`);
    await latecomer.getByLabel('Panel').check();
    const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await screen.goto(`${base}/results`);
    const presenter = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    await presenter.goto(`${base}/p/default/present`);
    const organizer = await (await browser.newContext()).newPage();
    await signInAsAdmin(organizer, base);
    await organizer.locator('#live').getByRole('heading', { name: 'Live now' }).waitFor();
    const pages = [phone, latecomer, screen, presenter, organizer];
    for (const page of pages) {
      if (page !== latecomer) await expect.poll(() => page.locator('#live .total-count').textContent()).toBe('1');
      await markPage(page);
    }

    expect((await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/close` })).statusCode).toBe(200);
    for (const page of [phone, latecomer, screen, presenter]) {
      await page.getByText('Voting is closed').waitFor();
      expect(await page.locator('.bar-row', { hasText: 'Workshop' }).locator('.percent').textContent()).toBe('100%');
      expect(await page.getByRole('radio').count()).toBe(0);
      expect(await stillSamePage(page)).toBe(true);
    }
    await organizer.getByRole('heading', { name: 'Closed: final results' }).waitFor();
    expect(await organizer.locator('#live .total-count').textContent()).toBe('1');
    expect(await stillSamePage(organizer)).toBe(true);
    // The voter's own choice stays marked.
    expect(await phone.locator('.bar-row.chosen .option-text').textContent()).toBe('Workshop');
    expect(await axeViolations(phone)).toEqual([]);

    // The next live question replaces it everywhere, still without a reload.
    await admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { text: 'Lunch tomorrow?', options: ['Yes', 'No'], activate: true },
    });
    for (const page of pages) {
      await page.locator('#live').getByText('Lunch tomorrow?').waitFor();
      expect(await page.getByText('Voting is closed').count()).toBe(0);
      expect(await stillSamePage(page)).toBe(true);
    }
    expect(await latecomer.getByRole('radio').count()).toBe(2);
    expect(await voteAs(t.app, 'after-close', question.id, question.options[0]?.id).then((r) => r.statusCode)).toBe(
      409,
    );
  });
});
