import { t } from '../i18n/request-language.js';
import { MAX_WORD_CHARS } from '../polls/kinds/wordcloud/kind.js';
import type { HiddenBy, HiddenList } from '../polls/moderation.js';
import type { QuestionView } from '../realtime/messages.js';
import { csrfField } from './admin-shell.js';
import { formatNumber } from './format.js';
import { html, type SafeHtml } from './html.js';

// The organizer's moderation of the current question, under its live results: words of a cloud
// and open answers to hide from every screen, and what is hidden, to show again.

const whoHid = (by: HiddenBy) =>
  by === 'filter' ? t('organizer.moderation.hiddenByFilter') : t('organizer.moderation.hiddenByYou');

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
<label class="visually-hidden" for="hide-word">${t('organizer.moderation.wordToHide')}</label>
<input id="hide-word" name="text" maxlength="${MAX_WORD_CHARS}" required autocomplete="off" placeholder="${t('organizer.moderation.wordPlaceholder')}" dir="auto">
<button type="submit">${t('organizer.moderation.hideWord')}</button>
</form>
${
  hidden.words.length === 0
    ? html`<p class="hint">${t('organizer.moderation.noHiddenWord')}</p>`
    : html`<ul class="hidden-list" aria-label="${t('organizer.moderation.hiddenWords')}">${hidden.words.map(
        (word, i) =>
          html`<li><span id="hidden-word-${i}"><span class="hidden-text" dir="auto">${word.text}</span> <span class="hint">${formatNumber(word.count)} · ${whoHid(word.by)}</span></span>
${toggle(question.id, 'show', html`<input type="hidden" name="text" value="${word.text}">`, t('organizer.moderation.showAgain'), `hidden-word-${i}`, csrf)}</li>`,
      )}</ul>`
}`;
}

function answerModeration(question: QuestionView, hidden: HiddenList, csrf: string): SafeHtml {
  const shown = question.kind === 'text' ? question.answers : [];
  const answerField = (id: number) => html`<input type="hidden" name="answerId" value="${id}">`;
  // New answers do not push the buttons about under the organizer's pointer: the page script
  // offers them, to take when ready.
  return html`<p class="newer-answers" hidden><button type="button" data-show-newer>${t('organizer.moderation.newerAnswers')}</button></p>
${
  shown.length === 0
    ? html`<p class="hint">${t('organizer.moderation.noAnswers')}</p>`
    : html`<ul class="hidden-list" aria-label="${t('organizer.moderation.latestAnswers')}">${shown.map(
        (answer) =>
          html`<li data-answer-id="${answer.id}"><span id="answer-${answer.id}" class="hidden-text" dir="auto">${answer.text}</span>
${toggle(question.id, 'hide', answerField(answer.id), t('organizer.moderation.hide'), `answer-${answer.id}`, csrf)}</li>`,
      )}</ul>`
}
${
  hidden.answers.length === 0
    ? ''
    : html`<h4>${t('organizer.moderation.hiddenAnswers')}</h4><ul class="hidden-list" aria-label="${t('organizer.moderation.hiddenAnswers')}">${hidden.answers.map(
        (answer) =>
          html`<li><span id="hidden-answer-${answer.id}"><span class="hidden-text" dir="auto">${answer.text}</span> <span class="hint">${whoHid(answer.by)}</span></span>
${toggle(question.id, 'show', answerField(answer.id), t('organizer.moderation.showAgain'), `hidden-answer-${answer.id}`, csrf)}</li>`,
      )}</ul>`
}`;
}

/** The moderation of a word cloud or an open question; nothing for the kinds with nothing to hide. */
export function moderationPanel(question: QuestionView, hidden: HiddenList | undefined, csrf: string): SafeHtml | '' {
  if (!hidden || (question.kind !== 'wordcloud' && question.kind !== 'text')) return '';
  return html`<section class="moderation" aria-labelledby="moderation-title" data-moderation>
<h3 id="moderation-title">${t('organizer.moderation.title')}</h3>
<p class="hint">${t('organizer.moderation.hint')}</p>
${question.kind === 'wordcloud' ? wordModeration(question, hidden, csrf) : answerModeration(question, hidden, csrf)}
</section>`;
}
