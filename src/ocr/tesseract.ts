import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { AppError } from '../errors.js';
import type { ImageInput, ImageMimeType, OcrProvider } from './provider.js';
import { optionsFromText, questionFromText } from './text.js';

// The English model ships in an npm package, so local OCR works with no network at all.
const require = createRequire(import.meta.url);
const ENGLISH_DATA = join(dirname(require.resolve('@tesseract.js-data/eng')), '4.0.0_best_int');

const ACCEPTED: ReadonlySet<ImageMimeType> = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** Local OCR: one tesseract.js worker, started once and reused for every image. */
export function createTesseractProvider(options: { timeoutMs: number }): OcrProvider & { warmUp(): Promise<void> } {
  let worker: Promise<Worker> | undefined;

  const getWorker = () => {
    if (!worker) {
      worker = createWorker('eng', OEM.LSTM_ONLY, { langPath: ENGLISH_DATA, gzip: true, cacheMethod: 'none' });
      // A worker that failed to start is forgotten, so the next upload tries again.
      worker.catch(() => {
        worker = undefined;
      });
    }
    return worker;
  };

  const recognize = async (image: ImageInput): Promise<string> => {
    const { data } = await (await getWorker()).recognize(image.bytes);
    return data.text;
  };

  return {
    name: 'tesseract',
    model: 'tesseract-eng',
    acceptedTypes: ACCEPTED,
    async warmUp() {
      await getWorker();
    },
    async read(question, optionsImage) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AppError('ocr_timeout', 'Reading the images took too long.')),
          options.timeoutMs,
        );
      });
      try {
        // One worker reads one image at a time; the two images queue on it in order.
        const [questionText, optionsText] = await Promise.race([
          Promise.all([recognize(question), recognize(optionsImage)]),
          timeout,
        ]);
        return { question: questionFromText(questionText), options: optionsFromText(optionsText) };
      } catch (error) {
        if (error instanceof AppError) {
          // A job that overran its time is still running inside the worker: replace the worker.
          await this.close();
          throw error;
        }
        throw new AppError('ocr_provider_error', 'The local OCR engine could not read the images.', { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      const current = worker;
      worker = undefined;
      if (current) await (await current.catch(() => undefined))?.terminate();
    },
  };
}
