import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/helpers.js';
import { inspectImage } from './image-check.js';
import type { ImageInput } from './provider.js';
import { createTesseractProvider } from './tesseract.js';

describe('local OCR on real images', () => {
  const ocr = createTesseractProvider({ timeoutMs: 60_000, languages: ['eng'] });
  afterAll(() => ocr.close());

  const read = (question: string, options: string) =>
    ocr.read(
      inspectImage(fixture(question), 'question image', ocr.acceptedTypes),
      inspectImage(fixture(options), 'options image', ocr.acceptedTypes),
    );

  it('reads a screenshot question and lettered options', async () => {
    expect(await read('capital-question.png', 'capital-options.png')).toEqual({
      question: 'What is the capital of Australia?',
      options: ['Sydney', 'Canberra', 'Melbourne', 'Perth'],
    });
  });

  it('joins a question wrapped over two lines and strips numbered labels', async () => {
    expect(await read('lunch-question.png', 'lunch-options.png')).toEqual({
      question: 'Where should the team go for lunch on Friday?',
      options: ['Pizza place', 'Sushi bar', 'Tacos truck'],
    });
  });

  it('reads a tilted, noisy JPEG photo', async () => {
    expect(await read('season-question-photo.jpg', 'season-options-photo.jpg')).toEqual({
      question: 'Which season do you like the most?',
      options: ['Spring', 'Summer', 'Autumn', 'Winter'],
    });
  });

  it('reads WebP images', async () => {
    expect(await read('capital-question.webp', 'capital-options.webp')).toEqual({
      question: 'What is the capital of Australia?',
      options: ['Sydney', 'Canberra', 'Melbourne', 'Perth'],
    });
  });

  it('finds nothing on a blank page', async () => {
    expect(await read('blank.png', 'blank.png')).toEqual({ question: '', options: [] });
  });

  it('refuses an image it cannot decode, naming it, and reads the next upload on a fresh worker', async () => {
    // No check in front: the engine itself must turn a damaged image into an answer.
    const cut: ImageInput = { bytes: fixture('capital-options.png').subarray(0, 400), mimeType: 'image/png' };
    const whole: ImageInput = { bytes: fixture('capital-question.png'), mimeType: 'image/png' };
    await expect(ocr.read(whole, cut)).rejects.toMatchObject({
      code: 'image_unreadable',
      message: expect.stringContaining('options image'),
    });
    expect(await read('capital-question.png', 'capital-options.png')).toEqual({
      question: 'What is the capital of Australia?',
      options: ['Sydney', 'Canberra', 'Melbourne', 'Perth'],
    });
  });
});

describe('local OCR in the language the images are written in', () => {
  const ocr = createTesseractProvider({ timeoutMs: 60_000, languages: ['eng', 'fra', 'deu', 'heb'] });
  afterAll(() => ocr.close());

  const read = (prefix: string, language?: string) =>
    ocr.read(
      inspectImage(fixture(`${prefix}-question.png`), 'question image', ocr.acceptedTypes),
      inspectImage(fixture(`${prefix}-options.png`), 'options image', ocr.acceptedTypes),
      language,
    );

  it('reads French accents with the French model, where the English one loses them', async () => {
    const french = {
      question: 'Quel dessert préférez-vous après le déjeuner ?',
      options: ['Crème brûlée', 'Tarte aux pêches', 'Île flottante'],
    };
    expect(await read('fr', 'fra')).toEqual(french);
    expect(await read('fr')).not.toEqual(french);
  });

  it('reads German umlauts and ß', async () => {
    expect(await read('de', 'deu')).toEqual({
      question: 'Welches Getränk schmeckt Ihnen am besten?',
      options: ['Weißbier', 'Apfelschorle', 'Kräutertee'],
    });
  });

  it('reads Hebrew, right to left', async () => {
    expect(await read('he', 'heb')).toEqual({
      question: 'איזו עונה אתם אוהבים ביותר?',
      options: ['אביב', 'קיץ', 'סתיו', 'חורף'],
    });
  });

  it('refuses a language it was not given, reading nothing', async () => {
    await expect(read('fr', 'spa')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('local OCR that runs out of time', () => {
  it('gives up with ocr_timeout while the engine starts, and leaves no job behind on the stopped worker', async () => {
    const hasty = createTesseractProvider({ timeoutMs: 1, languages: ['eng'] });
    const image: ImageInput = { bytes: fixture('blank.png'), mimeType: 'image/png' };
    const reading = hasty.read(image, image);
    // Resolves once the worker the read gives up on has started (and is being stopped).
    const started = hasty.warmUp();
    await expect(reading).rejects.toMatchObject({ code: 'ocr_timeout' });
    await started;
    // Another read, long enough for anything left behind on that worker to show.
    const patient = createTesseractProvider({ timeoutMs: 60_000, languages: ['eng'] });
    try {
      expect(await patient.read(image, image)).toEqual({ question: '', options: [] });
    } finally {
      await patient.close();
      await hasty.close();
    }
  });
});

describe('checking uploads by their bytes', () => {
  const accepted = new Set(['image/png', 'image/jpeg'] as const);

  it('identifies the type from the content, not the file name', () => {
    expect(inspectImage(fixture('season-question-photo.jpg'), 'image', accepted).mimeType).toBe('image/jpeg');
    expect(() => inspectImage(fixture('not-an-image.png'), 'question image', accepted)).toThrowError(
      expect.objectContaining({ code: 'image_unsupported' }),
    );
  });

  it('refuses an image whose header claims too many pixels, before decoding it', () => {
    const png = Buffer.from(fixture('blank.png'));
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    expect(() => inspectImage(png, 'question image', accepted)).toThrowError(
      expect.objectContaining({ code: 'image_too_large' }),
    );
  });

  it('refuses a type the engine cannot read', () => {
    expect(() => inspectImage(fixture('blank.png'), 'image', new Set(['image/jpeg'] as const))).toThrowError(
      expect.objectContaining({ code: 'image_unsupported' }),
    );
  });
});
