import Type, { type TOptional, type TSchema } from 'typebox';
import { AppError } from '../errors.js';
import { DEFAULT_KIND, KIND_NAMES } from '../polls/kinds/index.js';
import { kindSettingFields, templatesNamed } from '../polls/kinds/templates.js';
import type { NewQuestionFields } from '../polls/schemas.js';
import { MAX_TIMER_SEC, MIN_TIMER_SEC } from '../polls/timer-limits.js';
import { CONFIRM_FIELD } from './confirm-field.js';

/** A page form's parsed body: each field a string, an array of strings when repeated, or absent. */
export type FormBody = Record<string, unknown> | undefined;

/** One text field, cut to a bound before anything else reads it; absent or repeated gives ''. */
export function formText(body: FormBody, name: string, max: number): string {
  const value = body?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** The option rows of a posted form as they were, blank rows included: `options` repeated. */
export function postedRows(body: FormBody, max: number): string[] {
  const value = body?.options;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string').slice(0, max);
}

/** The option texts of a posted form, blank rows dropped. */
export function postedOptions(body: FormBody, max: number): string[] {
  return postedRows(body, max).filter((row) => row.trim() !== '');
}

/** The kind's fields of a posted question form, with its options where it has some, as the JSON API takes them. */
export function postedQuestionFields(body: FormBody): Omit<NewQuestionFields, 'text'> {
  const named = formText(body, 'kind', 16);
  const kind = named ? KIND_NAMES.find((name) => name === named) : DEFAULT_KIND;
  if (!kind) throw new AppError('validation_failed', 'organizer.form.pickKind');
  const { typedOptions, settings } = templatesNamed(kind);
  // Option rows left filled in after picking a kind without options are not its options.
  const options = typedOptions ? { options: postedOptions(body, 40) } : {};
  return { kind, ...options, ...settings?.read(postedKindDraft(body).settings) };
}

/** A countdown's length as a form posts it, held to the same bounds as the API's. */
export function formSeconds(posted: string): number {
  const seconds = /^\d{1,5}$/.test(posted.trim()) ? Number(posted.trim()) : Number.NaN;
  if (!(seconds >= MIN_TIMER_SEC && seconds <= MAX_TIMER_SEC)) {
    throw new AppError('validation_failed', 'organizer.form.countdownBounds', {
      min: MIN_TIMER_SEC,
      max: MAX_TIMER_SEC,
    });
  }
  return seconds;
}

/** The kind fields of a question form, to show again. */
export const postedKindDraft = (body: FormBody) => ({
  kind: formText(body, 'kind', 16),
  settings: Object.fromEntries(
    Object.entries(kindSettingFields).map(([name, max]) => [name, formText(body, name, max)]),
  ),
});

// Page routes are validated by schema for shape and size only: what a value means (a wrong
// password, an unknown option, a blank title) is decided by the domain rules, whose message is
// shown on the page itself with the form kept. Unknown fields are dropped.
/** Optional text fields, each with its length bound. */
const textFields = (fields: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(fields).map(([name, maxLength]) => [name, Type.Optional(Type.String({ maxLength }))]),
  );

/** A page form's body schema: the named text fields (all optional) and the CSRF token, which only a body carries. */
export function formSchema(fields: Record<string, number>, extra: Record<string, TOptional<TSchema>> = {}) {
  return Type.Object({ ...textFields({ _csrf: 200, ...fields }), ...extra }, { additionalProperties: false });
}

/** Repeated `options` rows; a single row arrives as a string. */
const optionRow = Type.String({ maxLength: 5000 });
export const optionRowsField = {
  options: Type.Optional(Type.Union([optionRow, Type.Array(optionRow, { maxItems: 100 })])),
};

/** A page's query string: the named parameters, each a bounded string; others are ignored. */
export function querySchema(fields: Record<string, number>) {
  return Type.Object(textFields(fields));
}

export const PageQuestionParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,10}$' }) });

/** The body of a destructive form: nothing but the CSRF token and, once asked, the confirmation. */
export const confirmable = formSchema({ [CONFIRM_FIELD]: 8 });

/** Whether a destructive form was confirmed (in the dialog, or on the confirmation page). */
export const isConfirmed = (body: FormBody) => body?.[CONFIRM_FIELD] === 'yes';
