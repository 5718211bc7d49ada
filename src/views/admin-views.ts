import type { PollRow } from '../db/database.js';
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

function statusBadge(status: QuestionView['status']): SafeHtml {
  return html`<span class="badge badge-${status}">${status}</span>`;
}

// With Gemini configured, the organizer may read one upload locally when Gemini is down or slow.
const ocrChoice = html`<fieldset class="ocr-choice">
<legend>Read the text with</legend>
<label class="inline"><input type="radio" name="ocr" value="configured" checked> Google Gemini</label>
<label class="inline"><input type="radio" name="ocr" value="local"> Local OCR on this server (slower; works when Gemini is down)</label>
</fieldset>`;

function uploadForm(panel: PollPanel, csrf: string): SafeHtml {
  const paths = pollPaths(panel.poll.code);
  const gemini = panel.ocrProvider === 'gemini';
  return html`<section class="card" aria-labelledby="upload-title">
<h2 id="upload-title">New question from two images</h2>
<p class="hint">A photo or screenshot of the question, and one of its answer options. PNG, JPEG or WebP, up to ${megabytes(panel.maxImageBytes)} each.${gemini ? '' : ' Text is read by local OCR.'}</p>
<form id="upload-form" method="post" enctype="multipart/form-data" data-max-bytes="${panel.maxImageBytes}" action="${paths.adminActions}/questions/from-images">
${csrfField(csrf)}
<label for="question_image">Question image</label>
<input id="question_image" name="question_image" type="file" accept="image/png,image/jpeg,image/webp,image/heic" required>
<label for="options_image">Options image</label>
<input id="options_image" name="options_image" type="file" accept="image/png,image/jpeg,image/webp,image/heic" required>
<input type="hidden" name="activate" value="false">
<fieldset class="kind-fields">
<legend>Kind of question <span class="hint">(you can change it when you check what was read)</span></legend>
${kindRadios('choice', KINDS_WITH_OPTIONS)}
</fieldset>
${gemini ? ocrChoice : ''}
<label class="inline"><input type="checkbox" name="activate" value="true"> Make it live at once, without checking what was read</label>
<button type="submit" class="primary">Read images</button>
<p class="hint">You check and correct the text before it goes live.</p>
<div id="upload-progress" class="progress" hidden>
<progress max="100"></progress>
<p role="status" aria-live="polite"></p>
${gemini ? html`<button type="button" id="use-local-ocr" hidden>Read these images with local OCR</button>` : ''}
</div>
</form>
</section>`;
}

function typedForm(panel: PollPanel, csrf: string): SafeHtml {
  const draft = panel.draft;
  return html`<section class="card" aria-labelledby="typed-title">
<h2 id="typed-title">New question, typed</h2>
<form method="post" action="${pollPaths(panel.poll.code).adminActions}/questions" class="typed-form">
${csrfField(csrf)}
<label for="typed-text">Question</label>
<textarea id="typed-text" name="text" rows="2" maxlength="500" required>${draft?.text ?? ''}</textarea>
${kindFields('typed', draft)}
${optionRows(draft?.options, draft?.extraRow)}
<label for="typed-time-limit">Time limit <span class="hint">(seconds, ${MIN_TIMER_SEC} to ${MAX_TIMER_SEC}; empty: open until you close it)</span></label>
<input id="typed-time-limit" name="timeLimitSec" type="number" inputmode="numeric" min="${MIN_TIMER_SEC}" max="${MAX_TIMER_SEC}" value="${draft?.timeLimit ?? ''}">
<label class="inline"><input type="checkbox" name="hideResults" value="1" ${panel.poll.hide_results === 1 ? 'checked' : ''}> Hide the results until I reveal them (voters see how many answered)</label>
<label class="inline"><input type="checkbox" name="activate" value="true" checked> Make it the live question</label>
<button type="submit" class="primary">Create question</button>
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
<h2 id="review-title">Check and correct ${statusBadge(question.status)}</h2>
<form method="post" action="/admin/questions/${question.id}/edit" class="edit-form">
${csrfField(csrf)}
<label for="edit-text">Question</label>
<textarea id="edit-text" name="text" rows="2" maxlength="500" required>${question.text}</textarea>
${reshapable ? kindFields('edit', { kind: question.kind, settings: typedSettings(input) }, KINDS_WITH_OPTIONS) : ''}
${
  options
    ? html`<fieldset><legend>Options</legend>
${locked ? html`<p class="hint">This question has votes: each option can be reworded in place, but options cannot be added, removed or reordered, so that no vote moves to another answer.</p>` : ''}
${options.map(
  (option, i) => html`<label class="visually-hidden" for="edit-option-${i}">Option ${i + 1}</label>
<input id="edit-option-${i}" name="options" value="${option}" maxlength="200" required>`,
)}
</fieldset>`
    : html`<p class="hint">${templatesOf(question).label}: only its text can be corrected.</p>`
}
${
  question.status === 'live'
    ? html`<button type="submit" class="primary">Save changes</button>`
    : // Enter in a field saves without going live: the first submit button is the form's default.
      html`<div class="form-actions"><button type="submit">Save without going live</button>
<button type="submit" name="activate" value="true" class="primary">${question.status === 'draft' ? 'Confirm and go live' : 'Save and reopen'}</button></div>`
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
    return html`<section class="card"><h2>Live question</h2>${joinedCount(joined)}<p class="hint">No question is live. Create one, or make one live from the list below.</p></section>`;
  }
  const closed = question.status === 'closed';
  return html`<section class="card" aria-labelledby="live-title">
<h2 id="live-title">${closed ? 'Closed: final results' : 'Live now'}</h2>
<p class="question-text">${question.text}</p>
${joinedCount(joined)}
${closed ? html`<p class="hint">Voting is closed. The screens show these results until another question goes live.</p>` : ''}
${resultsBlock(question)}
${moderationPanel(question, hidden, csrf)}
</section>`;
}

function questionList(questions: QuestionView[], csrf: string): SafeHtml {
  if (questions.length === 0)
    return html`<p class="hint">No questions yet: type one or read one from two images above.</p>`;
  const action = (question: QuestionView, name: string, label: string) =>
    html`<form method="post" action="/admin/questions/${question.id}/${name}" class="inline-form">${csrfField(csrf)}<button type="submit">${label}</button></form>`;
  const remove = (question: QuestionView) => {
    const ask = confirmAttributes(
      deleteQuestionPrompt(question.text, question.totalVotes),
      deleteQuestionLabel(question.totalVotes),
    );
    return html`<form method="post" action="/admin/questions/${question.id}/delete" class="inline-form" ${ask}>${csrfField(csrf)}<button type="submit" class="danger">Delete</button></form>`;
  };
  const move = (question: QuestionView, direction: 'up' | 'down') =>
    html`<form method="post" action="/admin/questions/${question.id}/move" class="inline-form">${csrfField(csrf)}<input type="hidden" name="direction" value="${direction}"><button type="submit" class="move" aria-describedby="question-text-${question.id}"><span aria-hidden="true">${direction === 'up' ? '↑' : '↓'}</span> ${direction === 'up' ? 'Up' : 'Down'}</button></form>`;
  return html`<ol class="question-list">
${questions.map(
  (question, i) => html`<li id="question-${question.id}" data-question-id="${question.id}">
<div><span class="question-text" id="question-text-${question.id}">${question.text}</span> ${statusBadge(question.status)} <span class="hint question-votes">${votesLabel(question.totalVotes)}</span></div>
<div class="actions">
${i > 0 ? move(question, 'up') : ''}${i < questions.length - 1 ? move(question, 'down') : ''}
<a href="?review=${question.id}#review">Edit</a>
<a href="/api/admin/questions/${question.id}/results.csv" download>Export CSV</a>
${question.status === 'live' ? action(question, 'close', 'Close') : action(question, 'activate', question.status === 'closed' ? 'Reopen' : 'Make live')}
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
<h1>${panel.poll.title} ${isDefault ? '' : html`<span class="code">Code <strong>${panel.poll.code}</strong></span>`}</h1>
<p class="links"><a href="${paths.vote}">Voting page</a> · <a href="${paths.results}">Results</a> · <a href="${paths.present}">Present</a> · <a href="${paths.remote}">Remote (for your phone)</a> · <a href="${paths.moderate}">Audience Q&amp;A</a> · <a href="${paths.share}">Share</a> · <a href="/api/admin/polls/${panel.poll.code}/results.csv" download>Export all results (CSV)</a></p>
${
  isDefault
    ? ''
    : html`<form method="post" action="${paths.adminActions}/delete" class="inline-form" ${confirmAttributes(pollDeletePrompt(panel), 'Delete poll')}>${csrfField(csrf)}<button type="submit" class="danger">Delete poll</button></form>`
}
${rulesForm(panel.poll, csrf)}
</section>`;
}

function rulesForm(poll: PollPanel['poll'], csrf: string): SafeHtml {
  const checked = (on: number) => (on === 1 ? html`checked` : '');
  return html`<form method="post" action="${pollPaths(poll.code).adminActions}/rules" class="rules-form">
${csrfField(csrf)}
<fieldset>
<legend>Voting rules</legend>
<label class="check"><input type="checkbox" name="votesChangeable" value="1" ${checked(poll.votes_changeable)}> Voters may change their vote until the question closes</label>
<label class="check"><input type="checkbox" name="oneVotePerAddress" value="1" ${checked(poll.one_vote_per_address)}> One vote per network address <span class="hint">— leave off when the audience shares one Wi-Fi or phone network</span></label>
<label class="check"><input type="checkbox" name="profanityFilter" value="1" ${checked(poll.profanity_filter)}> Keep profanity off the screens <span class="hint">— words and open answers; you can show what it hid</span></label>
<label class="check"><input type="checkbox" name="hideResults" value="1" ${checked(poll.hide_results)}> Hide the results of new questions until revealed <span class="hint">— voters and screens see how many answered</span></label>
</fieldset>
<button type="submit">Save rules</button>
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
<section class="card" id="questions" aria-labelledby="questions-title"><h2 id="questions-title">Questions</h2>
<p class="hint">In the order you run them: move a question up or down.</p>
${questionList(panel.questions, csrf)}</section>
</div>`;
}

function pollList(view: DashboardView, frame: AdminFrame): SafeHtml {
  return html`<section class="card" aria-labelledby="polls-title">
<h2 id="polls-title">${frame.isAdmin ? 'All polls' : 'Your polls'}</h2>
<form method="post" action="/admin/polls" class="row new-poll">
${csrfField(frame.csrf)}
<label class="visually-hidden" for="poll-title">Title of a new poll</label>
<input id="poll-title" name="title" maxlength="120" required placeholder="Title, e.g. Monday all-hands" value="${view.newPollTitle ?? ''}">
<button type="submit" class="primary">New poll</button>
</form>
${
  view.polls.length === 0
    ? html`<p class="hint">No polls yet. Give your first one a title above.</p>`
    : html`<ul class="poll-list">
${view.polls.map(
  (poll) => html`<li><a href="${pollPaths(poll.code).admin}"><strong>${poll.title}</strong></a>
<span class="code">${poll.code === DEFAULT_POLL_CODE ? 'default' : poll.code}</span>${poll.hasOwner ? '' : html` <span class="badge">quick poll</span>`}
<span class="hint">${poll.questionCount} ${poll.questionCount === 1 ? 'question' : 'questions'}${poll.liveQuestion ? html` · live: ${poll.liveQuestion}` : ''}</span></li>`,
)}
</ul>`
}
</section>`;
}

export function dashboardPage(frame: AdminFrame, view: DashboardView): string {
  return adminShell(frame, {
    title: view.panel ? view.panel.poll.title : 'Polls',
    script: 'admin',
    notice: view.notice,
    error: view.error,
    body: view.panel
      ? html`${pollPanel(view.panel, frame.csrf)}${view.panel.poll.code === DEFAULT_POLL_CODE ? pollList(view, frame) : html`<p class="secondary-link"><a href="/admin">← All polls</a></p>`}`
      : pollList(view, frame),
  });
}
