import { directionOf, LOCALES, ownName } from '../i18n/locales.js';
import { currentLocale, currentPath, t } from '../i18n/request-language.js';
import { html, type SafeHtml } from './html.js';

export interface PageOptions {
  /** The page's own title, or its parts from the most specific on; the product's name follows. */
  title: string | readonly string[];
  body: SafeHtml;
  /** Name of a bundled page script in /assets (without extension). */
  script?: string;
  bodyClass?: string;
  /** Adds organizer.css, kept apart so that a phone's first visit to a voting page stays small. */
  organizer?: boolean;
  /** Adds participation.css: the page shows (or may come to show) a quiz's leaderboard, or audience Q&A. */
  participation?: boolean;
  /** False for a page that cannot be shown again, which switching language would lose (a link shown once). */
  languageSwitch?: boolean;
}

/** Each part once: the site's default poll is itself called Pollcast. */
function documentTitle(title: PageOptions['title']): string {
  const parts = [title].flat().filter((part) => part !== '');
  return [...new Set([...parts, 'Pollcast'])].join(' · ');
}

/** Every page offers every language; the pick is kept in a cookie and the page comes back in it. */
function languageSwitch(): SafeHtml {
  const locale = currentLocale();
  return html`<footer><form method="post" action="/language" class="language-switch">
<label>${t('common.language')} <select name="lang">${LOCALES.map(
    (option) =>
      html`<option value="${option}" lang="${option}"${option === locale ? html` selected` : ''}>${ownName(option)}</option>`,
  )}</select></label>
<input type="hidden" name="next" value="${currentPath()}">
<button type="submit">${t('common.languageChange')}</button>
</form></footer>`;
}

export function layout({
  title,
  body,
  script,
  bodyClass,
  organizer,
  participation,
  languageSwitch: switchable = true,
}: PageOptions): string {
  const locale = currentLocale();
  return html`<!doctype html>
<html lang="${locale}" dir="${directionOf(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${documentTitle(title)}</title>
<link rel="stylesheet" href="/assets/styles.css">
${organizer ? html`<link rel="stylesheet" href="/assets/organizer.css">` : ''}
${participation ? html`<link rel="stylesheet" href="/assets/participation.css">` : ''}
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${script ? html`<script type="module" src="/assets/${script}.js"></script>` : ''}
</head>
<body class="${bodyClass ?? ''}">
${body}
${switchable ? languageSwitch() : ''}
</body>
</html>
`.value;
}
