import { t } from '../i18n/request-language.js';
import { pollPaths } from '../polls/paths.js';
import { MAX_QA_CHARS, MAX_QA_NAME_CHARS, type QaSettings, type QaSort } from '../polls/qa.js';
import type { AudienceQa, ManagedQa } from '../polls/qa-service.js';
import type { QaItem } from '../realtime/messages.js';
import { csrfField } from './admin-shell.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { tHtml } from './message-html.js';

// Audience Q&A: the voting page's questions for the speaker (ask, upvote, sort), the question the
// presenter view highlights, and the organizer's moderation page.

// The page script rewrites the word as upvotes arrive, from the same message.
const upvotesLabel = (upvotes: number) => t('browser.qa.upvotesWord', { count: upvotes });

/** Who asked and what became of it: the name (if the poll takes names), answered. */
const itemMeta = (item: QaItem) =>
  html`<span class="qa-name" dir="auto">${item.name ?? t('audience.anonymous')}</span><span class="qa-answered" ${item.answered ? '' : 'hidden'}> · ${t('audience.qa.answered')}</span>`;

/**
 * One question in the audience's list. The page script copies this markup (from the template
 * the page holds) for questions that arrive live, so that both draw alike.
 */
function audienceItem(code: string, item: QaItem | null, upvoted: boolean): SafeHtml {
  const id = item?.id ?? 0;
  return html`<li class="qa-item" data-qa-id="${id}" data-upvotes="${item?.upvotes ?? 0}">
<p class="qa-text" id="qa-text-${id}" dir="auto">${item?.text ?? ''}</p>
<p class="qa-meta">${item ? itemMeta(item) : html`<span class="qa-name" dir="auto"></span><span class="qa-answered" hidden> · ${t('audience.qa.answered')}</span>`}</p>
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
<h2 id="qa-title">${t('audience.qa.sectionTitle')}</h2>
${settings.open ? askForm(code, settings, { notice, error, draft }) : html`<p class="hint">${t('audience.qa.notTaking')}</p>`}
<p class="qa-sort">${tHtml('audience.qa.sort', { votes: sortLink('votes', t('audience.qa.sortVotes')), newest: sortLink('newest', t('audience.qa.sortNewest')) })}</p>
<p class="hint qa-empty" ${items.length === 0 ? '' : 'hidden'}>${t('audience.qa.empty')}</p>
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
<label for="qa-question">${t('audience.qa.askLabel')}</label>
${said.error ? html`<p class="notice error" role="alert" id="qa-error">${said.error}</p>` : ''}
<textarea id="qa-question" name="text" rows="2" maxlength="${MAX_QA_CHARS}" dir="auto" required${said.error ? html` aria-describedby="qa-error" aria-invalid="true"` : ''}>${said.draft?.text ?? ''}</textarea>
${settings.named ? html`<label for="qa-name">${tHtml('audience.qa.nameLabel', { optional: html`<span class="hint">${t('audience.qa.optional')}</span>` })}</label><input id="qa-name" name="name" maxlength="${MAX_QA_NAME_CHARS}" autocomplete="name" dir="auto" value="${said.draft?.name ?? ''}">` : ''}
<button type="submit" class="primary">${t('audience.qa.send')}</button>
<p class="hint" data-qa-status role="status">${said.notice ?? (settings.moderated ? t('audience.qa.moderatedHint') : '')}</p>
</form>`;
}

/** The question the presenter highlights, on the presenter view below the question or the leaderboard. */
export function qaHighlight(item: QaItem | null): SafeHtml | '' {
  if (!item) return '';
  return html`<aside class="qa-highlight" aria-label="${t('audience.qa.fromAudience')}" data-qa-id="${item.id}">
<p class="qa-highlight-label">${t('audience.qa.fromAudience')}</p>
<p class="qa-highlight-text" dir="auto">${item.text}</p>
<p class="qa-meta">${itemMeta(item)} · <span aria-hidden="true">▲</span> ${t('audience.qa.upvotes', { count: item.upvotes })}</p>
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
      ? [
          action('approve', t('audience.moderate.approve'), html`class="primary"`),
          action('dismiss', t('audience.moderate.dismiss')),
        ]
      : item.status === 'dismissed'
        ? [action('approve', t('audience.moderate.showAfterAll'))]
        : [
            item.highlighted
              ? action('unhighlight', t('audience.moderate.unhighlight'))
              : action('highlight', t('audience.moderate.highlight')),
            item.answered
              ? action('unanswered', t('audience.moderate.unanswered'))
              : action('answered', t('audience.moderate.answered')),
            action('dismiss', t('audience.moderate.dismiss')),
          ];
  return html`<li class="qa-item${item.highlighted ? ' highlighted' : ''}" data-qa-id="${item.id}">
<p class="qa-text" id="qa-text-${item.id}" dir="auto">${item.text}</p>
<p class="qa-meta">${itemMeta(item)} · ${t('audience.qa.upvotes', { count: item.upvotes })}${item.highlighted ? html` · <strong>${t('audience.moderate.onScreen')}</strong>` : ''}</p>
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
<section class="card" aria-labelledby="pending-title"><h2 id="pending-title">${t('audience.moderate.pending', { count: qa.pending.length })}</h2>
${list(poll.code, qa.pending, csrf, qa.settings.moderated ? t('audience.moderate.noneWaiting') : t('audience.moderate.unmoderated'))}</section>
<section class="card" aria-labelledby="shown-title"><h2 id="shown-title">${t('audience.moderate.shown', { count: qa.approved.length })}</h2>
<p class="qa-sort">${tHtml('audience.qa.sort', { votes: sortLink('votes', t('audience.qa.sortVotes')), newest: sortLink('newest', t('audience.qa.sortNewest')) })}</p>
${list(poll.code, qa.approved, csrf, t('audience.moderate.noneShown'))}</section>
${qa.dismissed.length > 0 ? html`<section class="card" aria-labelledby="dismissed-title"><h2 id="dismissed-title">${t('audience.moderate.dismissed', { count: qa.dismissed.length })}</h2>${list(poll.code, qa.dismissed, csrf, '')}</section>` : ''}`;
}

function settingsForm(code: string, settings: QaSettings, csrf: string): SafeHtml {
  const checked = (on: boolean) => (on ? html`checked` : '');
  return html`<form method="post" action="${pollPaths(code).qaSettings}" class="card rules-form">
${csrfField(csrf)}
<fieldset>
<legend>${t('audience.moderate.settingsLegend')}</legend>
<label class="check"><input type="checkbox" name="open" value="1" ${checked(settings.open)}> ${tHtml('audience.moderate.open', { hint: html`<span class="hint">${t('audience.moderate.openHint')}</span>` })}</label>
<label class="check"><input type="checkbox" name="moderated" value="1" ${checked(settings.moderated)}> ${t('audience.moderate.moderated')}</label>
<label class="check"><input type="checkbox" name="named" value="1" ${checked(settings.named)}> ${tHtml('audience.moderate.named', { hint: html`<span class="hint">${t('audience.moderate.namedHint')}</span>` })}</label>
</fieldset>
<button type="submit">${t('common.save')}</button>
</form>`;
}

export function moderatePage(view: ModerateView): string {
  const paths = pollPaths(view.poll.code);
  return layout({
    title: [t('audience.moderate.pageTitle'), view.poll.title],
    script: 'results',
    bodyClass: 'moderate-page',
    organizer: true,
    participation: true,
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>${t('audience.moderate.pageTitle')} · <strong dir="auto">${view.poll.title}</strong></span></header>
<main>
<h1>${t('audience.moderate.heading')}</h1>
${settingsForm(view.poll.code, view.qa.settings, view.csrf)}
<div id="control-status"></div>
<div id="live" data-poll-code="${view.poll.code}" data-qa-moderation>
${moderateMain(view)}
</div>
<p class="secondary-link"><a href="${paths.qaCsv}" download>${t('audience.moderate.download')}</a></p>
</main>
<nav class="secondary-link centered" aria-label="${t('audience.nav.pollPages')}"><a href="${paths.present}">${t('audience.nav.presenterView')}</a> · <a href="${paths.remote}">${t('audience.nav.remote')}</a> · <a href="${paths.vote}">${t('audience.nav.votingPage')}</a></nav>
<p id="connection" class="connection" hidden role="status">${t('audience.connection.reconnecting')}</p>`,
  });
}
