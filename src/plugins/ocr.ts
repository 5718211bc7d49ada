import fp from 'fastify-plugin';
import type { OcrProvider } from '../ocr/provider.js';

declare module 'fastify' {
  interface FastifyInstance {
    ocr: OcrProvider;
  }
}

/** Holds the OCR provider; stops its engine (the local OCR worker) on close. */
export default fp<{ ocr: OcrProvider }>(
  async (app, { ocr }) => {
    app.decorate('ocr', ocr);
    app.addHook('onClose', () => ocr.close());
  },
  { name: 'ocr' },
);
