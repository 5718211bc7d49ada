import { t } from '../../../i18n/request-language.js';
import type { QuestionView } from '../../../realtime/messages.js';
import { html, type SafeHtml } from '../../../views/html.js';
import { bars } from '../bars.js';
import { optionsOf } from '../options.js';
import { answeredRight, quizField } from '../quiz.js';
import { rightOptionNumbers, rightOptionsField, typedRightOptions } from '../quiz-templates.js';
import type { KindTemplates } from '../templates.js';

/**
 * A bar per option, with its count and percent; the options the voter picked marked, and a
 * quiz's right options once they show, with whether the voter got it right.
 */
export function optionBars(question: QuestionView, picked: ReadonlySet<number>): SafeHtml {
  const quiz = quizField(question);
  const right = new Set(quiz?.correctOptionIds);
  const shown = quiz !== undefined && right.size > 0;
  return html`${quizNote(question, picked)}${bars(
    optionsOf(question).map((option) => ({
      key: html`data-option-id="${option.id}"`,
      label: option.text,
      votes: option.votes,
      percent: option.percent,
      mine: picked.has(option.id),
      right: shown ? right.has(option.id) : undefined,
    })),
  )}`;
}

/** What a quiz question's screen says: that the answer comes later, or whether this voter got it. */
function quizNote(question: QuestionView, picked: ReadonlySet<number>): SafeHtml | '' {
  const quiz = quizField(question);
  if (!quiz) return '';
  if (!quiz.revealed) {
    // Only its organizer is shown the right options before the reveal.
    return quiz.correctOptionIds.length > 0
      ? html`<p class="quiz-note hint">${t('kinds.quiz.noteToOrganizer')}</p>`
      : html`<p class="quiz-note hint">${t('kinds.quiz.noteRevealedLater')}</p>`;
  }
  const right = answeredRight(question, picked);
  if (right === undefined) return html`<p class="quiz-note">${t('kinds.quiz.noteMarked')}</p>`;
  return right
    ? html`<p class="quiz-note verdict right" role="status">${t('kinds.quiz.verdictRight')}</p>`
    : html`<p class="quiz-note verdict wrong" role="status">${t('kinds.quiz.verdictWrong')}</p>`;
}

const chosen = (mine: { option_id: number | null } | null) => new Set(mine?.option_id ? [mine.option_id] : []);

/** Single choice: one radio button per option to vote. */
export const choiceTemplates: KindTemplates = {
  get label() {
    return t('kinds.choice.label');
  },
  typedOptions: true,
  settings: {
    fields: { rightOption: 8 },
    render: (prefix, posted) =>
      rightOptionsField(prefix, 'rightOption', t('kinds.choice.rightOptionLabel'), posted.rightOption),
    read: (posted) => typedRightOptions(posted.rightOption),
    typed: (input) => ({ rightOption: rightOptionNumbers(input.correct) }),
  },
  results: (question, mine) => optionBars(question, chosen(mine)),

  answerFields: (question, mine) => html`<fieldset>
<legend class="visually-hidden">${t('kinds.choice.legend')}</legend>
${optionsOf(question).map(
  (option) =>
    html`<label class="choice"><input type="radio" name="optionId" value="${option.id}" required ${chosen(mine).has(option.id) ? html`checked` : ''}><span dir="auto">${option.text}</span></label>`,
)}
</fieldset>`,
};
