import { AppError } from '../errors.js';

/** A whole number typed into a form field, undefined when left empty; `message` says what the field wants. */
export function typedWholeNumber(typed: string | undefined, message: string): number | undefined {
  const text = typed?.trim() ?? '';
  if (!text) return undefined;
  if (!/^\d{1,3}$/.test(text)) throw new AppError('validation_failed', message);
  return Number(text);
}
