import sharp from 'sharp';

// A photo of a slide or a sheet is rarely what the engine reads best: dim, shadowed, light text
// on a dark slide, small. Each image is prepared a few ways with sharp (libvips) and the engine
// reads each; the reading it is surest of is kept (tesseract.ts).

/** Below this height (in pixels) text is usually too small for the engine: the image is doubled. */
const SMALL_HEIGHT = 700;
/** An image this dark on average is light text on a dark background: it is read inverted. */
const DARK_MEAN = 110;

/** Far wider than a stroke of a letter at the sizes read here: the blur keeps only the lighting. */
const BACKGROUND_BLUR = 24;

export type Preparation = 'uploaded' | 'contrast' | 'lighting' | 'smoothed';

/** One way of reading an image: prepared, then straightened by the engine (its own skew angle) or not. */
export interface Attempt {
  how: Preparation;
  straighten: boolean;
}

/**
 * The ways an image is read, in turn, until one reads surely: straightening a straight image
 * costs letters, so it comes only when the straight reading was unsure.
 */
export const ATTEMPTS: readonly Attempt[] = [
  { how: 'lighting', straighten: false },
  { how: 'lighting', straighten: true },
  { how: 'smoothed', straighten: false },
  { how: 'contrast', straighten: true },
];

/**
 * The image as the engine reads it best, prepared one way: `uploaded` is the image as it came;
 * the others make it grey, upright (EXIF), larger when small, inverted when its text is light on
 * dark, then
 * - `contrast`: stretched to the full range of grey;
 * - `lighting`: divided by its own background (the image blurred far past its letters), which
 *   takes out a shadow or a gradient across the page and leaves the ink;
 * - `smoothed`: a median filter first, for the moiré and the noise of a photographed screen.
 */
export async function prepare(bytes: Buffer, how: Preparation): Promise<Buffer> {
  if (how === 'uploaded') return bytes;
  const grey = sharp(bytes).rotate().greyscale();
  const [{ height = 0 }, stats] = await Promise.all([grey.clone().metadata(), grey.clone().stats()]);
  let image = grey.clone();
  if (height > 0 && height < SMALL_HEIGHT) image = image.resize({ height: height * 2, kernel: 'lanczos3' });
  if ((stats.channels[0]?.mean ?? 255) < DARK_MEAN) image = image.negate({ alpha: false });
  if (how === 'smoothed') image = image.median(3);
  if (how === 'lighting') {
    const page = await image.png({ compressionLevel: 1 }).toBuffer();
    // Colour dodge with the inverted background is the page divided by its background.
    const background = await sharp(page).blur(BACKGROUND_BLUR).negate({ alpha: false }).png().toBuffer();
    image = sharp(
      await sharp(page)
        .composite([{ input: background, blend: 'colour-dodge' }])
        .png()
        .toBuffer(),
    );
  }
  return image.normalise().png({ compressionLevel: 1 }).toBuffer();
}
