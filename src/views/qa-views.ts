import { pollPaths } from '../polls/paths.js';
import { MAX_QA_CHARS, MAX_QA_NAME_CHARS, type QaSettings, type QaSort } from '../polls/qa.js';
import type { AudienceQa, ManagedQa } from '../polls/qa-service.js';
import type { QaItem } from '../realtime/messages.js';
import { csrfField } from './admin-shell.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';

// Audience Q&A: the voting page's questions for the speaker (ask, upvote, sort), the question the
// presenter view highlights, and the organizer's moderation page.

const upvotesLabel = (upvotes: number) => (upvotes === 1 ? 'upvote' : 'upvotes');

/** Who asked and what became of it: the name (if the poll takes names), answered. */
const itemMeta = (item: QaItem) =>
  html`<span class="qa-name">${item.name ?? 'Anonymous'}</span><span class="qa-answered" ${item.answered ? '' : 'hidden'}> · ✓ Answered</span>`;

/**
 * One question in the audience's list. The page script copies this markup (from the template
 * the page holds) for questions that arrive live, so that both draw alike.
 */
function audienceItem(code: string, item: QaItem | null, upvoted: boolean): SafeHtml {
  const id = item?.id ?? 0;
  return html`<li class="qa-item" data-qa-id="${id}" data-upvotes="${item?.upvotes ?? 0}">
<p class="qa-text" id="qa-text-${id}">${item?.text ?? ''}</p>
<p class="qa-meta">${item ? itemMeta(item) : html`<span class="qa-name"></span><span class="qa-answered" hidden> · ✓ Answered</span>`}</p>
<form method="post" action="/p/${code}/qa/${id}/upvote" class="qa-upvote"><button type="submit" aria-pressed="${upvoted ? 'true' : 'false'}" aria-describedby="qa-text-${id}"><span aria-hidden="true">▲</span> <span class="qa-count">${item?.upvotes ?? 0}</span> <span class="qa-count-word">${upvotesLabel(item?.upvotes ?? 0)}</span></button></form>
</li>`;
}

export interface QaSectionView {
  code: string;
  qa: AudienceQa;
  sort: QaSort;
  /** What the last question sent from this page came to, or why it was refused. */
  notice?: string | undefined;
  error?: string | undefined;
  /** The question as typed, kept after a refusal. */
  draft?: { text: string; name: string } | undefined;
}

/** The voting page's questions for the speaker: none shows while the poll takes none and has none. */
export function qaSection({ code, qa, sort, notice, error, draft }: QaSectionView): SafeHtml | '' {
  const { settings, items } = qa;
  if (!settings.open && items.length === 0) return '';
  const upvoted = new Set(qa.upvoted);
  const sortLink = (value: QaSort, label: string) =>
    value === sort
      ? html`<a href="?qa=${value}#qa" aria-current="true">${label}</a>`
      : html`<a href="?qa=${value}#qa">${label}</a>`;
  return html`<section class="card qa" id="qa" aria-labelledby="qa-title" data-poll-code="${code}" data-sort="${sort}" data-open="${settings.open ? 'yes' : 'no'}">
<h2 id="qa-title">Questions for the speaker</h2>
${settings.open ? askForm(code, settings, { notice, error, draft }) : html`<p class="hint">The organizer is not taking questions right now.</p>`}
<p class="qa-sort">Sort: ${sortLink('votes', 'Most upvoted')} · ${sortLink('newest', 'Newest')}</p>
<p class="hint qa-empty" ${items.length === 0 ? '' : 'hidden'}>No questions yet: ask the first one.</p>
<ol class="qa-list">${items.map((item) => audienceItem(code, item, upvoted.has(item.id)))}</ol>
<template id="qa-item-template">${audienceItem(code, null, false)}</template>
</section>`;
}

function askForm(
  code: string,
  settings: QaSettings,
  said: Pick<QaSectionView, 'notice' | 'error' | 'draft'>,
): SafeHtml {
  return html`<form method="post" action="${pollPaths(code).qa}" class="qa-ask">
<label for="qa-question">Ask a question</label>
${said.error ? html`<p class="notice error" role="alert" id="qa-error">${said.error}</p>` : ''}
<textarea id="qa-question" name="text" rows="2" maxlength="${MAX_QA_CHARS}" required${said.error ? html` aria-describedby="qa-error" aria-invalid="true"` : ''}>${said.draft?.text ?? ''}</textarea>
${settings.named ? html`<label for="qa-name">Your name <span class="hint">(optional)</span></label><input id="qa-name" name="name" maxlength="${MAX_QA_NAME_CHARS}" autocomplete="name" value="${said.draft?.name ?? ''}">` : ''}
<button type="submit" class="primary">Send question</button>
<p class="hint" data-qa-status role="status">${said.notice ?? (settings.moderated ? 'The organizer reads each question before it shows.' : '')}</p>
</form>`;
}

/** The question the presenter highlights, on the presenter view below the question or the leaderboard. */
export function qaHighlight(item: QaItem | null): SafeHtml | '' {
  if (!item) return '';
  return html`<aside class="qa-highlight" aria-label="Question from the audience" data-qa-id="${item.id}">
<p class="qa-highlight-label">Question from the audience</p>
<p class="qa-highlight-text">${item.text}</p>
<p class="qa-meta">${itemMeta(item)} · <span aria-hidden="true">▲</span> ${item.upvotes} ${upvotesLabel(item.upvotes)}</p>
</aside>`;
}

export interface ModerateView {
  poll: { code: string; title: string };
  qa: ManagedQa;
  sort: QaSort;
  csrf: string;
  notice?: string | undefined;
  error?: string | undefined;
}

function moderationItem(code: string, item: QaItem, csrf: string): SafeHtml {
  const action = (name: string, label: string, extra: SafeHtml | '' = '') =>
    html`<form method="post" action="/p/${code}/qa/${item.id}/${name}" class="inline-form">${csrfField(csrf)}<button type="submit" aria-describedby="qa-text-${item.id}" ${extra}>${label}</button></form>`;
  const actions =
    item.status === 'pending'
      ? [action('approve', 'Approve', html`class="primary"`), action('dismiss', 'Dismiss')]
      : item.status === 'dismissed'
        ? [action('approve', 'Show after all')]
        : [
            item.highlighted ? action('unhighlight', 'Take off the screen') : action('highlight', 'Show on the screen'),
            item.answered ? action('unanswered', 'Not answered yet') : action('answered', 'Mark answered'),
            action('dismiss', 'Dismiss'),
          ];
  return html`<li class="qa-item${item.highlighted ? ' highlighted' : ''}" data-qa-id="${item.id}">
<p class="qa-text" id="qa-text-${item.id}">${item.text}</p>
<p class="qa-meta">${itemMeta(item)} · ${item.upvotes} ${upvotesLabel(item.upvotes)}${item.highlighted ? html` · <strong>on the screen</strong>` : ''}</p>
<div class="qa-actions">${actions}</div>
</li>`;
}

const list = (code: string, items: QaItem[], csrf: string, empty: string) =>
  items.length === 0
    ? html`<p class="hint">${empty}</p>`
    : html`<ol class="qa-list">${items.map((item) => moderationItem(code, item, csrf))}</ol>`;

/** The moderation page's changing part (also served alone to the page script). */
export function moderateMain({ poll, qa, sort, csrf, notice, error }: ModerateView): SafeHtml {
  const sortLink = (value: QaSort, label: string) =>
    value === sort ? html`<strong>${label}</strong>` : html`<a href="?qa=${value}">${label}</a>`;
  return html`${error ? html`<p class="notice error" role="alert">${error}</p>` : ''}${notice ? html`<p class="notice success" role="status">${notice}</p>` : ''}
<section class="card" aria-labelledby="pending-title"><h2 id="pending-title">Waiting for you (${qa.pending.length})</h2>
${list(poll.code, qa.pending, csrf, qa.settings.moderated ? 'No question is waiting.' : 'Questions show at once: turn moderation on to read each first.')}</section>
<section class="card" aria-labelledby="shown-title"><h2 id="shown-title">Shown to the audience (${qa.approved.length})</h2>
<p class="qa-sort">Sort: ${sortLink('votes', 'Most upvoted')} · ${sortLink('newest', 'Newest')}</p>
${list(poll.code, qa.approved, csrf, 'None yet.')}</section>
${qa.dismissed.length > 0 ? html`<section class="card" aria-labelledby="dismissed-title"><h2 id="dismissed-title">Dismissed (${qa.dismissed.length})</h2>${list(poll.code, qa.dismissed, csrf, '')}</section>` : ''}`;
}

function settingsForm(code: string, settings: QaSettings, csrf: string): SafeHtml {
  const checked = (on: boolean) => (on ? html`checked` : '');
  return html`<form method="post" action="${pollPaths(code).qaSettings}" class="card rules-form">
${csrfField(csrf)}
<fieldset>
<legend>How the audience asks</legend>
<label class="check"><input type="checkbox" name="open" value="1" ${checked(settings.open)}> Take questions from the audience <span class="hint">— on the voting page, beside the live question</span></label>
<label class="check"><input type="checkbox" name="moderated" value="1" ${checked(settings.moderated)}> Read each question before it shows</label>
<label class="check"><input type="checkbox" name="named" value="1" ${checked(settings.named)}> Askers may give their name <span class="hint">— else every question is anonymous</span></label>
</fieldset>
<button type="submit">Save</button>
</form>`;
}

export function moderatePage(view: ModerateView): string {
  const paths = pollPaths(view.poll.code);
  return layout({
    title: ['Audience Q&A', view.poll.title],
    script: 'results',
    bodyClass: 'moderate-page',
    organizer: true,
    participation: true,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>Audience Q&amp;A · <strong>${view.poll.title}</strong></span></header>
<main>
<h1>Questions from the audience</h1>
${settingsForm(view.poll.code, view.qa.settings, view.csrf)}
<div id="control-status"></div>
<div id="live" data-poll-code="${view.poll.code}" data-qa-moderation>
${moderateMain(view)}
</div>
<p class="secondary-link"><a href="${paths.qaCsv}" download>Download every question (CSV)</a></p>
</main>
<nav class="secondary-link centered" aria-label="This poll's pages"><a href="${paths.present}">Presenter view</a> · <a href="${paths.remote}">Remote</a> · <a href="${paths.vote}">Voting page</a></nav>
<p id="connection" class="connection" hidden role="status">Reconnecting…</p>`,
  });
}
