import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Each language the local engine reads comes in an npm package (@tesseract.js-data/<code>), so
// that local OCR works with no network at all: nothing is downloaded when it runs.
const require = createRequire(import.meta.url);

/** The folder of a language's trained data, or undefined when its package is not installed. */
export function languageDataPath(language: string): string | undefined {
  try {
    return join(dirname(require.resolve(`@tesseract.js-data/${language}`)), '4.0.0_best_int');
  } catch {
    return undefined;
  }
}

export const languageDataInstalled = (language: string): boolean => languageDataPath(language) !== undefined;

// The languages people name in the upload form and tell Gemini about, by Tesseract's codes. A
// code missing here is still read; it is shown and sent as its code.
const LANGUAGE_TAGS: Readonly<Record<string, string>> = {
  ara: 'ar',
  chi_sim: 'zh-Hans',
  chi_tra: 'zh-Hant',
  deu: 'de',
  eng: 'en',
  fra: 'fr',
  heb: 'he',
  ita: 'it',
  jpn: 'ja',
  kor: 'ko',
  nld: 'nl',
  pol: 'pl',
  por: 'pt',
  rus: 'ru',
  spa: 'es',
  swe: 'sv',
  tur: 'tr',
  ukr: 'uk',
};

/** A Tesseract language code as a BCP 47 tag ("fra" → "fr"), for naming it with Intl. */
export const languageTag = (language: string): string | undefined => LANGUAGE_TAGS[language];

/** A language's name in another language: "French", "Französisch"; its code if unknown. */
export function languageName(language: string, inLocale: string): string {
  const tag = languageTag(language);
  return (tag && new Intl.DisplayNames([inLocale], { type: 'language' }).of(tag)) ?? language;
}
