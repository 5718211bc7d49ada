import { AppError } from '../errors.js';
import type { MessageKey } from '../i18n/catalogs.js';
import type { MessageValues } from '../i18n/translate.js';

/**
 * A whole number typed into a form field, undefined when left empty; the message (a catalog key,
 * with its values) says what the field wants.
 */
export function typedWholeNumber(
  typed: string | undefined,
  messageKey: MessageKey,
  values: MessageValues = {},
): number | undefined {
  const text = typed?.trim() ?? '';
  if (!text) return undefined;
  if (!/^\d{1,3}$/.test(text)) throw new AppError('validation_failed', messageKey, values);
  return Number(text);
}
