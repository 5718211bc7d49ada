import type { QuestionView } from '../../realtime/messages.js';
import type { SafeHtml } from '../../views/html.js';
import type { NewQuestionFields } from '../schemas.js';
import { choiceTemplates } from './choice/templates.js';
import type { KindName } from './index.js';
import type { StoredAnswer } from './kind.js';
import { multiTemplates } from './multi/templates.js';
import { rankingTemplates } from './ranking/templates.js';
import { ratingTemplates } from './rating/templates.js';
import { textTemplates } from './text/templates.js';
import { wordcloudTemplates } from './wordcloud/templates.js';

/** A kind's settings on the typed-question forms, which work without JavaScript. */
export interface KindFormSettings {
  /** The form fields, by name, each with its length bound. */
  fields: Record<string, number>;
  /** The inputs, holding what was posted; ids start with `prefix`, as a page may hold two forms. */
  render(prefix: string, posted: Readonly<Record<string, string>>): SafeHtml;
  /** The posted fields as the JSON API takes them; a `validation_failed` error says what is wrong. */
  read(posted: Readonly<Record<string, string>>): Partial<NewQuestionFields>;
  /** The fields as a stored question fills them, for a kind the review step offers (one with options). */
  typed?(input: NewQuestionFields): Record<string, string>;
}

/** How a kind of question shows on the pages; the pages give the frame (heading, total, buttons). */
export interface KindTemplates {
  /** What the organizer picks when typing a question: read when a page shows it, in that page's language. */
  readonly label: string;
  /** Whether a typed question of this kind has answer options: the form's option rows. */
  typedOptions: boolean;
  /** The typed-question form's own settings of this kind, if it has some. */
  settings?: KindFormSettings;
  /** The results, with the voter's own answer marked: the page script updates their figures in place. */
  results(question: QuestionView, mine: StoredAnswer | null): SafeHtml;
  /** The vote form's inputs, which work without JavaScript; the voter's answer picked when they change it. */
  answerFields(question: QuestionView, mine: StoredAnswer | null): SafeHtml;
}

const templates: Record<KindName, KindTemplates> = {
  choice: choiceTemplates,
  multi: multiTemplates,
  rating: ratingTemplates,
  ranking: rankingTemplates,
  wordcloud: wordcloudTemplates,
  text: textTemplates,
};

export const templatesOf = (question: QuestionView): KindTemplates => templates[question.kind];

/**
 * Every kind the organizer may type, with its form, in the order the forms list them. Each is its
 * kind's templates with a name (not a copy, which would read each label once, at start).
 */
export const kindChoices = (Object.keys(templates) as KindName[]).map(
  (name) =>
    Object.assign(Object.create(templates[name]) as KindTemplates, { name }) as KindTemplates & { name: KindName },
);

export const templatesNamed = (name: KindName): KindTemplates => templates[name];

/** Every kind's form settings' fields, by name, with their length bounds. */
export const kindSettingFields: Record<string, number> = Object.assign(
  {},
  ...kindChoices.map((kind) => kind.settings?.fields ?? {}),
);

/** The settings' fields of the form as a stored question of its kind fills them. */
export const typedSettings = (input: NewQuestionFields): Record<string, string> =>
  templatesNamed(input.kind ?? 'choice').settings?.typed?.(input) ?? {};
