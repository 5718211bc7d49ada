import { t } from '../i18n/request-language.js';
import { DEFAULT_POLL_CODE } from '../polls/codes.js';
import { pollPaths } from '../polls/paths.js';
import { formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';
import { tHtml } from './message-html.js';

/**
 * How the audience joins: the link, the code (for the default poll, the link alone) and a QR code;
 * on a screen, how many have joined, which the page script keeps up to date.
 */
export function joinDetails(poll: { code: string }, joinUrl: string, joined?: number): SafeHtml {
  const hasCode = poll.code !== DEFAULT_POLL_CODE;
  return html`<div class="join-details">
<img class="qr" src="${pollPaths(poll.code).qr}" alt="${t('audience.join.qrAlt', { url: joinUrl })}" width="240" height="240">
<div>
<p class="join-at">${tHtml('audience.join.joinAt', { url: html`<strong class="join-url" dir="ltr">${joinUrl.replace(/^https?:\/\//, '')}</strong>` })}</p>
${hasCode ? html`<p class="join-code" aria-label="${t('audience.join.codeLabel', { code: poll.code.split('').join(' ') })}">${poll.code}</p>` : ''}
${joined === undefined ? '' : joinedCount(joined)}
</div>
</div>`;
}

/** How many voters have the poll open now; the page script updates the figure. */
export const joinedCount = (joined: number) =>
  html`<p class="joined">${tHtml('audience.join.joined', { figure: html`<span data-joined>${formatNumber(joined)}</span>` })}</p>`;
