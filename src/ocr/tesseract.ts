import { createWorker, OEM, type Worker } from 'tesseract.js';
import { AppError } from '../errors.js';
import { languageDataPath } from './language-data.js';
import { ATTEMPTS, type Attempt, type Preparation, prepare } from './preprocess.js';
import type { ImageInput, ImageMimeType, OcrProvider } from './provider.js';
import { optionsFromText, questionFromText } from './text.js';

const ACCEPTED: ReadonlySet<ImageMimeType> = new Set(['image/png', 'image/jpeg', 'image/webp']);

/** A reading the engine is this sure of (its mean word confidence, 0–100) is kept without trying others. */
const SURE = 90;

/** A tesseract.js worker for one language, and the reads using it. */
interface Engine {
  language: string;
  worker: Promise<Worker>;
  reads: number;
  retired: boolean;
}

/**
 * Local OCR: a tesseract.js worker per language (`languages`, the first the default), each started
 * when first needed and reused until a read on it fails. A language's own model reads its
 * letters: English's reads "Crème brûlée" as "Creme brilée".
 */
export function createTesseractProvider(options: {
  timeoutMs: number;
  languages: readonly string[];
  /** How each image is read (preprocess.ts), each tried in turn until one reads surely. */
  attempts?: readonly Attempt[];
}): OcrProvider & { warmUp(): Promise<void> } {
  const [defaultLanguage = 'eng'] = options.languages;
  const { attempts = ATTEMPTS } = options;
  const current = new Map<string, Engine>();

  const start = (language: string): Engine => {
    const engine: Engine = {
      language,
      worker: createWorker(language, OEM.LSTM_ONLY, {
        langPath: languageDataPath(language),
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
    if (current.get(engine.language) === engine) current.delete(engine.language);
    if (engine.reads === 0) engine.worker.then((worker) => worker.terminate()).catch(() => {});
  };

  /**
   * The image's text, from the preparation the engine is surest of: each is read in turn (with
   * the engine's own correction of a turned page) until one reads with enough confidence.
   */
  const recognize = async (engine: Engine, image: ImageInput, which: 'question' | 'options'): Promise<string> => {
    // Each preparation is made once, when an attempt first needs it.
    const prepared = new Map<Preparation, Promise<Buffer>>();
    const preparedAs = (how: Preparation) => {
      let bytes = prepared.get(how);
      if (!bytes) {
        bytes = prepare(image.bytes, how).catch((error: unknown) => {
          throw new AppError('image_unreadable', 'infra.ocr.imageDamaged', { image: which }, { cause: error });
        });
        prepared.set(how, bytes);
      }
      return bytes;
    };
    try {
      const worker = await engine.worker;
      let best: { text: string; confidence: number } | undefined;
      for (const { how, straighten } of attempts) {
        const bytes = await preparedAs(how);
        // A read that gave up while the worker was starting stops it: posting a job to a stopped
        // worker fails inside tesseract.js, where nothing catches it.
        if (engine.retired) throw new Error('The OCR worker was stopped before the job started.');
        const { data } = await worker.recognize(bytes, { rotateAuto: straighten });
        if (!best || data.confidence > best.confidence) best = { text: data.text, confidence: data.confidence };
        if (best.confidence >= SURE) break;
      }
      return best?.text ?? '';
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The engine's own words for an image it cannot decode (it rejects with a string).
      if (/attempting to read image/i.test(String(error))) {
        throw new AppError('image_unreadable', 'infra.ocr.imageDamaged', { image: which }, { cause: error });
      }
      throw new AppError('ocr_provider_error', 'infra.ocr.localCannotRead', {}, { cause: error });
    }
  };

  const engineFor = (language: string): Engine => {
    let engine = current.get(language);
    if (!engine) {
      engine = start(language);
      current.set(language, engine);
    }
    return engine;
  };

  return {
    name: 'tesseract',
    model: `tesseract-${options.languages.join('+')}`,
    acceptedTypes: ACCEPTED,
    async warmUp() {
      await engineFor(defaultLanguage).worker;
    },
    async read(question, optionsImage, language = defaultLanguage) {
      if (!options.languages.includes(language)) {
        throw new AppError('validation_failed', 'infra.ocr.languageNotRead', { language });
      }
      const engine = engineFor(language);
      engine.reads++;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError('ocr_timeout', 'infra.ocr.tooSlow')), options.timeoutMs);
      });
      try {
        // One worker reads one image at a time; the two images queue on it in order.
        const [questionText, optionsText] = await Promise.race([
          Promise.all([recognize(engine, question, 'question'), recognize(engine, optionsImage, 'options')]),
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
      for (const engine of [...current.values()]) retire(engine);
    },
  };
}
