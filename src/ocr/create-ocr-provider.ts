import type { Config } from '../config.js';
import { createGeminiProvider } from './gemini.js';
import type { OcrProvider } from './provider.js';
import { createTesseractProvider } from './tesseract.js';

/** `auto` means Gemini when an API key is set, local OCR otherwise. */
export function createOcrProvider(config: Config['ocr']): OcrProvider {
  const { apiKey, model, baseUrl } = config.gemini;
  if (config.provider === 'tesseract' || !apiKey) {
    const local = createLocalOcrProvider(config);
    // Start the engine now, so that the first upload does not wait for it; a failure here
    // shows up again, with a clear message, on that upload.
    local.warmUp().catch(() => {});
    return local;
  }
  return createGeminiProvider({ apiKey, model, baseUrl, timeoutMs: config.timeoutMs });
}

/** Local OCR, also the fallback an organizer may pick for one upload when Gemini is down or slow. */
export function createLocalOcrProvider(config: Config['ocr']) {
  return createTesseractProvider({ timeoutMs: config.timeoutMs, languages: config.languages });
}
