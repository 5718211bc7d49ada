import { t } from '../i18n/request-language.js';
import { awaitsReveal } from '../polls/kinds/quiz.js';
import { pollPaths } from '../polls/paths.js';
import type { QuestionView } from '../realtime/messages.js';
import { csrfField } from './admin-shell.js';
import { confirmAttributes } from './confirm-views.js';
import { deletePollPrompt, revealLabel } from './format.js';
import { html, type SafeHtml } from './html.js';
import { joinDetails } from './join-details.js';
import { layout } from './layout.js';
import { tHtml } from './message-html.js';
import { resultsBlock } from './poll-views.js';

interface PollInfo {
  code: string;
  title: string;
}

export function sharePage(view: {
  poll: PollInfo;
  joinUrl: string;
  /** The private manage link, on the one page view right after the poll was made. */
  freshManageUrl?: string | undefined;
  /** This browser holds the manage token. */
  canManage: boolean;
}): string {
  const paths = pollPaths(view.poll.code);
  return layout({
    title: [t('audience.share.title'), view.poll.title],
    script: 'share',
    bodyClass: 'share-page',
    organizer: true,
    // Shown only this once: reloaded in another language, the page would no longer hold it.
    languageSwitch: !view.freshManageUrl,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>${t('audience.share.title')}</span></header>
<main>
<h1 dir="auto">${view.poll.title}</h1>
<section class="card">
<label for="join-link">${t('audience.share.linkLabel')}</label>
<div class="row"><input id="join-link" value="${view.joinUrl}" dir="ltr" readonly>
<button type="button" class="primary copy" data-copy="join-link">${t('audience.share.copyLink')}</button></div>
<p class="hint copy-status" role="status" aria-live="polite"></p>
${joinDetails(view.poll, view.joinUrl)}
<p class="secondary-link"><a href="${paths.vote}">${t('audience.share.openVoting')}</a> · <a href="${paths.results}">${t('audience.results.live')}</a> · <a href="${paths.present}">${t('audience.share.present')}</a></p>
</section>
${
  view.freshManageUrl
    ? html`<section class="card manage-link" aria-labelledby="manage-title">
<h2 id="manage-title">${t('audience.share.manageTitle')}</h2>
<p>${tHtml('audience.share.manageIntro', { shownOnce: html`<strong>${t('audience.share.shownOnce')}</strong>` })}</p>
<label for="manage-link">${t('audience.share.manageLabel')}</label>
<div class="row"><input id="manage-link" value="${view.freshManageUrl}" dir="ltr" readonly>
<button type="button" class="copy" data-copy="manage-link">${t('audience.share.copy')}</button></div>
</section>`
    : ''
}
${view.canManage ? html`<p class="secondary-link"><a href="${paths.manage}">${t('audience.share.manageThis')}</a></p>` : ''}
</main>`,
  });
}

export interface ManageView {
  poll: PollInfo;
  question: QuestionView;
  csrf: string;
}

/** The quick poll's creator: results, and close, reopen or delete (also served alone to the page script). */
export function manageMain({ poll, question, csrf }: ManageView): SafeHtml {
  const paths = pollPaths(poll.code);
  const action = (name: string, label: string, cls = '', ask: SafeHtml | string = '') =>
    html`<form method="post" action="${paths.manage}/${name}" class="inline-form" ${ask}>${csrfField(csrf)}<button type="submit" class="${cls}">${label}</button></form>`;
  return html`<h1 class="question-text" dir="auto">${question.text}</h1>
<p>${question.status === 'live' ? html`<span class="badge badge-live">${t('audience.manage.badgeLive')}</span> ${t('audience.manage.votingOpen')}` : html`<span class="badge">${t('audience.manage.badgeClosed')}</span> ${t('audience.manage.votingClosed')}`}</p>
${resultsBlock(question)}
<div class="actions">
${question.status === 'live' ? action('close', t('audience.manage.close'), 'primary') : action('reopen', t('audience.manage.reopen'), 'primary')}
${awaitsReveal(question) ? action('reveal', revealLabel(question)) : ''}
${action('delete', t('audience.manage.delete'), 'danger', confirmAttributes(deletePollPrompt(poll.title, 1, question.totalVotes), t('audience.manage.delete')))}
<a href="${paths.manage}/results.csv" download>${t('audience.manage.export')}</a>
</div>`;
}

export function managePage(view: ManageView & { notice?: string | undefined }): string {
  const paths = pollPaths(view.poll.code);
  return layout({
    title: [t('audience.manage.title'), view.poll.title],
    script: 'results',
    bodyClass: 'results-page',
    organizer: true,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>${tHtml('audience.manage.heading', { code: html`<strong>${view.poll.code}</strong>` })}</span></header>
${view.notice ? html`<p class="notice success page-notice" role="status">${view.notice}</p>` : ''}
<main id="live" data-poll-code="${view.poll.code}" data-question-id="${view.question.id}" data-version="${view.question.version}">
${manageMain(view)}
</main>
<nav class="secondary-link centered" aria-label="${t('audience.nav.pollPages')}"><a href="${paths.share}">${t('audience.nav.share')}</a> · <a href="${paths.results}">${t('audience.results.live')}</a> · <a href="${paths.present}">${t('audience.nav.present')}</a> · <a href="${paths.remote}">${t('audience.nav.remote')}</a></nav>
<p id="connection" class="connection" hidden role="status">${t('audience.connection.reconnecting')}</p>`,
  });
}
