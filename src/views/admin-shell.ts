import { t } from '../i18n/request-language.js';
import { html, type SafeHtml } from './html.js';
import { layout, type PageOptions } from './layout.js';
import { tHtml } from './message-html.js';

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
<nav aria-label="${t('organizer.shell.navLabel')}"><a href="/admin">${t('organizer.shell.polls')}</a>${frame.isAdmin ? html` <a href="/admin/users">${t('organizer.shell.accounts')}</a>` : ''}</nav>
<span class="who">${tHtml('organizer.shell.signedInAs', { username: html`<strong dir="auto">${frame.username}</strong>` })} · <a href="/admin/account">${t('organizer.shell.yourAccount')}</a></span>
<form method="post" action="/admin/logout" class="inline-form">${csrfField(frame.csrf)}<button type="submit" class="link">${t('organizer.shell.signOut')}</button></form></header>
<main class="wide">
${page.notice ? html`<p class="notice success" role="status">${page.notice}</p>` : ''}
${page.error ? html`<p class="notice error" role="alert">${page.error}</p>` : ''}
${page.body}
</main>`,
  });
}
