import { MAX_WORD_CHARS } from '../polls/kinds/wordcloud/kind.js';
import type { HiddenBy, HiddenList } from '../polls/moderation.js';
import type { QuestionView } from '../realtime/messages.js';
import { csrfField } from './admin-shell.js';
import { html, type SafeHtml } from './html.js';

// The organizer's moderation of the current question, under its live results: words of a cloud
// and open answers to hide from every screen, and what is hidden, to show again.

const whoHid = (by: HiddenBy) => (by === 'filter' ? 'hidden by the profanity filter' : 'hidden by you');

/** A form of one button that hides or shows one word or answer. */
function toggle(
  questionId: number,
  action: 'hide' | 'show',
  field: SafeHtml,
  label: string,
  describedBy: string,
  csrf: string,
) {
  return html`<form method="post" action="/admin/questions/${questionId}/${action}" class="inline-form">${csrfField(csrf)}${field}<button type="submit" aria-describedby="${describedBy}">${label}</button></form>`;
}

function wordModeration(question: QuestionView, hidden: HiddenList, csrf: string): SafeHtml {
  return html`<form method="post" action="/admin/questions/${question.id}/hide" class="row hide-word">
${csrfField(csrf)}
<label class="visually-hidden" for="hide-word">Word to hide</label>
<input id="hide-word" name="text" maxlength="${MAX_WORD_CHARS}" required autocomplete="off" placeholder="A word to hide">
<button type="submit">Hide word</button>
</form>
${
  hidden.words.length === 0
    ? html`<p class="hint">No word is hidden.</p>`
    : html`<ul class="hidden-list" aria-label="Hidden words">${hidden.words.map(
        (word, i) =>
          html`<li><span id="hidden-word-${i}"><span class="hidden-text">${word.text}</span> <span class="hint">${word.count} · ${whoHid(word.by)}</span></span>
${toggle(question.id, 'show', html`<input type="hidden" name="text" value="${word.text}">`, 'Show again', `hidden-word-${i}`, csrf)}</li>`,
      )}</ul>`
}`;
}

function answerModeration(question: QuestionView, hidden: HiddenList, csrf: string): SafeHtml {
  const shown = question.kind === 'text' ? question.answers : [];
  const answerField = (id: number) => html`<input type="hidden" name="answerId" value="${id}">`;
  // New answers do not push the buttons about under the organizer's pointer: the page script
  // offers them, to take when ready.
  return html`<p class="newer-answers" hidden><button type="button" data-show-newer>Newer answers have arrived: list them</button></p>
${
  shown.length === 0
    ? html`<p class="hint">No answers on the screens yet.</p>`
    : html`<ul class="hidden-list" aria-label="Latest answers on the screens">${shown.map(
        (answer) =>
          html`<li data-answer-id="${answer.id}"><span id="answer-${answer.id}" class="hidden-text">${answer.text}</span>
${toggle(question.id, 'hide', answerField(answer.id), 'Hide', `answer-${answer.id}`, csrf)}</li>`,
      )}</ul>`
}
${
  hidden.answers.length === 0
    ? ''
    : html`<h4>Hidden answers</h4><ul class="hidden-list" aria-label="Hidden answers">${hidden.answers.map(
        (answer) =>
          html`<li><span id="hidden-answer-${answer.id}"><span class="hidden-text">${answer.text}</span> <span class="hint">${whoHid(answer.by)}</span></span>
${toggle(question.id, 'show', answerField(answer.id), 'Show again', `hidden-answer-${answer.id}`, csrf)}</li>`,
      )}</ul>`
}`;
}

/** The moderation of a word cloud or an open question; nothing for the kinds with nothing to hide. */
export function moderationPanel(question: QuestionView, hidden: HiddenList | undefined, csrf: string): SafeHtml | '' {
  if (!hidden || (question.kind !== 'wordcloud' && question.kind !== 'text')) return '';
  return html`<section class="moderation" aria-labelledby="moderation-title" data-moderation>
<h3 id="moderation-title">Moderation</h3>
<p class="hint">What you hide leaves every screen at once; its votes still count.</p>
${question.kind === 'wordcloud' ? wordModeration(question, hidden, csrf) : answerModeration(question, hidden, csrf)}
</section>`;
}
