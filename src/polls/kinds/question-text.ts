import { AppError } from '../../errors.js';
import { cleanText, MAX_QUESTION_CHARS } from '../../ocr/text.js';

/** A question's text, cleaned, held to the rules every kind shares. */
export function draftQuestionText(input: string): string {
  const text = cleanText(input, MAX_QUESTION_CHARS + 1);
  if (!text) throw new AppError('validation_failed', 'kinds.question.textMissing');
  if (text.length > MAX_QUESTION_CHARS) {
    throw new AppError('validation_failed', 'kinds.question.textTooLong', { max: MAX_QUESTION_CHARS });
  }
  return text;
}
