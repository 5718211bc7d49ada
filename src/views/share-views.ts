import { awaitsReveal } from '../polls/kinds/quiz.js';
import { pollPaths } from '../polls/paths.js';
import type { QuestionView } from '../realtime/messages.js';
import { csrfField } from './admin-shell.js';
import { confirmAttributes } from './confirm-views.js';
import { deletePollPrompt, revealLabel } from './format.js';
import { html, type SafeHtml } from './html.js';
import { joinDetails } from './join-details.js';
import { layout } from './layout.js';
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
    title: ['Share', view.poll.title],
    script: 'share',
    bodyClass: 'share-page',
    organizer: true,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>Share</span></header>
<main>
<h1>${view.poll.title}</h1>
<section class="card">
<label for="join-link">Link for voters</label>
<div class="row"><input id="join-link" value="${view.joinUrl}" readonly>
<button type="button" class="primary copy" data-copy="join-link">Copy link</button></div>
<p class="hint copy-status" role="status" aria-live="polite"></p>
${joinDetails(view.poll, view.joinUrl)}
<p class="secondary-link"><a href="${paths.vote}">Open the voting page</a> · <a href="${paths.results}">Live results</a> · <a href="${paths.present}">Present on a big screen</a></p>
</section>
${
  view.freshManageUrl
    ? html`<section class="card manage-link" aria-labelledby="manage-title">
<h2 id="manage-title">Your private manage link</h2>
<p>Keep this link to close, reopen or delete the poll and see its results from any device. <strong>It is shown only this once</strong>, and anyone who has it can manage the poll.</p>
<label for="manage-link">Manage link</label>
<div class="row"><input id="manage-link" value="${view.freshManageUrl}" readonly>
<button type="button" class="copy" data-copy="manage-link">Copy</button></div>
</section>`
    : ''
}
${view.canManage ? html`<p class="secondary-link"><a href="${paths.manage}">Manage this poll</a></p>` : ''}
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
  return html`<h1 class="question-text">${question.text}</h1>
<p>${question.status === 'live' ? html`<span class="badge badge-live">live</span> Voting is open.` : html`<span class="badge">closed</span> Voting is closed; the results stay.`}</p>
${resultsBlock(question)}
<div class="actions">
${question.status === 'live' ? action('close', 'Close voting', 'primary') : action('reopen', 'Reopen voting', 'primary')}
${awaitsReveal(question) ? action('reveal', revealLabel(question)) : ''}
${action('delete', 'Delete poll', 'danger', confirmAttributes(deletePollPrompt(poll.title, 1, question.totalVotes), 'Delete poll'))}
<a href="${paths.manage}/results.csv" download>Export results (CSV)</a>
</div>`;
}

export function managePage(view: ManageView & { notice?: string | undefined }): string {
  const paths = pollPaths(view.poll.code);
  return layout({
    title: ['Manage', view.poll.title],
    script: 'results',
    bodyClass: 'results-page',
    organizer: true,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>Manage poll <strong>${view.poll.code}</strong></span></header>
${view.notice ? html`<p class="notice success page-notice" role="status">${view.notice}</p>` : ''}
<main id="live" data-poll-code="${view.poll.code}" data-question-id="${view.question.id}" data-version="${view.question.version}">
${manageMain(view)}
</main>
<nav class="secondary-link centered" aria-label="This poll's pages"><a href="${paths.share}">Share</a> · <a href="${paths.results}">Live results</a> · <a href="${paths.present}">Present</a> · <a href="${paths.remote}">Remote</a></nav>
<p id="connection" class="connection" hidden role="status">Reconnecting…</p>`,
  });
}
