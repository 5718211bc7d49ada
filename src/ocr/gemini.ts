import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, FinishReason, type GenerateContentResponse, GoogleGenAI, Type } from '@google/genai';
import { AppError } from '../errors.js';
import { languageName } from './language-data.js';
import type { ImageInput, ImageMimeType, OcrProvider, OcrReading } from './provider.js';
import { cleanOptions, questionFromText } from './text.js';

// Pinned explicitly: the SDK's default may move, and the request shape below is v1beta's.
const API_VERSION = 'v1beta';
const RETRYABLE_STATUS = new Set([429, 500, 503]);
const MAX_ATTEMPTS = 3;
const BASE_BACKOFF_MS = 500;
// The output is a question and at most a few dozen short options; anything longer is not a poll.
const MAX_OUTPUT_TOKENS = 2048;
const BLOCKING_FINISH_REASONS = new Set<string>([
  FinishReason.SAFETY,
  FinishReason.RECITATION,
  FinishReason.BLOCKLIST,
  FinishReason.PROHIBITED_CONTENT,
  FinishReason.SPII,
  FinishReason.IMAGE_SAFETY,
]);

const PROMPT = `You read two images for a live audience poll.
Image 1 holds a question. Image 2 holds its answer options.
Return the question text exactly as written (wrapped lines joined with single spaces),
and the options in their order, each without its label (such as "A.", "1)", "(b)", "-" or "•").
Transcribe only; do not answer, translate or add anything. If an image holds no readable text,
return an empty string or an empty list for it.`;

/** The prompt, naming the language the organizer said the images are in, so that its letters are read as such. */
const promptFor = (language: string | undefined) =>
  language ? `${PROMPT}\nThe text is in ${languageName(language, 'en')}.` : PROMPT;

const RESPONSE_SCHEMA = {
  type: Type.OBJECT,
  properties: {
    question: { type: Type.STRING },
    options: { type: Type.ARRAY, items: { type: Type.STRING } },
  },
  required: ['question', 'options'],
  propertyOrdering: ['question', 'options'],
};

const ACCEPTED: ReadonlySet<ImageMimeType> = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic']);

export interface GeminiOptions {
  apiKey: string;
  model: string;
  baseUrl?: string | undefined;
  timeoutMs: number;
}

/** OCR by the Google Gemini API, through Google's SDK; the SDK's types stay in this file. */
export function createGeminiProvider(options: GeminiOptions): OcrProvider {
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    apiVersion: API_VERSION,
    httpOptions: options.baseUrl ? { baseUrl: options.baseUrl } : {},
  });

  const generate = (
    question: ImageInput,
    optionsImage: ImageInput,
    language: string | undefined,
    signal: AbortSignal,
  ) =>
    client.models.generateContent({
      model: options.model,
      contents: [
        {
          role: 'user',
          parts: [
            { text: promptFor(language) },
            { inlineData: { mimeType: question.mimeType, data: question.bytes.toString('base64') } },
            { inlineData: { mimeType: optionsImage.mimeType, data: optionsImage.bytes.toString('base64') } },
          ],
        },
      ],
      config: {
        responseMimeType: 'application/json',
        responseSchema: RESPONSE_SCHEMA,
        temperature: 0,
        maxOutputTokens: MAX_OUTPUT_TOKENS,
        abortSignal: signal,
      },
    });

  return {
    name: 'gemini',
    model: options.model,
    acceptedTypes: ACCEPTED,
    async read(question, optionsImage, language) {
      const deadline = Date.now() + options.timeoutMs;
      const signal = AbortSignal.timeout(options.timeoutMs);
      for (let attempt = 1; ; attempt++) {
        try {
          return parseReading(await generate(question, optionsImage, language, signal));
        } catch (error) {
          if (error instanceof AppError) throw error;
          if (signal.aborted) throw new AppError('ocr_timeout', 'errors.ocrTimeout');
          const failure = toAppError(error, options.model);
          const delay = retryDelayMs(error, attempt);
          if (delay === undefined || attempt >= MAX_ATTEMPTS || Date.now() + delay >= deadline) throw failure;
          await sleep(delay, undefined, { signal }).catch(() => {
            throw new AppError('ocr_timeout', 'errors.ocrTimeout');
          });
        }
      }
    },
    async close() {},
  };
}

/** How long to wait before the next attempt, or undefined when the failure is not worth retrying. */
function retryDelayMs(error: unknown, attempt: number): number | undefined {
  if (!(error instanceof ApiError) || !RETRYABLE_STATUS.has(error.status)) return undefined;
  const jittered = BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random());
  const serverDelay = serverRetryDelayMs(error.message);
  return serverDelay === undefined ? jittered : Math.max(serverDelay, jittered);
}

/** Google's errors carry the delay it asks for as a RetryInfo detail, e.g. `"retryDelay": "7s"`. */
function serverRetryDelayMs(message: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1000;
}

function toAppError(error: unknown, model: string): AppError {
  if (!(error instanceof ApiError)) {
    return new AppError('ocr_provider_error', 'infra.ocr.unreachable', {}, { cause: error });
  }
  const { status, message } = error;
  if (status === 401 || status === 403 || /API_KEY_INVALID|API key not valid|PERMISSION_DENIED/i.test(message)) {
    return new AppError('ocr_provider_auth', 'infra.ocr.badApiKey', {}, { cause: error });
  }
  if (status === 429) {
    const seconds = serverRetryDelayMs(message);
    return new AppError(
      'ocr_rate_limited',
      'infra.ocr.quotaUsedUp',
      {},
      {
        retryAfterSeconds: seconds === undefined ? 60 : Math.ceil(seconds / 1000),
        cause: error,
      },
    );
  }
  // Google's answer to an image it cannot decode (HEIC is not decoded here before it is sent).
  if (status === 400 && /Unable to process input image|Provided image is not valid/i.test(message)) {
    return new AppError('image_unreadable', 'infra.ocr.providerCannotRead', {}, { cause: error });
  }
  if (status === 404) {
    return new AppError('ocr_provider_error', 'infra.ocr.noSuchModel', { model }, { cause: error });
  }
  if (status === 503) {
    return new AppError('ocr_provider_error', 'infra.ocr.overloaded', {}, { cause: error });
  }
  return new AppError('ocr_provider_error', 'infra.ocr.failedStatus', { status: String(status) }, { cause: error });
}

function parseReading(response: GenerateContentResponse): OcrReading {
  if (response.promptFeedback?.blockReason) {
    throw new AppError('ocr_blocked', 'errors.ocrBlocked');
  }
  const candidate = response.candidates?.[0];
  const finish = candidate?.finishReason;
  if (finish && BLOCKING_FINISH_REASONS.has(finish)) {
    throw new AppError('ocr_blocked', 'errors.ocrBlocked');
  }
  if (finish === FinishReason.MAX_TOKENS) {
    throw new AppError('ocr_provider_error', 'infra.ocr.cutShort');
  }
  const text = response.text;
  if (!text?.trim()) throw new AppError('ocr_provider_error', 'infra.ocr.emptyAnswer');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('ocr_provider_error', 'infra.ocr.notJson');
  }
  if (!isReadingShape(parsed)) {
    throw new AppError('ocr_provider_error', 'infra.ocr.wrongShape');
  }
  return { question: questionFromText(parsed.question), options: cleanOptions(parsed.options) };
}

function isReadingShape(value: unknown): value is { question: string; options: string[] } {
  if (typeof value !== 'object' || value === null) return false;
  const { question, options } = value as Record<string, unknown>;
  return (
    typeof question === 'string' && Array.isArray(options) && options.every((option) => typeof option === 'string')
  );
}
