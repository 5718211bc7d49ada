import type { QuestionView } from '../../realtime/messages.js';
import type { SafeHtml } from '../../views/html.js';
import { choiceTemplates } from './choice/templates.js';
import type { KindName } from './index.js';
import type { StoredAnswer } from './kind.js';
import { multiTemplates } from './multi/templates.js';

/** How a kind of question shows on the pages; the pages give the frame (heading, total, buttons). */
export interface KindTemplates {
  /** What the organizer picks when typing a question. */
  label: string;
  /** The results, with the voter's own answer marked: the page script updates their figures in place. */
  results(question: QuestionView, mine: StoredAnswer | null): SafeHtml;
  /** The vote form's inputs, which work without JavaScript; the voter's answer picked when they change it. */
  answerFields(question: QuestionView, mine: StoredAnswer | null): SafeHtml;
}

const templates: Record<KindName, KindTemplates> = { choice: choiceTemplates, multi: multiTemplates };

export const templatesOf = (question: QuestionView): KindTemplates => templates[question.kind];

/** Every kind the organizer may type, with its label, in the order the forms list them. */
export const kindChoices = Object.entries(templates).map(([name, { label }]) => ({ name, label }));
