import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, googleError, reading, startGeminiStandIn, unreadableImage } from '../../test/gemini-stand-in.js';
import { createGeminiProvider } from './gemini.js';
import type { ImageInput } from './provider.js';

const image = (name: string, mimeType: ImageInput['mimeType']): ImageInput => ({
  bytes: readFileSync(new URL(`../../test/fixtures/ocr/${name}`, import.meta.url)),
  mimeType,
});
const question = image('capital-question.png', 'image/png');
const options = image('season-options-photo.jpg', 'image/jpeg');

describe('Gemini OCR through the real SDK against a local stand-in of the API', () => {
  let standIn: Awaited<ReturnType<typeof startGeminiStandIn>>;
  beforeAll(async () => {
    standIn = await startGeminiStandIn();
  });
  afterAll(() => standIn.close());

  const provider = (timeoutMs = 5_000, model = 'gemini-test-model') =>
    createGeminiProvider({ apiKey: 'test-key', model, baseUrl: standIn.baseUrl, timeoutMs });

  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as { code: string; message: string; retryAfterSeconds?: number };
    }
    throw new Error('expected the read to fail');
  };

  it('sends both images inline with a JSON response schema and returns the cleaned reading', async () => {
    standIn.script(reading('What is the capital\nof Australia?', ['A. Sydney', 'B) Canberra', '(c) Melbourne']));
    const result = await provider().read(question, options);
    expect(result).toEqual({
      question: 'What is the capital of Australia?',
      options: ['Sydney', 'Canberra', 'Melbourne'],
    });

    const [request] = standIn.requests;
    expect(request?.path).toMatch(/^\/v1beta\/models\/gemini-test-model:generateContent/);
    expect(request?.apiKey).toBe('test-key');
    const parts = request?.body.contents[0]?.parts ?? [];
    const inline = parts.flatMap((part) => ('inlineData' in part ? [part.inlineData] : []));
    expect(inline).toEqual([
      { mimeType: 'image/png', data: question.bytes.toString('base64') },
      { mimeType: 'image/jpeg', data: options.bytes.toString('base64') },
    ]);
    expect(request?.body.generationConfig?.responseMimeType).toBe('application/json');
    expect(request?.body.generationConfig?.responseSchema).toMatchObject({ required: ['question', 'options'] });
  });

  it('tells the model which language the images are in, when the organizer says so', async () => {
    standIn.script(reading('Quel dessert préférez-vous ?', ['A. Crème brûlée', 'B. Île flottante']));
    const result = await provider().read(question, options, 'fra');
    expect(result).toEqual({ question: 'Quel dessert préférez-vous ?', options: ['Crème brûlée', 'Île flottante'] });
    const prompt = () =>
      standIn.requests
        .at(-1)
        ?.body.contents[0]?.parts.flatMap((part) => ('text' in part ? [part.text] : []))
        .join('\n') ?? '';
    expect(prompt()).toContain('The text is in French.');
    await provider().read(question, options);
    expect(prompt()).not.toContain('The text is in');
  });

  it('treats the model output as untrusted: control characters go, lengths are bounded', async () => {
    standIn.script(reading(`Q\u0000uestion\u202E?${'x'.repeat(2000)}`, ['ok\u0007ay', 'y'.repeat(1000), '  ']));
    const result = await provider().read(question, options);
    expect(result.question.startsWith('Q uestion ?')).toBe(true);
    expect(result.question.length).toBeLessThanOrEqual(500);
    expect(result.options).toEqual(['ok ay', 'y'.repeat(200)]);
  });

  it('retries a 503 and succeeds', async () => {
    standIn.script(googleError(503, 'UNAVAILABLE', 'The model is overloaded.'), reading('Q?', ['a', 'b']));
    expect(await provider().read(question, options)).toEqual({ question: 'Q?', options: ['a', 'b'] });
    expect(standIn.requests).toHaveLength(2);
  });

  it('waits as long as the server asks before retrying a 429', async () => {
    standIn.script(
      googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.2s' },
      ]),
      reading('Q?', ['a', 'b']),
    );
    const started = Date.now();
    await provider().read(question, options);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
    expect(standIn.requests).toHaveLength(2);
  });

  it('gives up on a quota that stays exhausted: ocr_rate_limited with a retry delay', async () => {
    standIn.script(googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.'));
    const error = await failure(provider().read(question, options));
    expect(error.code).toBe('ocr_rate_limited');
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(standIn.requests).toHaveLength(3);
  });

  it('maps a persistent 500 to ocr_provider_error after a bounded number of attempts', async () => {
    standIn.script(googleError(500, 'INTERNAL', 'Internal error.'));
    expect((await failure(provider().read(question, options))).code).toBe('ocr_provider_error');
    expect(standIn.requests).toHaveLength(3);
  });

  it('maps a bad API key to ocr_provider_auth without retrying', async () => {
    standIn.script(
      googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
      ]),
    );
    expect((await failure(provider().read(question, options))).code).toBe('ocr_provider_auth');
    expect(standIn.requests).toHaveLength(1);
    standIn.script(googleError(403, 'PERMISSION_DENIED', 'Permission denied.'));
    expect((await failure(provider().read(question, options))).code).toBe('ocr_provider_auth');
  });

  it('maps an image Google cannot process to image_unreadable, without retrying', async () => {
    standIn.script(unreadableImage());
    const error = await failure(provider().read(question, options));
    expect(error.code).toBe('image_unreadable');
    expect(error.message).toMatch(/question image or the options image.*upload them again/);
    expect(standIn.requests).toHaveLength(1);
  });

  it('says so when the model no longer exists', async () => {
    standIn.script(googleError(404, 'NOT_FOUND', 'models/gemini-old is not found for API version v1beta.'));
    const error = await failure(provider(5_000, 'gemini-old').read(question, options));
    expect(error.code).toBe('ocr_provider_error');
    expect(error.message).toContain('gemini-old');
    expect(standIn.requests).toHaveLength(1);
  });

  it('maps a refused prompt and a safety stop to ocr_blocked', async () => {
    standIn.script({ status: 200, body: { promptFeedback: { blockReason: 'SAFETY' } } });
    expect((await failure(provider().read(question, options))).code).toBe('ocr_blocked');
    standIn.script(answer('', 'SAFETY'));
    expect((await failure(provider().read(question, options))).code).toBe('ocr_blocked');
  });

  it.each([
    ['empty output', answer('')],
    ['output that is not JSON', answer('Sure! The question is…')],
    ['truncated output', answer('{"question": "What is', 'MAX_TOKENS')],
    ['output of the wrong shape', answer('{"question": 3, "options": "a"}')],
  ])('maps %s to ocr_provider_error', async (_name, reply) => {
    standIn.script(reply);
    expect((await failure(provider().read(question, options))).code).toBe('ocr_provider_error');
  });

  it('stops waiting at the timeout with ocr_timeout', async () => {
    // The stand-in never answers: an answer at all shows that the wait stopped.
    standIn.script({ hang: true });
    expect((await failure(provider(400).read(question, options))).code).toBe('ocr_timeout');
  });
});
