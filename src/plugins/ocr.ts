import fp from 'fastify-plugin';
import { isAppError } from '../errors.js';
import type { OcrProvider } from '../ocr/provider.js';

/** Which engine reads one upload: the configured one, or local OCR when the provider is down or slow. */
export type OcrChoice = 'configured' | 'local';

declare module 'fastify' {
  interface FastifyInstance {
    ocrFor(choice: OcrChoice): OcrProvider;
  }
}

interface OcrOptions {
  ocr: OcrProvider;
  /** Builds local OCR; called the first time an upload asks for it, if `ocr` is not local already. */
  local: () => OcrProvider;
}

/** Holds the OCR engines, counting their calls; stops them (the local OCR worker) on close. */
export default fp<OcrOptions>(
  async (app, { ocr, local }) => {
    const counted = (provider: OcrProvider) =>
      measured(provider, (outcome, seconds) => app.metrics.ocrCall(provider.name, outcome, seconds));
    const configured = counted(ocr);
    let localOcr = ocr.name === 'tesseract' ? configured : undefined;

    app.decorate('ocrFor', (choice: OcrChoice) => {
      if (choice === 'configured') return configured;
      localOcr ??= counted(local());
      return localOcr;
    });
    app.addHook('onClose', async () => {
      await configured.close();
      if (localOcr && localOcr !== configured) await localOcr.close();
    });
  },
  { name: 'ocr', dependencies: ['metrics'] },
);

function measured(ocr: OcrProvider, report: (outcome: string, seconds: number) => void): OcrProvider {
  return {
    name: ocr.name,
    model: ocr.model,
    acceptedTypes: ocr.acceptedTypes,
    async read(question, options, language) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const reading = await ocr.read(question, options, language);
        report('ok', seconds());
        return reading;
      } catch (error) {
        report(isAppError(error) ? error.code : 'internal_error', seconds());
        throw error;
      }
    },
    close: () => ocr.close(),
  };
}
