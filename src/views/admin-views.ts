import type { QuestionView } from '../realtime/messages.js';
import { megabytes } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { pollPaths, resultsBlock } from './poll-views.js';

export interface AdminView {
  username: string;
  csrf: string;
  poll: { code: string; title: string };
  questions: QuestionView[];
  /** The question to check and correct: the one just read from images, else the live one. */
  review: QuestionView | null;
  notice?: string | undefined;
  error?: string | undefined;
  maxImageBytes: number;
  ocrProvider: string;
}

const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

function statusBadge(status: QuestionView['status']): SafeHtml {
  return html`<span class="badge badge-${status}">${status}</span>`;
}

function uploadForm(view: AdminView): SafeHtml {
  return html`<section class="card" aria-labelledby="upload-title">
<h2 id="upload-title">New question from two images</h2>
<p class="hint">A photo or screenshot of the question, and one of its answer options. PNG, JPEG or WebP, up to ${megabytes(view.maxImageBytes)} each. Text is read by ${view.ocrProvider === 'gemini' ? 'Google Gemini' : 'local OCR'}.</p>
<form id="upload-form" method="post" enctype="multipart/form-data" data-max-bytes="${view.maxImageBytes}" action="/admin/questions/from-images?_csrf=${encodeURIComponent(view.csrf)}">
<label for="question_image">Question image</label>
<input id="question_image" name="question_image" type="file" accept="image/png,image/jpeg,image/webp,image/heic" required>
<label for="options_image">Options image</label>
<input id="options_image" name="options_image" type="file" accept="image/png,image/jpeg,image/webp,image/heic" required>
<input type="hidden" name="activate" value="false">
<label class="inline"><input type="checkbox" name="activate" value="true" checked> Make it the live question</label>
<button type="submit" class="primary">Read images and create question</button>
<div id="upload-progress" class="progress" hidden>
<progress max="100"></progress>
<p role="status" aria-live="polite"></p>
</div>
</form>
</section>`;
}

function reviewForm(question: QuestionView, csrf: string): SafeHtml {
  const locked = question.totalVotes > 0;
  return html`<section class="card" id="review" aria-labelledby="review-title">
<h2 id="review-title">Check and correct ${statusBadge(question.status)}</h2>
<form method="post" action="/admin/questions/${question.id}/edit" class="edit-form">
${csrfField(csrf)}
<label for="edit-text">Question</label>
<textarea id="edit-text" name="text" rows="2" maxlength="500" required>${question.text}</textarea>
<fieldset><legend>Options${locked ? ' (votes exist: options can be reworded, not added or removed)' : ''}</legend>
${question.options.map(
  (option, i) => html`<label class="visually-hidden" for="edit-option-${i}">Option ${i + 1}</label>
<input id="edit-option-${i}" name="options" value="${option.text}" maxlength="200" required>`,
)}
</fieldset>
<button type="submit" class="primary">Save changes</button>
</form>
</section>`;
}

function liveCard(question: QuestionView | undefined, code: string): SafeHtml {
  if (!question) {
    return html`<section class="card"><h2>Live question</h2><p class="hint">No question is live. Upload two images or activate one below.</p></section>`;
  }
  return html`<section class="card" aria-labelledby="live-title">
<h2 id="live-title">Live now</h2>
<p class="question-text">${question.text}</p>
${resultsBlock(question)}
<p class="hint">Voters: <a href="${pollPaths(code).vote}">${pollPaths(code).vote}</a> · Screen: <a href="${pollPaths(code).results}">${pollPaths(code).results}</a></p>
</section>`;
}

function questionList(questions: QuestionView[], csrf: string): SafeHtml {
  if (questions.length === 0) return html`<p class="hint">No questions yet.</p>`;
  const action = (question: QuestionView, name: string, label: string, cls = '') =>
    html`<form method="post" action="/admin/questions/${question.id}/${name}" class="inline-form">${csrfField(csrf)}<button type="submit" class="${cls}">${label}</button></form>`;
  return html`<ul class="question-list">
${questions.map(
  (question) => html`<li>
<div><span class="question-text">${question.text}</span> ${statusBadge(question.status)} <span class="hint">${question.totalVotes} ${question.totalVotes === 1 ? 'vote' : 'votes'}</span></div>
<div class="actions">
<a href="/admin?review=${question.id}#review">Edit</a>
${question.status === 'live' ? action(question, 'close', 'Close') : action(question, 'activate', question.status === 'closed' ? 'Reopen' : 'Make live')}
${action(question, 'delete', 'Delete', 'danger')}
</div>
</li>`,
)}
</ul>`;
}

export function adminPage(view: AdminView): string {
  const live = view.questions.find((question) => question.status === 'live');
  return layout({
    title: 'Admin',
    script: 'admin',
    bodyClass: 'admin',
    body: html`<header class="bar-top"><a href="/" class="brand">Pollcast</a><span>Signed in as <strong>${view.username}</strong></span>
<form method="post" action="/admin/logout" class="inline-form">${csrfField(view.csrf)}<button type="submit" class="link">Sign out</button></form></header>
<main class="wide" id="admin" data-poll-code="${view.poll.code}" data-csrf="${view.csrf}">
${view.notice ? html`<p class="notice success" role="status">${view.notice}</p>` : ''}
${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : ''}
<div class="grid">
<div>${uploadForm(view)}${view.review ? reviewForm(view.review, view.csrf) : ''}</div>
<div id="live" data-poll-code="${view.poll.code}" data-question-id="${live?.id ?? ''}" data-version="${live?.version ?? 0}">${liveCard(live, view.poll.code)}</div>
</div>
<section class="card"><h2>Questions</h2>${questionList(view.questions, view.csrf)}</section>
</main>`,
  });
}
