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
}

/** Each part once: the site's default poll is itself called Pollcast. */
function documentTitle(title: PageOptions['title']): string {
  const parts = [title].flat().filter((part) => part !== '');
  return [...new Set([...parts, 'Pollcast'])].join(' · ');
}

export function layout({ title, body, script, bodyClass, organizer, participation }: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
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
</body>
</html>
`.value;
}
