import { afterAll, describe, expect, it } from 'vitest';
import { PHOTO_CASES } from '../../test/ocr-photos.js';
import { inspectImage } from './image-check.js';
import { createTesseractProvider } from './tesseract.js';

// Each difficulty of a photo as people take it, read exactly by the local engine once prepared;
// `npm run bench:ocr` gives the same cases' figures, read as uploaded and prepared.
describe('local OCR on photos as people take them', () => {
  const ocr = createTesseractProvider({ timeoutMs: 60_000, languages: ['eng', 'fra'] });
  afterAll(() => ocr.close());

  it.each(PHOTO_CASES)('reads the question and its options exactly: $difficulty', async (photo) => {
    const [question, options] = await photo.images();
    const reading = await ocr.read(
      inspectImage(question, 'question image', ocr.acceptedTypes),
      inspectImage(options, 'options image', ocr.acceptedTypes),
      photo.language,
    );
    expect(reading).toEqual({ question: photo.question, options: photo.options });
  });
});
