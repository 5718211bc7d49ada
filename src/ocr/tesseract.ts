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

/** A tesseract.js worker and the reads using it. */
interface Engine {
  worker: Promise<Worker>;
  reads: number;
  retired: boolean;
}

/** Local OCR: one tesseract.js worker, started once and reused until a read on it fails. */
export function createTesseractProvider(options: { timeoutMs: number }): OcrProvider & { warmUp(): Promise<void> } {
  let current: Engine | undefined;

  const start = (): Engine => {
    const engine: Engine = {
      worker: createWorker('eng', OEM.LSTM_ONLY, {
        langPath: ENGLISH_DATA,
        gzip: true,
        cacheMethod: 'none',
        // Without a handler, tesseract.js throws a failed job's error inside its message
        // listener, where nothing can catch it; the job's own promise is rejected either way.
        errorHandler: () => {},
      }),
      reads: 0,
      retired: false,
    };
    // A worker that failed to start is forgotten, so the next upload tries again.
    engine.worker.catch(() => retire(engine));
    return engine;
  };

  /**
   * No new read gets this worker; it stops once the reads already on it have settled, so that
   * one upload's failure does not cut off another's read.
   */
  const retire = (engine: Engine) => {
    engine.retired = true;
    if (current === engine) current = undefined;
    if (engine.reads === 0) engine.worker.then((worker) => worker.terminate()).catch(() => {});
  };

  const recognize = async (engine: Engine, image: ImageInput, field: string): Promise<string> => {
    try {
      const worker = await engine.worker;
      // A read that gave up while the worker was starting stops it: posting a job to a stopped
      // worker fails inside tesseract.js, where nothing catches it.
      if (engine.retired) throw new Error('The OCR worker was stopped before the job started.');
      const { data } = await worker.recognize(image.bytes);
      return data.text;
    } catch (error) {
      // The engine's own words for an image it cannot decode (it rejects with a string).
      if (/attempting to read image/i.test(String(error))) {
        throw new AppError('image_unreadable', `The ${field} could not be read (is it damaged?); upload it again.`, {
          cause: error,
        });
      }
      throw new AppError('ocr_provider_error', 'The local OCR engine could not read the images.', { cause: error });
    }
  };

  return {
    name: 'tesseract',
    model: 'tesseract-eng',
    acceptedTypes: ACCEPTED,
    async warmUp() {
      current ??= start();
      await current.worker;
    },
    async read(question, optionsImage) {
      current ??= start();
      const engine = current;
      engine.reads++;
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
          Promise.all([
            recognize(engine, question, 'question image'),
            recognize(engine, optionsImage, 'options image'),
          ]),
          timeout,
        ]);
        return { question: questionFromText(questionText), options: optionsFromText(optionsText) };
      } catch (error) {
        // After any failure the worker is in a state nobody knows (after a timeout, still busy
        // with the job): the next upload gets a fresh one.
        engine.retired = true;
        throw error;
      } finally {
        clearTimeout(timer);
        engine.reads--;
        if (engine.retired) retire(engine);
      }
    },
    async close() {
      if (current) retire(current);
    },
  };
}
