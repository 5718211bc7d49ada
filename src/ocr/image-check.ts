import { imageSize } from 'image-size';
import sharp from 'sharp';
import { AppError } from '../errors.js';
import { heifComplete, pngComplete } from './complete-file.js';
import type { ImageInput, ImageMimeType } from './provider.js';

// Bounds decoding memory: 40 million pixels is a 50 MP phone photo's neighbour, and far more
// than any question needs.
export const MAX_IMAGE_PIXELS = 40_000_000;

// Each upload is decoded once, to check it: libvips' cache of recent operations would only hold memory.
sharp.cache(false);

// image-size names a HEIF file by its brand; `heic` and `heix` are HEVC still images.
const mimeOfDetectedType: Record<string, ImageMimeType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  heic: 'image/heic',
  heix: 'image/heic',
};

/**
 * Identifies an upload by its bytes (never by its name or declared type) and checks its
 * dimensions from the header alone, before anything decodes it.
 */
export function inspectImage(bytes: Buffer, field: string, accepted: ReadonlySet<ImageMimeType>): ImageInput {
  let detected: { type?: string; width?: number; height?: number };
  try {
    detected = imageSize(ownMemory(bytes));
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

/**
 * The bytes in memory of their own. image-size reads through a DataView of the whole underlying
 * ArrayBuffer: for an upload that shares one (Node pools small buffers) and whose header is cut
 * short, it would read on into other memory and report what it found there as dimensions.
 */
function ownMemory(bytes: Buffer): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

/**
 * The header check, then proof that the whole image is there, before any OCR engine (or a paid
 * API) sees it: a damaged or truncated upload is refused with a request to send it again.
 */
export async function checkImage(
  bytes: Buffer,
  field: string,
  accepted: ReadonlySet<ImageMimeType>,
): Promise<ImageInput> {
  const image = inspectImage(bytes, field, accepted);
  if (!(await isWhole(image))) {
    throw new AppError(
      'image_unreadable',
      `The ${field} is damaged or incomplete (was its upload cut short?); upload it again.`,
    );
  }
  return image;
}

async function isWhole({ bytes, mimeType }: ImageInput): Promise<boolean> {
  // libvips here has no HEVC decoder: a HEIC file gets a check of its structure only.
  if (mimeType === 'image/heic') return heifComplete(bytes);
  if (mimeType === 'image/png' && !pngComplete(bytes)) return false;
  try {
    // Damage shows only once every pixel is decoded; keeping a single channel of them takes about
    // half the memory of a full copy. `failOn: 'error'` refuses truncated or corrupt pixel data and
    // lets through what decoders merely warn about (an odd colour profile), which OCR reads fine.
    await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS }).extractChannel(0).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}
