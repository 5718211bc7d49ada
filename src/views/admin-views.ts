import type { PollRow } from '../db/database.js';
import { LOCALES, ownName } from '../i18n/locales.js';
import { currentLocale, t } from '../i18n/request-language.js';
import { languageName, languageTag } from '../ocr/language-data.js';
import { DEFAULT_POLL_CODE } from '../polls/codes.js';
import { hasOptions, KINDS_WITH_OPTIONS, kindNamed } from '../polls/kinds/index.js';
import { awaitsReveal } from '../polls/kinds/quiz.js';
import { templatesOf, typedSettings } from '../polls/kinds/templates.js';
import type { HiddenList } from '../polls/moderation.js';
import { pollPaths } from '../polls/paths.js';
import type { PollListing } from '../polls/queries.js';
import { MAX_TIMER_SEC, MIN_TIMER_SEC } from '../polls/timer-limits.js';
import type { QuestionView } from '../realtime/messages.js';
import { type AdminFrame, adminShell, csrfField } from './admin-shell.js';
import { confirmAttributes } from './confirm-views.js';
import {
  deletePollPrompt,
  deleteQuestionLabel,
  deleteQuestionPrompt,
  megabytes,
  revealLabel,
  votesLabel,
} from './format.js';
import { html, type SafeHtml } from './html.js';
import { joinedCount } from './join-details.js';
import { type KindDraft, kindFields, kindRadios } from './kind-fields.js';
import { tHtml } from './message-html.js';
import { moderationPanel } from './moderation-views.js';
import { optionRows } from './option-rows.js';
import { resultsBlock } from './poll-views.js';

/** One poll's questions, forms and live counts. */
export interface PollPanel {
  poll: Pick<
    PollRow,
    | 'code'
    | 'title'
    | 'one_vote_per_address'
    | 'votes_changeable'
    | 'profanity_filter'
    | 'hide_results'
    | 'current_question_id'
    | 'language'
  >;
  questions: QuestionView[];
  /** What is kept from the screens of the current question, when it is a word cloud or an open question. */
  hidden?: HiddenList | undefined;
  /** The question to check and correct: the one just read from images, else the live one. */
  review: QuestionView | null;
  /** What the typed-question form held when it comes back (an error, or "add option"). */
  draft?: ({ text: string; options: string[]; extraRow: boolean; timeLimit?: string } & KindDraft) | undefined;
  maxImageBytes: number;
  ocrProvider: string;
  /** The languages OCR reads (Tesseract codes), offered when there are several. */
  ocrLanguages: readonly string[];
  /** How many voters have the poll open now. */
  joined: number;
}

export interface DashboardView {
  polls: PollListing[];
  /** The poll being managed; absent on an organizer's dashboard, which lists polls only. */
  panel: PollPanel | null;
  newPollTitle?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

/** A question's status as its badge says it. */
function statusName(status: QuestionView['status']): string {
  switch (status) {
    case 'draft':
      return t('organizer.status.draft');
    case 'live':
      return t('organizer.status.live');
    case 'closed':
      return t('organizer.status.closed');
  }
}

function statusBadge(status: QuestionView['status']): SafeHtml {
  return html`<span class="badge badge-${status}">${statusName(status)}</span>`;
}

// With Gemini configured, the organizer may read one upload locally when Gemini is down or slow.
const ocrChoice = () => html`<fieldset class="ocr-choice">
<legend>${t('organizer.upload.readWith')}</legend>
<label class="inline"><input type="radio" name="ocr" value="configured" checked> Google Gemini</label>
<label class="inline"><input type="radio" name="ocr" value="local"> ${t('organizer.upload.localOcr')}</label>
</fieldset>`;

/** Which language the photos are in, when OCR reads several; the page's own language comes first if it is one. */
function ocrLanguageChoice(languages: readonly string[]): SafeHtml | '' {
  if (languages.length < 2) return '';
  const locale = currentLocale();
  const pageLanguage = languages.find((language) => languageTag(language) === locale.split('-')[0]);
  const picked = pageLanguage ?? languages[0];
  return html`<label for="ocr-language">${t('organizer.upload.language')}</label>
<select id="ocr-language" name="language">
${languages.map((language) => html`<option value="${language}"${language === picked ? html` selected` : ''}>${languageName(language, locale)}</option>`)}
</select>`;
}

function uploadForm(panel: PollPanel, csrf: string): SafeHtml {
  const paths = pollPaths(panel.poll.code);
  const gemini = panel.ocrProvider === 'gemini';
  return html`<section class="card" aria-labelledby="upload-title">
<h2 id="upload-title">${t('organizer.upload.title')}</h2>
<p class="hint">${t('organizer.upload.hint', { size: megabytes(panel.maxImageBytes) })}${gemini ? '' : ` ${t('organizer.upload.hintLocalOcr')}`}</p>
<form id="upload-form" method="post" enctype="multipart/form-data" data-max-bytes="${panel.maxImageBytes}" action="${paths.adminActions}/questions/from-images">
${csrfField(csrf)}
<label for="question_image">${t('organizer.upload.questionImage')}</label>
<input id="question_image" name="question_image" type="file" accept="image/png,image/jpeg,image/webp,image/heic" required>
<label for="options_image">${t('organizer.upload.optionsImage')}</label>
<input id="options_image" name="options_image" type="file" accept="image/png,image/jpeg,image/webp,image/heic" required>
${ocrLanguageChoice(panel.ocrLanguages)}
<input type="hidden" name="activate" value="false">
<fieldset class="kind-fields">
<legend>${t('organizer.form.kind')} <span class="hint">${t('organizer.upload.kindHint')}</span></legend>
${kindRadios('choice', KINDS_WITH_OPTIONS)}
</fieldset>
${gemini ? ocrChoice() : ''}
<label class="inline"><input type="checkbox" name="activate" value="true"> ${t('organizer.upload.activate')}</label>
<button type="submit" class="primary">${t('organizer.upload.submit')}</button>
<p class="hint">${t('organizer.upload.checkHint')}</p>
<div id="upload-progress" class="progress" hidden>
<progress max="100"></progress>
<p role="status" aria-live="polite"></p>
${gemini ? html`<button type="button" id="use-local-ocr" hidden>${t('organizer.upload.useLocalOcr')}</button>` : ''}
</div>
</form>
</section>`;
}

function typedForm(panel: PollPanel, csrf: string): SafeHtml {
  const draft = panel.draft;
  return html`<section class="card" aria-labelledby="typed-title">
<h2 id="typed-title">${t('organizer.typed.title')}</h2>
<form method="post" action="${pollPaths(panel.poll.code).adminActions}/questions" class="typed-form">
${csrfField(csrf)}
<label for="typed-text">${t('organizer.form.question')}</label>
<textarea id="typed-text" name="text" rows="2" maxlength="500" required dir="auto">${draft?.text ?? ''}</textarea>
${kindFields('typed', draft)}
${optionRows(draft?.options, draft?.extraRow)}
<label for="typed-time-limit">${t('organizer.typed.timeLimit')} <span class="hint">${t('organizer.typed.timeLimitHint', { min: MIN_TIMER_SEC, max: MAX_TIMER_SEC })}</span></label>
<input id="typed-time-limit" name="timeLimitSec" type="number" inputmode="numeric" min="${MIN_TIMER_SEC}" max="${MAX_TIMER_SEC}" value="${draft?.timeLimit ?? ''}">
<label class="inline"><input type="checkbox" name="hideResults" value="1" ${panel.poll.hide_results === 1 ? 'checked' : ''}> ${t('organizer.typed.hideResults')}</label>
<label class="inline"><input type="checkbox" name="activate" value="true" checked> ${t('organizer.typed.activate')}</label>
<button type="submit" class="primary">${t('organizer.typed.submit')}</button>
</form>
</section>`;
}

function reviewForm(question: QuestionView, csrf: string): SafeHtml {
  const locked = question.totalVotes > 0;
  const input = kindNamed(question.kind).asInput(question);
  // In the organizer's order, whatever order the results show them in.
  const { options } = input;
  // Before the first vote, a question with options may still become another kind with options.
  const reshapable = !locked && hasOptions(question.kind);
  return html`<section class="card" id="review" aria-labelledby="review-title">
<h2 id="review-title">${tHtml('organizer.review.title', { status: statusBadge(question.status) })}</h2>
<form method="post" action="/admin/questions/${question.id}/edit" class="edit-form">
${csrfField(csrf)}
<label for="edit-text">${t('organizer.form.question')}</label>
<textarea id="edit-text" name="text" rows="2" maxlength="500" required dir="auto">${question.text}</textarea>
${reshapable ? kindFields('edit', { kind: question.kind, settings: typedSettings(input) }, KINDS_WITH_OPTIONS) : ''}
${
  options
    ? html`<fieldset><legend>${t('organizer.review.options')}</legend>
${locked ? html`<p class="hint">${t('organizer.review.lockedHint')}</p>` : ''}
${options.map(
  (
    option,
    i,
  ) => html`<label class="visually-hidden" for="edit-option-${i}">${t('organizer.form.option', { number: i + 1 })}</label>
<input id="edit-option-${i}" name="options" value="${option}" maxlength="200" required dir="auto">`,
)}
</fieldset>`
    : html`<p class="hint">${t('organizer.review.textOnly', { kind: templatesOf(question).label })}</p>`
}
${
  question.status === 'live'
    ? html`<button type="submit" class="primary">${t('organizer.review.saveChanges')}</button>`
    : // Enter in a field saves without going live: the first submit button is the form's default.
      html`<div class="form-actions"><button type="submit">${t('organizer.review.saveWithoutLive')}</button>
<button type="submit" name="activate" value="true" class="primary">${question.status === 'draft' ? t('organizer.review.confirmAndLive') : t('organizer.review.saveAndReopen')}</button></div>`
}
</form>
</section>`;
}

/** The poll's current question with its counts: live, or closed and still on every screen. */
function liveCard(
  question: QuestionView | undefined,
  hidden: HiddenList | undefined,
  csrf: string,
  joined: number,
): SafeHtml {
  if (!question) {
    return html`<section class="card"><h2>${t('organizer.live.title')}</h2>${joinedCount(joined)}<p class="hint">${t('organizer.live.none')}</p></section>`;
  }
  const closed = question.status === 'closed';
  return html`<section class="card" aria-labelledby="live-title">
<h2 id="live-title">${closed ? t('organizer.live.closedTitle') : t('organizer.live.liveTitle')}</h2>
<p class="question-text" dir="auto">${question.text}</p>
${joinedCount(joined)}
${closed ? html`<p class="hint">${t('organizer.live.closedHint')}</p>` : ''}
${resultsBlock(question)}
${moderationPanel(question, hidden, csrf)}
</section>`;
}

function questionList(questions: QuestionView[], csrf: string): SafeHtml {
  if (questions.length === 0) return html`<p class="hint">${t('organizer.questions.none')}</p>`;
  const action = (question: QuestionView, name: string, label: string) =>
    html`<form method="post" action="/admin/questions/${question.id}/${name}" class="inline-form">${csrfField(csrf)}<button type="submit">${label}</button></form>`;
  const remove = (question: QuestionView) => {
    const ask = confirmAttributes(
      deleteQuestionPrompt(question.text, question.totalVotes),
      deleteQuestionLabel(question.totalVotes),
    );
    return html`<form method="post" action="/admin/questions/${question.id}/delete" class="inline-form" ${ask}>${csrfField(csrf)}<button type="submit" class="danger">${t('common.delete')}</button></form>`;
  };
  const move = (question: QuestionView, direction: 'up' | 'down') =>
    html`<form method="post" action="/admin/questions/${question.id}/move" class="inline-form">${csrfField(csrf)}<input type="hidden" name="direction" value="${direction}"><button type="submit" class="move" aria-describedby="question-text-${question.id}"><span aria-hidden="true">${direction === 'up' ? '↑' : '↓'}</span> ${direction === 'up' ? t('organizer.questions.up') : t('organizer.questions.down')}</button></form>`;
  return html`<ol class="question-list">
${questions.map(
  (question, i) => html`<li id="question-${question.id}" data-question-id="${question.id}">
<div><span class="question-text" id="question-text-${question.id}" dir="auto">${question.text}</span> ${statusBadge(question.status)} <span class="hint question-votes">${votesLabel(question.totalVotes)}</span></div>
<div class="actions">
${i > 0 ? move(question, 'up') : ''}${i < questions.length - 1 ? move(question, 'down') : ''}
<a href="?review=${question.id}#review">${t('organizer.questions.edit')}</a>
<a href="/api/admin/questions/${question.id}/results.csv" download>${t('organizer.questions.exportCsv')}</a>
${question.status === 'live' ? action(question, 'close', t('organizer.questions.close')) : action(question, 'activate', question.status === 'closed' ? t('organizer.questions.reopen') : t('organizer.questions.makeLive'))}
${awaitsReveal(question) ? action(question, 'reveal', revealLabel(question)) : ''}
${remove(question)}
</div>
</li>`,
)}
</ol>`;
}

export function pollDeletePrompt(panel: Pick<PollPanel, 'poll' | 'questions'>): string {
  const votes = panel.questions.reduce((sum, question) => sum + question.totalVotes, 0);
  return deletePollPrompt(panel.poll.title, panel.questions.length, votes);
}

function pollHeading(panel: PollPanel, csrf: string): SafeHtml {
  const paths = pollPaths(panel.poll.code);
  const isDefault = panel.poll.code === DEFAULT_POLL_CODE;
  return html`<section class="poll-heading">
<h1><bdi>${panel.poll.title}</bdi> ${isDefault ? '' : html`<span class="code">${tHtml('organizer.poll.code', { code: html`<strong>${panel.poll.code}</strong>` })}</span>`}</h1>
<p class="links"><a href="${paths.vote}">${t('organizer.poll.votingPage')}</a> · <a href="${paths.results}">${t('organizer.poll.results')}</a> · <a href="${paths.present}">${t('organizer.poll.present')}</a> · <a href="${paths.remote}">${t('organizer.poll.remote')}</a> · <a href="${paths.moderate}">${t('organizer.poll.audienceQa')}</a> · <a href="${paths.share}">${t('organizer.poll.share')}</a> · <a href="/api/admin/polls/${panel.poll.code}/results.csv" download>${t('organizer.poll.exportAll')}</a></p>
${
  isDefault
    ? ''
    : html`<form method="post" action="${paths.adminActions}/delete" class="inline-form" ${confirmAttributes(pollDeletePrompt(panel), t('organizer.poll.delete'))}>${csrfField(csrf)}<button type="submit" class="danger">${t('organizer.poll.delete')}</button></form>`
}
${rulesForm(panel.poll, csrf)}
</section>`;
}

function rulesForm(poll: PollPanel['poll'], csrf: string): SafeHtml {
  const checked = (on: number) => (on === 1 ? html`checked` : '');
  return html`<form method="post" action="${pollPaths(poll.code).adminActions}/rules" class="rules-form">
${csrfField(csrf)}
<fieldset>
<legend>${t('organizer.rules.legend')}</legend>
<label class="check"><input type="checkbox" name="votesChangeable" value="1" ${checked(poll.votes_changeable)}> ${t('organizer.rules.votesChangeable')}</label>
<label class="check"><input type="checkbox" name="oneVotePerAddress" value="1" ${checked(poll.one_vote_per_address)}> ${t('organizer.rules.oneVotePerAddress')} <span class="hint">${t('organizer.rules.oneVotePerAddressHint')}</span></label>
<label class="check"><input type="checkbox" name="profanityFilter" value="1" ${checked(poll.profanity_filter)}> ${t('organizer.rules.profanityFilter')} <span class="hint">${t('organizer.rules.profanityFilterHint')}</span></label>
<label class="check"><input type="checkbox" name="hideResults" value="1" ${checked(poll.hide_results)}> ${t('organizer.rules.hideResults')} <span class="hint">${t('organizer.rules.hideResultsHint')}</span></label>
<label for="audience-language">${t('organizer.rules.language')}</label>
<select id="audience-language" name="language" aria-describedby="audience-language-hint">
<option value="">${t('organizer.rules.languageOwn')}</option>
${LOCALES.map((locale) => html`<option value="${locale}" lang="${locale}"${poll.language === locale ? html` selected` : ''}>${ownName(locale)}</option>`)}
</select>
<p class="hint" id="audience-language-hint">${t('organizer.rules.languageHint')}</p>
</fieldset>
<button type="submit">${t('organizer.rules.save')}</button>
</form>`;
}

function pollPanel(panel: PollPanel, csrf: string): SafeHtml {
  const current = panel.questions.find((question) => question.id === panel.poll.current_question_id);
  return html`<div id="admin" data-poll-code="${panel.poll.code}" data-admin-path="${pollPaths(panel.poll.code).admin}" data-csrf="${csrf}">
${pollHeading(panel, csrf)}
<div class="grid">
<div>${panel.review ? reviewForm(panel.review, csrf) : ''}${uploadForm(panel, csrf)}${typedForm(panel, csrf)}</div>
<div id="live" data-poll-code="${panel.poll.code}" data-question-id="${current?.id ?? ''}" data-version="${current?.version ?? 0}">${liveCard(current, panel.hidden, csrf, panel.joined)}</div>
</div>
<section class="card" id="questions" aria-labelledby="questions-title"><h2 id="questions-title">${t('organizer.questions.title')}</h2>
<p class="hint">${t('organizer.questions.orderHint')}</p>
${questionList(panel.questions, csrf)}</section>
</div>`;
}

function pollList(view: DashboardView, frame: AdminFrame): SafeHtml {
  return html`<section class="card" aria-labelledby="polls-title">
<h2 id="polls-title">${frame.isAdmin ? t('organizer.polls.all') : t('organizer.polls.yours')}</h2>
<form method="post" action="/admin/polls" class="row new-poll">
${csrfField(frame.csrf)}
<label class="visually-hidden" for="poll-title">${t('organizer.polls.newTitleLabel')}</label>
<input id="poll-title" name="title" maxlength="120" required placeholder="${t('organizer.polls.newTitlePlaceholder')}" value="${view.newPollTitle ?? ''}" dir="auto">
<button type="submit" class="primary">${t('organizer.polls.create')}</button>
</form>
${
  view.polls.length === 0
    ? html`<p class="hint">${t('organizer.polls.none')}</p>`
    : html`<ul class="poll-list">
${view.polls.map(
  (poll) => html`<li><a href="${pollPaths(poll.code).admin}"><strong dir="auto">${poll.title}</strong></a>
<span class="code">${poll.code === DEFAULT_POLL_CODE ? t('organizer.polls.defaultCode') : poll.code}</span>${poll.hasOwner ? '' : html` <span class="badge">${t('organizer.polls.quickPoll')}</span>`}
<span class="hint">${t('organizer.polls.questionCount', { count: poll.questionCount })}${poll.liveQuestion ? html` · ${tHtml('organizer.polls.liveQuestion', { question: html`<bdi>${poll.liveQuestion}</bdi>` })}` : ''}</span></li>`,
)}
</ul>`
}
</section>`;
}

export function dashboardPage(frame: AdminFrame, view: DashboardView): string {
  return adminShell(frame, {
    title: view.panel ? view.panel.poll.title : t('organizer.polls.title'),
    script: 'admin',
    notice: view.notice,
    error: view.error,
    body: view.panel
      ? html`${pollPanel(view.panel, frame.csrf)}${view.panel.poll.code === DEFAULT_POLL_CODE ? pollList(view, frame) : html`<p class="secondary-link"><a href="/admin">${t('organizer.poll.allPollsLink')}</a></p>`}`
      : pollList(view, frame),
  });
}
