// Local OCR on photos as people take them (test/ocr-photos.ts): for each difficulty, whether the
// question and its options are read exactly, with the images as uploaded and with the prepared
// variants the engine reads today (src/ocr/preprocess.ts), and how long a pair takes.
//   npm run bench:ocr
import { isDeepStrictEqual } from 'node:util';
import { inspectImage } from '../src/ocr/image-check.js';
import type { OcrProvider, OcrReading } from '../src/ocr/provider.js';
import { createTesseractProvider } from '../src/ocr/tesseract.js';
import { PHOTO_CASES, type PhotoCase } from '../test/ocr-photos.js';

const languages = [...new Set(['eng', ...PHOTO_CASES.map((photo) => photo.language)])];
const engines = {
  before: createTesseractProvider({
    timeoutMs: 60_000,
    languages,
    attempts: [{ how: 'uploaded', straighten: false }],
  }),
  after: createTesseractProvider({ timeoutMs: 60_000, languages }),
};

async function read(ocr: OcrProvider, photo: PhotoCase): Promise<{ reading: OcrReading; ms: number }> {
  const [question, options] = await photo.images();
  const started = performance.now();
  const reading = await ocr.read(
    inspectImage(question, 'question image', ocr.acceptedTypes),
    inspectImage(options, 'options image', ocr.acceptedTypes),
    photo.language,
  );
  return { reading, ms: performance.now() - started };
}

const exact = (photo: PhotoCase, reading: OcrReading) =>
  reading.question === photo.question && isDeepStrictEqual(reading.options, photo.options);
const shown = (reading: OcrReading) => `${reading.question} / ${reading.options.join(' · ')}`;

try {
  // Each language's worker starts before anything is timed.
  const [first] = PHOTO_CASES;
  if (first)
    for (const ocr of Object.values(engines)) for (const language of languages) await read(ocr, { ...first, language });

  const rows: string[] = [];
  const misses: string[] = [];
  const count = { before: 0, after: 0 };
  for (const photo of PHOTO_CASES) {
    const cells: string[] = [];
    for (const [name, ocr] of Object.entries(engines) as [keyof typeof engines, OcrProvider][]) {
      const { reading, ms } = await read(ocr, photo);
      const right = exact(photo, reading);
      if (right) count[name]++;
      else misses.push(`${photo.difficulty}, ${name}: ${shown(reading)}`);
      cells.push(right ? 'exact' : 'no', `${(ms / 1000).toFixed(2)} s`);
    }
    rows.push(`| ${photo.difficulty} | ${cells.join(' | ')} |`);
  }
  console.log('| difficulty | as uploaded | time a pair | prepared | time a pair |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(`\nRead exactly: ${count.before} of ${PHOTO_CASES.length} as uploaded, ${count.after} prepared.`);
  if (misses.length > 0) console.log(`\nWhat came back instead:\n${misses.map((miss) => `- ${miss}`).join('\n')}`);
} finally {
  await Promise.all(Object.values(engines).map((ocr) => ocr.close()));
}
