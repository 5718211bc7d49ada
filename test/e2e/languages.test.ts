import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/i18n/locales.js';
import { translate } from '../../src/i18n/translate.js';
import { adminToken, createLiveQuestion, voteAs } from '../helpers.js';
import { axeViolations } from './axe.js';
import { browserMissing, markPage, signInAsAdmin, stillSamePage, useBrowserRun } from './browser.js';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const laptop = { viewport: { width: 1280, height: 720 } };

/**
 * What a reader would see wrong: the page wider than the screen, or two pieces of text drawn over
 * each other (each line of text measured where the browser laid it out).
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > innerWidth + 1)
      problems.push(`the page is ${document.documentElement.scrollWidth}px wide on a ${innerWidth}px screen`);
    const lines: { text: string; rect: DOMRect }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || parent.closest('script, style, option, [hidden], .visually-hidden, .sr-only')) continue;
      if (getComputedStyle(parent).visibility === 'hidden') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) if (rect.width > 1 && rect.height > 1) lines.push({ text, rect });
    }
    for (const [i, a] of lines.entries()) {
      for (const b of lines.slice(i + 1)) {
        const width = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
        const height = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
        if (width > 2 && height > 4) problems.push(`“${a.text.slice(0, 40)}” overlaps “${b.text.slice(0, 40)}”`);
      }
    }
    return problems;
  });
}

const pageLanguage = (page: Page) =>
  page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
const directionOf = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => getComputedStyle(element).direction);

async function newPage(browser: Browser, locale: string, device: object) {
  return (await browser.newContext({ ...device, locale })).newPage();
}

describe.skipIf(browserMissing)('pages in Hebrew and German, in a real browser', () => {
  const run = useBrowserRun();

  // Each page shows a question in the other script: bidi-safe text is the point.
  it.each([
    {
      locale: 'he-IL',
      lang: 'he' as const,
      dir: 'rtl',
      question: 'Best season?',
      options: ['Spring', 'Summer'],
      textDir: 'ltr',
    },
    {
      locale: 'de-DE',
      lang: 'de' as const,
      dir: 'ltr',
      question: 'איזו עונה?',
      options: ['אביב', 'קיץ'],
      textDir: 'rtl',
    },
  ])('$lang: a phone votes, the results screen moves live, and nothing overlaps', async (language) => {
    const { t, base, browser } = run;
    const { lang, dir } = language;
    const question = await createLiveQuestion(t.app, await adminToken(t.app), {
      text: language.question,
      options: language.options,
    });
    const [first, second] = language.options as [string, string];

    const screen = await newPage(browser, language.locale, laptop);
    await screen.goto(`${base}/results`);
    expect(await pageLanguage(screen)).toEqual({ lang, dir });
    await markPage(screen);

    const voter = await newPage(browser, language.locale, phone);
    await voter.goto(`${base}/vote`);
    expect(await pageLanguage(voter)).toEqual({ lang, dir });
    expect(await directionOf(voter, '.question-text')).toBe(language.textDir);
    expect(await layoutProblems(voter)).toEqual([]);
    expect(await axeViolations(voter)).toEqual([]);

    await voter.getByLabel(first).check();
    await voter.getByRole('button', { name: translate(lang, 'audience.vote.button') }).click();
    await voter.getByText(translate(lang, 'audience.vote.recorded')).waitFor();
    expect(await layoutProblems(voter)).toEqual([]);

    await voteAs(t.app, `${lang}-a`, question.id, question.options[1]?.id);
    await voteAs(t.app, `${lang}-b`, question.id, question.options[1]?.id);
    await screen.locator('.total-count', { hasText: '3' }).waitFor();
    await screen.locator('.total-word', { hasText: translate(lang, 'browser.votesWord', { count: 3 }) }).waitFor();
    expect(await stillSamePage(screen)).toBe(true);
    // Bars fill from where the language's lines start: the right in Hebrew.
    expect(await directionOf(screen, 'progress.bar')).toBe(dir);
    const row = screen.locator('.bar-row', { hasText: second });
    expect(await row.locator('.count').textContent()).toBe('2');
    expect(await layoutProblems(screen)).toEqual([]);
    expect(await axeViolations(screen)).toEqual([]);
    await screen.context().close();
    await voter.context().close();
  });

  it('switches the language from any page, and the page comes back in it', async () => {
    const { base, browser } = run;
    const page = await newPage(browser, 'he-IL', phone);
    await page.goto(`${base}/join`);
    expect(await pageLanguage(page)).toEqual({ lang: 'he', dir: 'rtl' });
    await page.getByLabel(translate('he', 'common.language')).selectOption('de');
    await page.getByRole('button', { name: translate('he', 'common.languageChange') }).click();
    await page.waitForURL(`${base}/join`);
    expect(await pageLanguage(page)).toEqual({ lang: 'de', dir: 'ltr' });
    await page.goto(`${base}/vote`);
    expect(await pageLanguage(page)).toEqual({ lang: 'de', dir: 'ltr' });
    await page.context().close();
  });

  it('passes axe on the voting page, the results screen and the admin page in every language', async () => {
    const { t, base, browser } = run;
    await createLiveQuestion(t.app, await adminToken(t.app));
    for (const locale of LOCALES) {
      const page = await newPage(browser, locale, laptop);
      await signInAsAdmin(page, base);
      for (const path of ['/vote', '/results', '/admin']) {
        await page.goto(`${base}${path}`);
        expect((await pageLanguage(page)).lang, path).toBe(locale);
        expect(await axeViolations(page), `${path} in ${locale}`).toEqual([]);
      }
      await page.context().close();
    }
  });
});
