import { t } from '../i18n/request-language.js';
import { type AdminFrame, adminShell, csrfField } from './admin-shell.js';
import { CONFIRM_FIELD } from './confirm-field.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

/** A destructive action, asked before it happens. */
export interface Confirmation {
  /** The question asked, e.g. "Delete this question?". */
  title: string;
  /** What goes with it, with figures. */
  message: string;
  /** Where the confirmed form posts. */
  action: string;
  confirmLabel: string;
  cancelHref: string;
  csrf: string;
}

// The form name that marks a destructive form as confirmed, kept apart for the page script that asks in a dialog.
export { CONFIRM_FIELD };

/** Marks a destructive form: with JavaScript it asks in a dialog, without it the server asks on a page. */
export function confirmAttributes(message: string, confirmLabel: string): SafeHtml {
  return html`data-confirm="${message}" data-confirm-label="${confirmLabel}"`;
}

/** The confirmation page's card, for a browser without JavaScript. */
export function confirmationCard(confirmation: Confirmation): SafeHtml {
  return html`<section class="card confirm-card" aria-labelledby="confirm-title">
<h1 id="confirm-title">${confirmation.title}</h1>
<p>${confirmation.message}</p>
<form method="post" action="${confirmation.action}" class="row">
${csrfField(confirmation.csrf)}
<input type="hidden" name="${CONFIRM_FIELD}" value="yes">
<button type="submit" class="danger">${confirmation.confirmLabel}</button>
<a href="${confirmation.cancelHref}" class="button-link">${t('common.cancel')}</a>
</form>
</section>`;
}

/** A page that asks before a destructive action: signed-in pages keep their frame. */
export function confirmationPage(frame: AdminFrame | null, confirmation: Confirmation): string {
  const body = confirmationCard(confirmation);
  if (frame) return adminShell(frame, { title: confirmation.title, body });
  return layout({
    title: confirmation.title,
    bodyClass: 'home',
    organizer: true,
    body: html`<main class="narrow">${body}</main>`,
  });
}
