import { imageSize } from 'image-size';
import { AppError } from '../errors.js';
import type { ImageInput, ImageMimeType } from './provider.js';

// Bounds decoding memory: 40 million pixels is a 50 MP phone photo's neighbour, and far more
// than any question needs.
export const MAX_IMAGE_PIXELS = 40_000_000;

const mimeOfDetectedType: Record<string, ImageMimeType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  heif: 'image/heic',
};

/**
 * Identifies an upload by its bytes (never by its name or declared type) and checks its
 * dimensions from the header alone, before anything decodes it.
 */
export function inspectImage(bytes: Buffer, field: string, accepted: ReadonlySet<ImageMimeType>): ImageInput {
  let detected: { type?: string; width?: number; height?: number };
  try {
    detected = imageSize(bytes);
  } catch {
    throw new AppError('image_unsupported', `The ${field} is not a PNG, JPEG, WebP or HEIC image.`);
  }
  const mimeType = detected.type ? mimeOfDetectedType[detected.type] : undefined;
  if (!mimeType) {
    throw new AppError(
      'image_unsupported',
      `The ${field} is a ${detected.type ?? 'unknown'} file; use PNG, JPEG or WebP.`,
    );
  }
  if (!accepted.has(mimeType)) {
    throw new AppError(
      'image_unsupported',
      `The ${field} is ${mimeType}, which this OCR engine cannot read; use PNG or JPEG.`,
    );
  }
  const pixels = (detected.width ?? 0) * (detected.height ?? 0);
  if (pixels === 0) throw new AppError('image_unsupported', `The ${field} has no readable dimensions.`);
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new AppError(
      'image_too_large',
      `The ${field} has ${detected.width}×${detected.height} pixels; the limit is 40 megapixels.`,
    );
  }
  return { bytes, mimeType };
}
