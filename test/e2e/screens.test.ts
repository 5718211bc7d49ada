import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { adminToken, asUser, type OptionsQuestion, voteAs } from '../helpers.js';
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

const WORDS =
  'how should the team split the remaining budget between hiring training travel new equipment and the events we promised our community partners earlier this year'.split(
    ' ',
  );
/** Text of exactly `length` characters, made of real words, so that it wraps as prose does. */
function prose(length: number, seed: number): string {
  let text = '';
  for (let i = seed; text.length < length; i++) text += `${WORDS[i % WORDS.length]} `;
  return `${text.slice(0, length - 1).trimEnd()}?`.padEnd(length, '?');
}

const LONGEST_QUESTION = 500;
const LONGEST_OPTION = 200;
const PROJECTORS = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];
const PHONE = { width: 390, height: 844 };

interface Layout {
  scrollWidth: number;
  scrollHeight: number;
  /** Each element that must be seen, with whether it lies inside the viewport. */
  boxes: { what: string; inside: boolean; empty: boolean }[];
  /** Font sizes in px. */
  question: number;
  figures: number;
  joinCode: number;
  qrHeight: number;
  /** Option texts cut short (with an ellipsis). */
  clipped: number;
}

/** Where the things a room must read are, measured in the page. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const selectors = [
      '.question-text',
      '.bar-row .option-text',
      '.bar-row .figures',
      '.total',
      '.join-code',
      'img.qr',
    ];
    const boxes = selectors.flatMap((selector) =>
      [...document.querySelectorAll(selector)].map((element, i) => {
        const r = element.getBoundingClientRect();
        return {
          what: `${selector} #${i + 1}`,
          inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
          empty: r.width === 0 || r.height === 0,
        };
      }),
    );
    const size = (selector: string) => {
      const element = document.querySelector(selector);
      return element ? Number.parseFloat(getComputedStyle(element).fontSize) : 0;
    };
    const figures = [...document.querySelectorAll('.figures')].map((e) =>
      Number.parseFloat(getComputedStyle(e).fontSize),
    );
    return {
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
      boxes,
      question: size('.question-text'),
      figures: Math.min(...figures),
      joinCode: size('.join-code'),
      qrHeight: document.querySelector('img.qr')?.getBoundingClientRect().height ?? 0,
      clipped: [...document.querySelectorAll('.option-text')].filter((e) => e.scrollHeight > e.clientHeight + 1).length,
    };
  });
}

describe.skipIf(browserMissing)('results screens in a real browser', () => {
  const run = useBrowserRun();

  /** A poll whose live question is as long as allowed, with this many options as long as allowed, and votes. */
  async function pollWithLongestQuestion(options: number) {
    const admin = asUser(run.t.app, await adminToken(run.t.app));
    const { code } = (
      await admin({ method: 'POST', url: '/api/admin/polls', payload: { title: `${options} options` } })
    ).json();
    const created = await admin({
      method: 'POST',
      url: `/api/admin/polls/${code}/questions`,
      payload: {
        text: prose(LONGEST_QUESTION, 0),
        options: Array.from(
          { length: options },
          (_, i) => `${i + 1}. ${prose(LONGEST_OPTION - `${i + 1}. `.length, i * 5)}`,
        ),
        activate: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const question = created.json().question as OptionsQuestion;
    // Four-digit counts and percentages with a decimal: the widest figures there are.
    await Promise.all(
      Array.from({ length: 1003 }, (_, i) =>
        voteAs(run.t.app, `${code}-${i}`, question.id, question.options[i % 3 === 0 ? 0 : i % options]?.id, { code }),
      ),
    );
    return { code, question, admin };
  }

  it.each([2, 8, 20])(
    'fits the results screen and the presenter view into a projector with %i options and the longest question',
    async (options) => {
      const { code, question, admin } = await pollWithLongestQuestion(options);
      const page = await run.browser.newPage();
      for (const state of ['live', 'closed'] as const) {
        if (state === 'closed') await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/close` });
        for (const screen of PROJECTORS) {
          await page.setViewportSize(screen);
          for (const path of [`/p/${code}/results`, `/p/${code}/present`]) {
            await page.goto(`${run.base}${path}`);
            await page.locator('.total-count', { hasText: '1,003' }).waitFor();
            if (state === 'closed') await page.getByText('Voting is closed').waitFor();
            const where = `${path} at ${screen.width}×${screen.height}, ${state}`;
            const layout = await measure(page);
            expect(layout.scrollHeight, where).toBeLessThanOrEqual(screen.height);
            expect(layout.scrollWidth, where).toBeLessThanOrEqual(screen.width);
            expect(layout.boxes.length, where).toBe(4 + 2 * options);
            expect(
              layout.boxes.filter((box) => !box.inside || box.empty).map((box) => box.what),
              where,
            ).toEqual([]);
            // Readable from the back of the room: type and QR code grow with the screen.
            expect(layout.question, where).toBeGreaterThanOrEqual(0.025 * screen.height);
            expect(layout.figures, where).toBeGreaterThanOrEqual(0.022 * screen.height);
            expect(layout.joinCode, where).toBeGreaterThanOrEqual(0.05 * screen.height);
            expect(layout.qrHeight, where).toBeGreaterThanOrEqual(0.3 * screen.height);
          }
        }
      }
      await page.close();
    },
  );

  it('shows every option in full on a phone, with nothing wider than the screen', async () => {
    const { code } = await pollWithLongestQuestion(20);
    const page = await (await run.browser.newContext({ viewport: PHONE, isMobile: true })).newPage();
    for (const path of [`/p/${code}/results`, `/p/${code}/present`]) {
      await page.goto(`${run.base}${path}`);
      await page.locator('.total-count', { hasText: '1,003' }).waitFor();
      const layout = await measure(page);
      expect(layout.scrollWidth, path).toBeLessThanOrEqual(PHONE.width);
      expect(layout.clipped, path).toBe(0);
      expect(layout.figures, path).toBeGreaterThanOrEqual(16);
    }
  });

  it('passes axe on the results screen and the presenter view, live and closed', async () => {
    const { code, question, admin } = await pollWithLongestQuestion(8);
    for (const viewport of [PHONE, PROJECTORS[1]]) {
      const page = await run.browser.newPage({ viewport });
      // The site's default poll has no question yet: the waiting screens.
      for (const path of [`/p/${code}/results`, `/p/${code}/present`, '/results', '/p/default/present']) {
        await page.goto(`${run.base}${path}`);
        expect(await axeViolations(page), path).toEqual([]);
      }
      await page.close();
    }
    await admin({ method: 'POST', url: `/api/admin/questions/${question.id}/close` });
    const page = await run.browser.newPage({ viewport: PROJECTORS[0] });
    for (const path of [`/p/${code}/results`, `/p/${code}/present`]) {
      await page.goto(`${run.base}${path}`);
      await page.getByText('Voting is closed').waitFor();
      expect(await axeViolations(page), path).toEqual([]);
    }
    await page.close();
  });

  it('keeps a closed question with its final results on every screen, changing each in place', async () => {
    const { t, base, browser } = run;
    const admin = asUser(t.app, await adminToken(t.app));
    const created = await admin({
      method: 'POST',
      url: '/api/admin/polls/default/questions',
      payload: { text: 'Which talk was best?', options: ['Keynote', 'Workshop', 'Panel'], activate: true },
    });
    const question = created.json().question as OptionsQuestion;

    const phone = await (await browser.newContext({ viewport: PHONE, isMobile: true })).newPage();
    await phone.goto(`${base}/vote`);
    await phone.getByLabel('Workshop').check();
    await phone.getByRole('button', { name: 'Vote' }).click();
    await phone.getByText('Vote recorded').waitFor();
    const latecomer = await (await browser.newContext({ viewport: PHONE, isMobile: true })).newPage();
    await latecomer.goto(`${base}/vote`);
    await latecomer.getByLabel('Panel').check();
    const screen = await (await browser.newContext({ viewport: PROJECTORS[1] })).newPage();
    await screen.goto(`${base}/results`);
    const presenter = await (await browser.newContext({ viewport: PROJECTORS[0] })).newPage();
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
