import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { OcrChoice } from '../plugins/ocr.js';
import { megabytes } from '../views/format.js';
import type { ImageUploads } from './service.js';

const FIELDS = { question_image: 'question image', options_image: 'options image' } as const;
type FileField = keyof typeof FIELDS;

const isFileField = (name: string): name is FileField => name in FIELDS;

const NO = ['false', '0', 'off', 'no'];
const OCR_CHOICES: Record<string, OcrChoice> = { configured: 'configured', local: 'local' };

export interface ImageUpload {
  images: ImageUploads;
  /** Whether the new question goes live at once (field `activate`, default true). */
  activate: boolean;
  /** Which engine reads the images (field `ocr`: `configured`, the default, or `local`). */
  ocr: OcrChoice;
}

/**
 * Reads the two image files of a multipart upload into memory, stopping as soon as one is
 * larger than the limit, and its two choices.
 */
export async function readImageUpload(request: FastifyRequest, maxBytes: number): Promise<ImageUpload> {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_media_type', 'Send the images as multipart/form-data.');
  }
  const files: Partial<Record<FileField, Buffer>> = {};
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    if (!isFileField(part.fieldname)) {
      part.file.resume();
      throw new AppError(
        'bad_request',
        `Unexpected file field "${part.fieldname}"; send question_image and options_image.`,
      );
    }
    try {
      files[part.fieldname] = await part.toBuffer();
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('image_too_large', `The ${FIELDS[part.fieldname]} is larger than ${megabytes(maxBytes)}.`);
      }
      throw error;
    }
  }
  const { question_image: question, options_image: options } = files;
  if (!question?.length) throw new AppError('validation_failed', 'Choose a question image (question_image).');
  if (!options?.length) throw new AppError('validation_failed', 'Choose an options image (options_image).');
  const ocr = OCR_CHOICES[fields.ocr ?? 'configured'];
  if (!ocr) throw new AppError('validation_failed', 'ocr must be "configured" or "local".');
  return { images: { question, options }, activate: !NO.includes(fields.activate ?? 'true'), ocr };
}
