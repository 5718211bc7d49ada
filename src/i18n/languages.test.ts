import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  appForTests,
  cookieFrom,
  dialects,
  fixture,
  postForm,
  signInCookie,
  uploadImages,
} from '../../test/helpers.js';
import { LOCALES, negotiate } from './locales.js';
import { translate } from './translate.js';

describe('the language a visitor gets', () => {
  it.each([
    ['de-AT,de;q=0.9,en;q=0.5', 'de'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['fr-CA', 'fr'],
    ['he-IL', 'he'],
    ['ar-EG,ar;q=0.9', 'ar'],
    ['ja, es;q=0.3', 'es'],
    ['en-US,en;q=0.9,de;q=0.8', 'en'],
    ['*', 'en'],
    ['x_y;q=oops, ;;', 'en'],
    [undefined, 'en'],
  ])('Accept-Language %s gets %s', (header, locale) => {
    expect(negotiate(header)).toBe(locale);
  });
});

describe('messages in each language', () => {
  it('counts with the plural forms and digits of the language', () => {
    expect(translate('en', 'common.votes', { count: 1 })).toBe('1 vote');
    expect(translate('en', 'common.votes', { count: 1234 })).toBe('1,234 votes');
    expect(translate('de', 'common.votes', { count: 1234 })).toBe('1.234 Stimmen');
    expect(translate('fr', 'common.votes', { count: 1 })).toBe('1 vote');
    // Arabic has six plural forms; two votes is a word of its own.
    const arabic = [0, 1, 2, 3, 11, 100].map((count) => translate('ar', 'common.votes', { count }));
    expect(new Set(arabic).size).toBe(6);
    expect(translate('en', 'common.place', { place: 22 })).toBe('22nd');
  });
});

describe('the catalog check', () => {
  const check = (root = '.') => {
    try {
      execFileSync(process.execPath, ['scripts/check-catalogs.js', root], { encoding: 'utf8', stdio: 'pipe' });
      return '';
    } catch (error) {
      return (error as { stderr: string }).stderr;
    }
  };

  it('finds nothing wrong with the catalogs as they are', () => {
    expect(check()).toBe('');
  });

  it('finds a missing key, a broken message, another argument and a key no code uses', () => {
    const root = mkdtempSync(join(tmpdir(), 'pollcast-catalogs-'));
    try {
      cpSync('src', join(root, 'src'), { recursive: true });
      const file = (locale: string) => join(root, 'src/i18n/messages', `${locale}.json`);
      const edit = (locale: string, change: (catalog: Record<string, string>) => void) => {
        const catalog = JSON.parse(readFileSync(file(locale), 'utf8'));
        change(catalog);
        writeFileSync(file(locale), JSON.stringify(catalog));
      };
      edit('de', (catalog) => {
        delete catalog['common.delete'];
        catalog['common.votes'] = '{count, plural, one {# Stimme} other {# Stimmen}';
        catalog['common.place'] = '{rank}.';
      });
      for (const locale of LOCALES) edit(locale, (catalog) => Object.assign(catalog, { 'common.neverUsed': 'x' }));
      const said = check(root);
      expect(said).toContain('de: missing "common.delete"');
      expect(said).toContain('de: "common.votes" is not valid ICU MessageFormat');
      expect(said).toContain('de: "common.place" uses {rank}, the English one {place}');
      expect(said).toContain('"common.neverUsed" is used nowhere');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe.each(dialects)('pages and API errors in the visitor’s language on $name', (dialect) => {
  const t = appForTests(dialect);

  it('writes the home page in the language the browser asks for, right to left for Hebrew and Arabic', async () => {
    for (const [header, lang, dir] of [
      ['de-DE,de;q=0.9', 'de', 'ltr'],
      ['he', 'he', 'rtl'],
      ['ar-SA', 'ar', 'rtl'],
      ['en-GB', 'en', 'ltr'],
    ]) {
      const page = await t.app.inject({ url: '/', headers: { 'accept-language': header } });
      expect(page.body).toContain(`<html lang="${lang}" dir="${dir}">`);
    }
    const german = await t.app.inject({ url: '/', headers: { 'accept-language': 'de' } });
    expect(german.body).toContain('<label>Sprache <select name="lang">');
  });

  it('keeps the language picked on a page in a cookie, over the browser’s, and comes back to that page', async () => {
    const picked = await postForm(t.app, '/language', { lang: 'fr', next: '/join?code=abc' });
    expect(picked.statusCode).toBe(303);
    expect(picked.headers.location).toBe('/join?code=abc');
    const cookie = cookieFrom(picked.headers['set-cookie'], 'lang');
    expect(cookie).toBe('lang=fr');
    const page = await t.app.inject({ url: '/', headers: { cookie, 'accept-language': 'de' } });
    expect(page.body).toContain('<html lang="fr" dir="ltr">');
  });

  it('goes home rather than to another site, and refuses a language it does not have', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example'])
      expect((await postForm(t.app, '/language', { lang: 'de', next })).headers.location).toBe('/');
    const unknown = await postForm(t.app, '/language', { lang: 'xx', next: '/' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('speaks a poll’s audience language on its pages to visitors who picked none', async () => {
    const { code } = (await t.admin({ method: 'POST', url: '/api/admin/polls', payload: { title: 'Kehilla' } })).json();
    const set = await t.admin({ method: 'PATCH', url: `/api/admin/polls/${code}`, payload: { language: 'he' } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().rules.language).toBe('he');
    expect((await t.app.inject({ url: `/api/polls/${code}` })).json().rules.language).toBe('he');

    const page = (path: string, headers: Record<string, string> = {}) =>
      t.app.inject({ url: `/p/${code}${path}`, headers }).then((response) => response.body);
    for (const path of ['', '/results', '/present'])
      expect(await page(path, { 'accept-language': 'fr' }), path).toContain('<html lang="he" dir="rtl">');
    expect(await page('', { cookie: 'lang=de', 'accept-language': 'fr' })).toContain('<html lang="de" dir="ltr">');
    // The organizer's own pages stay in the organizer's language.
    expect((await t.app.inject({ url: '/', headers: { 'accept-language': 'fr' } })).body).toContain('<html lang="fr"');

    expect(
      (await t.admin({ method: 'PATCH', url: `/api/admin/polls/${code}`, payload: { language: 'xx' } })).statusCode,
    ).toBe(422);
    await t.admin({ method: 'PATCH', url: `/api/admin/polls/${code}`, payload: { language: null } });
    expect(await page('', { 'accept-language': 'fr' })).toContain('<html lang="fr" dir="ltr">');
  });

  it('answers API errors with the same code and a message in the request’s language', async () => {
    const english = await t.app.inject({ url: '/api/polls/nosuchpoll' });
    const german = await t.app.inject({ url: '/api/polls/nosuchpoll', headers: { 'accept-language': 'de' } });
    expect(english.statusCode).toBe(404);
    expect(german.statusCode).toBe(404);
    expect(german.json().error.code).toBe(english.json().error.code);
    expect(english.json().error.message).toBe('There is no poll with this code.');
    expect(german.json().error.message).not.toBe(english.json().error.message);
    expect(german.json().error.message.length).toBeGreaterThan(10);
    // A cache in front of the API keeps one answer per language.
    expect(german.headers.vary).toContain('Accept-Language');
  });
});

describe.each(dialects)('photos of text in other languages on $name', (dialect) => {
  const t = appForTests(dialect, { OCR_LANGUAGES: 'eng,fra,heb' });

  it('reads French photos as French when the upload says so, and offers the languages on the upload form', async () => {
    const images = { question_image: fixture('fr-question.png'), options_image: fixture('fr-options.png') };
    const french = await uploadImages(t.app, t.token, images, { language: 'fra', activate: 'false' });
    expect(french.statusCode, french.body).toBe(201);
    expect(french.json().question.text).toBe('Quel dessert préférez-vous après le déjeuner ?');
    expect(french.json().question.options.map((option: { text: string }) => option.text)).toEqual([
      'Crème brûlée',
      'Tarte aux pêches',
      'Île flottante',
    ]);

    const hebrew = await uploadImages(
      t.app,
      t.token,
      { question_image: fixture('he-question.png'), options_image: fixture('he-options.png') },
      { language: 'heb', activate: 'false' },
    );
    expect(hebrew.json().question.options.map((option: { text: string }) => option.text)).toEqual([
      'אביב',
      'קיץ',
      'סתיו',
      'חורף',
    ]);

    const cookie = await signInCookie(t.app, 'admin', ADMIN_PASSWORD);
    const form = (await t.app.inject({ url: '/admin', headers: { cookie, 'accept-language': 'fr' } })).body;
    expect(form).toContain('<select id="ocr-language" name="language">');
    // The page's language comes first, each named in it.
    expect(form).toContain('<option value="fra" selected>français</option>');
    expect(form).toContain('<option value="heb">hébreu</option>');

    const unread = await uploadImages(t.app, t.token, images, { language: 'deu' });
    expect(unread.statusCode).toBe(422);
    expect(unread.json().error.code).toBe('validation_failed');
  });
});
