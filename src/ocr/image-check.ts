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
 * Which image a field is, as the messages name it (`question image`, `options image`, else `image`):
 * a choice of the messages, so that each language words the whole sentence for that image.
 */
function imageOf(field: string): 'question' | 'options' | 'other' {
  if (field === 'question image') return 'question';
  if (field === 'options image') return 'options';
  return 'other';
}

/**
 * Identifies an upload by its bytes (never by its name or declared type) and checks its
 * dimensions from the header alone, before anything decodes it.
 */
export function inspectImage(bytes: Buffer, field: string, accepted: ReadonlySet<ImageMimeType>): ImageInput {
  const image = imageOf(field);
  let detected: { type?: string; width?: number; height?: number };
  try {
    detected = imageSize(ownMemory(bytes));
  } catch {
    throw new AppError('image_unsupported', 'infra.image.notAnImage', { image });
  }
  const mimeType = detected.type ? mimeOfDetectedType[detected.type] : undefined;
  if (!mimeType) {
    throw detected.type
      ? new AppError('image_unsupported', 'infra.image.otherType', { image, type: detected.type })
      : new AppError('image_unsupported', 'infra.image.unknownType', { image });
  }
  if (!accepted.has(mimeType)) {
    throw new AppError('image_unsupported', 'infra.image.engineCannotRead', { image, type: mimeType });
  }
  const pixels = (detected.width ?? 0) * (detected.height ?? 0);
  if (pixels === 0) throw new AppError('image_unsupported', 'infra.image.noDimensions', { image });
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new AppError('image_too_large', 'infra.image.tooManyPixels', {
      image,
      width: String(detected.width),
      height: String(detected.height),
      limit: MAX_IMAGE_PIXELS / 1_000_000,
    });
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
    throw new AppError('image_unreadable', 'infra.image.damaged', { image: imageOf(field) });
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
