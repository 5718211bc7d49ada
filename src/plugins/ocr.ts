import fp from 'fastify-plugin';
import { isAppError } from '../errors.js';
import type { OcrProvider } from '../ocr/provider.js';

declare module 'fastify' {
  interface FastifyInstance {
    ocr: OcrProvider;
  }
}

/** Holds the OCR provider, counting its calls; stops its engine (the local OCR worker) on close. */
export default fp<{ ocr: OcrProvider }>(
  async (app, { ocr }) => {
    app.decorate(
      'ocr',
      measured(ocr, (outcome, seconds) => app.metrics.ocrCall(ocr.name, outcome, seconds)),
    );
    app.addHook('onClose', () => ocr.close());
  },
  { name: 'ocr', dependencies: ['metrics'] },
);

function measured(ocr: OcrProvider, report: (outcome: string, seconds: number) => void): OcrProvider {
  return {
    name: ocr.name,
    model: ocr.model,
    acceptedTypes: ocr.acceptedTypes,
    async read(question, options) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const reading = await ocr.read(question, options);
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
