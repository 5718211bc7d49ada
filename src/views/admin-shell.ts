import { html, type SafeHtml } from './html.js';
import { layout, type PageOptions } from './layout.js';

export interface AdminFrame {
  username: string;
  isAdmin: boolean;
  csrf: string;
}

export const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** Every signed-in page: the same header, navigation and sign-out form. */
export function adminShell(
  frame: AdminFrame,
  page: {
    title: PageOptions['title'];
    body: SafeHtml;
    script?: string;
    notice?: string | undefined;
    error?: string | undefined;
  },
): string {
  return layout({
    title: page.title,
    bodyClass: 'admin',
    organizer: true,
    ...(page.script ? { script: page.script } : {}),
    body: html`<header class="bar-top"><a href="/admin" class="brand">Pollcast</a>
<nav aria-label="Admin"><a href="/admin">Polls</a>${frame.isAdmin ? html` <a href="/admin/users">Accounts</a>` : ''}</nav>
<span class="who">Signed in as <strong>${frame.username}</strong> · <a href="/admin/account">Your account</a></span>
<form method="post" action="/admin/logout" class="inline-form">${csrfField(frame.csrf)}<button type="submit" class="link">Sign out</button></form></header>
<main class="wide">
${page.notice ? html`<p class="notice success" role="status">${page.notice}</p>` : ''}
${page.error ? html`<p class="notice error" role="alert">${page.error}</p>` : ''}
${page.body}
</main>`,
  });
}
