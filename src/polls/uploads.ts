import { finished } from 'node:stream';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { OcrChoice } from '../plugins/ocr.js';
import { megabytes } from '../views/format.js';
import { hasOptions, KINDS_WITH_OPTIONS } from './kinds/index.js';
import type { ImageUploads, QuestionShape } from './service.js';

const FILE_FIELDS = ['question_image', 'options_image'] as const;
type FileField = (typeof FILE_FIELDS)[number];

const isFileField = (name: string): name is FileField => (FILE_FIELDS as readonly string[]).includes(name);

/** The error for an image past the size limit, naming which image. */
const tooLargeError = (field: FileField, size: string) =>
  field === 'question_image'
    ? new AppError('image_too_large', 'organizer.errors.questionImageTooLarge', { size })
    : new AppError('image_too_large', 'organizer.errors.optionsImageTooLarge', { size });

const TEXT_FIELDS = new Set(['activate', 'ocr', 'kind', 'correct', 'language']);
// A Tesseract language code ("fra", "chi_sim"); the engine says whether it reads it.
const LANGUAGE_CODE = /^[a-z_]{3,10}$/;
/** The form's CSRF token, which a browser sends before the files because the form puts it first. */
const CSRF_FIELD = '_csrf';
const NO = ['false', '0', 'off', 'no'];
const OCR_CHOICES: Record<string, OcrChoice> = { configured: 'configured', local: 'local' };

export interface ImageUpload {
  images: ImageUploads;
  /** Whether the new question goes live at once (field `activate`, default true). */
  activate: boolean;
  /** Which engine reads the images (field `ocr`: `configured`, the default, or `local`). */
  ocr: OcrChoice;
  /** What the question becomes (fields `kind`, a kind with options, and `correct`, the right options' places). */
  shape: QuestionShape;
  /** The language the images are written in (field `language`, a Tesseract code); none: the engine's default. */
  language: string | undefined;
}

/**
 * Reads the two image files of a multipart upload into memory, stopping as soon as one is
 * larger than the limit, and its two choices. A form that owes a CSRF token is refused at its
 * first file unless the token came first: no file of a forged form is read, nor reaches OCR.
 */
export async function readImageUpload(request: FastifyRequest, maxBytes: number): Promise<ImageUpload> {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_media_type', 'organizer.errors.notMultipart');
  }
  // Said now, in the request's language: the parser's events that find an image too large are not.
  const limit = megabytes(maxBytes);
  const files: Partial<Record<FileField, Buffer>> = {};
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.valueTruncated || part.fieldnameTruncated) {
          throw new AppError('payload_too_large', 'organizer.errors.fieldTooLong', { field: part.fieldname });
        }
        const value = typeof part.value === 'string' ? part.value : undefined;
        if (part.fieldname === CSRF_FIELD) request.server.checkCsrfField(request, value);
        else if (value !== undefined) fields[part.fieldname] = value;
        continue;
      }
      if (request.csrfDue !== null) {
        // No token before this file: it is dropped unread and the form refused.
        part.file.resume();
        request.server.checkCsrfField(request);
      }
      if (!isFileField(part.fieldname)) {
        part.file.resume();
        throw new AppError('bad_request', 'organizer.errors.unexpectedFile', { field: part.fieldname });
      }
      const field = part.fieldname;
      files[field] = await readFile(part.file, () => tooLargeError(field, limit));
    }
  } catch (error) {
    throw asUploadError(error);
  }
  request.server.checkCsrfField(request);
  const unknown = Object.keys(fields).find((name) => !TEXT_FIELDS.has(name));
  if (unknown !== undefined) {
    throw new AppError('validation_failed', 'organizer.errors.unknownField', { field: unknown.slice(0, 64) });
  }
  const { question_image: question, options_image: options } = files;
  if (!question?.length) throw new AppError('validation_failed', 'organizer.errors.noQuestionImage');
  if (!options?.length) throw new AppError('validation_failed', 'organizer.errors.noOptionsImage');
  const ocr = OCR_CHOICES[fields.ocr ?? 'configured'];
  if (!ocr) throw new AppError('validation_failed', 'organizer.errors.ocrChoice');
  const language = fields.language || undefined;
  if (language !== undefined && !LANGUAGE_CODE.test(language)) {
    throw new AppError('validation_failed', 'organizer.errors.uploadLanguage');
  }
  return {
    images: { question, options },
    activate: !NO.includes(fields.activate ?? 'true'),
    ocr,
    shape: shapeOf(fields.kind, fields.correct),
    language,
  };
}

/** The kind and the right options an upload asks for; a question read from images has options. */
function shapeOf(kind: string | undefined, correct: string | undefined): QuestionShape {
  if (kind !== undefined && !hasOptions(kind)) {
    throw new AppError('validation_failed', 'organizer.errors.uploadKind', { kinds: KINDS_WITH_OPTIONS.join(', ') });
  }
  const places = correct?.trim() ? correct.split(',').map((place) => place.trim()) : [];
  if (places.some((place) => !/^\d{1,2}$/.test(place))) {
    throw new AppError('validation_failed', 'organizer.errors.correctPlaces');
  }
  return { kind: kind ?? 'choice', ...(places.length > 0 ? { correct: places.map(Number) } : {}) };
}

/**
 * A file's bytes. Past the size limit the parser stops passing bytes on but waits for the part
 * to end; this answers at once instead, so an oversized upload is refused while it streams.
 */
function readFile(file: MultipartFile['file'], tooLarge: () => AppError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.once('limit', () => reject(tooLarge()));
    // Also settles for a part the parser already failed (a body cut short) before it was read.
    finished(file, (error) => {
      if (error) reject(error);
      else if (file.truncated) reject(tooLarge());
      else resolve(Buffer.concat(chunks));
    });
  });
}

const TOO_MANY_PARTS = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT']);

/**
 * Reading a multipart body fails only through the body or its connection (no boundary, a
 * missing end, a dropped upload): the client's error, never a 500.
 */
function asUploadError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (TOO_MANY_PARTS.has((error as { code?: string }).code ?? '')) {
    return new AppError('payload_too_large', 'organizer.errors.tooManyParts');
  }
  return new AppError('bad_request', 'organizer.errors.badMultipart', {}, { cause: error });
}
