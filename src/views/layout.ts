import { html, type SafeHtml } from './html.js';

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Name of a bundled page script in /assets (without extension). */
  script?: string;
  bodyClass?: string;
}

export function layout({ title, body, script, bodyClass }: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Pollcast</title>
<link rel="stylesheet" href="/assets/styles.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${script ? html`<script type="module" src="/assets/${script}.js"></script>` : ''}
</head>
<body class="${bodyClass ?? ''}">
${body}
</body>
</html>
`.value;
}
