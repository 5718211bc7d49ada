import { AppError } from '../errors.js';
import type { OcrReading } from '../ocr/provider.js';
import type { QuestionDraft } from './kinds/kind.js';
import { MAX_OPTIONS, MIN_OPTIONS } from './kinds/options.js';

/** What OCR read, held to the poll rules; the errors say which image to retake. */
export function draftFromReading(reading: OcrReading): QuestionDraft {
  if (!reading.question && reading.options.length === 0) {
    throw new AppError('ocr_no_text', 'organizer.errors.ocrNoText');
  }
  if (!reading.question) throw new AppError('ocr_no_text', 'organizer.errors.ocrNoQuestion');
  if (reading.options.length < MIN_OPTIONS) {
    throw new AppError('ocr_too_few_options', 'organizer.errors.ocrTooFewOptions', {
      count: reading.options.length,
      min: MIN_OPTIONS,
    });
  }
  if (reading.options.length > MAX_OPTIONS) {
    throw new AppError('ocr_too_many_options', 'organizer.errors.ocrTooManyOptions', {
      count: reading.options.length,
      max: MAX_OPTIONS,
    });
  }
  // Duplicates from OCR are kept apart by their position rather than rejected: the admin can fix them.
  return { kind: 'choice', text: reading.question, options: reading.options, settings: null };
}
