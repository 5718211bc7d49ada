import { AppError } from '../errors.js';
import type { OcrReading } from '../ocr/provider.js';
import type { QuestionDraft } from './kinds/kind.js';
import { MAX_OPTIONS, MIN_OPTIONS } from './kinds/options.js';

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
  return { kind: 'choice', text: reading.question, options: reading.options, settings: null };
}
