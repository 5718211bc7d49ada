import { AppError } from '../errors.js';
import type { OcrReading } from '../ocr/provider.js';
import { cleanText, MAX_OPTION_CHARS, MAX_QUESTION_CHARS } from '../ocr/text.js';

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;

export interface QuestionDraft {
  text: string;
  options: string[];
}

/** A typed or edited question: cleaned, then held to the same rules as one read from images. */
export function draftFromInput(input: { text: string; options: readonly string[] }): QuestionDraft {
  const text = cleanText(input.text, MAX_QUESTION_CHARS + 1);
  const options = input.options.map((option) => cleanText(option, MAX_OPTION_CHARS + 1));
  if (!text) throw new AppError('validation_failed', 'The question needs some text.');
  if (text.length > MAX_QUESTION_CHARS) {
    throw new AppError('validation_failed', `The question is longer than ${MAX_QUESTION_CHARS} characters.`);
  }
  if (options.some((option) => !option)) throw new AppError('validation_failed', 'Every option needs some text.');
  if (options.some((option) => option.length > MAX_OPTION_CHARS)) {
    throw new AppError('validation_failed', `Options are at most ${MAX_OPTION_CHARS} characters long.`);
  }
  if (options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
    throw new AppError('validation_failed', `A question has ${MIN_OPTIONS} to ${MAX_OPTIONS} options.`);
  }
  if (new Set(options.map((option) => option.toLowerCase())).size !== options.length) {
    throw new AppError('validation_failed', 'Two options have the same text.');
  }
  return { text, options };
}

/** What OCR read, held to the poll rules; the errors say which image to retake. */
export function draftFromReading(reading: OcrReading): QuestionDraft {
  if (!reading.question && reading.options.length === 0) {
    throw new AppError('ocr_no_text', 'No readable text was found in either image.');
  }
  if (!reading.question) throw new AppError('ocr_no_text', 'No readable text was found in the question image.');
  if (reading.options.length < MIN_OPTIONS) {
    throw new AppError(
      'ocr_too_few_options',
      `Found ${reading.options.length} option${reading.options.length === 1 ? '' : 's'} in the options image; a poll needs at least ${MIN_OPTIONS}.`,
    );
  }
  if (reading.options.length > MAX_OPTIONS) {
    throw new AppError(
      'ocr_too_many_options',
      `Found ${reading.options.length} options in the options image; a poll has at most ${MAX_OPTIONS}.`,
    );
  }
  // Duplicates from OCR are kept apart by their position rather than rejected: the admin can fix them.
  return { text: reading.question, options: reading.options };
}
