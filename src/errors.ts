import type { MessageKey } from './i18n/catalogs.js';
import { DEFAULT_LOCALE } from './i18n/locales.js';
import { t } from './i18n/request-language.js';
import { type MessageValues, translate } from './i18n/translate.js';

/**
 * The closed set of error codes a client can receive, each with its HTTP status.
 * Adding a code is a change of the API contract (SPEC.md).
 */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 422,
  invalid_option: 422,
  invalid_vote: 422,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  account_disabled: 403,
  wrong_current_password: 403,
  registration_closed: 403,
  csrf_invalid: 403,
  not_found: 404,
  poll_not_found: 404,
  question_not_found: 404,
  request_timeout: 408,
  already_voted: 409,
  address_already_voted: 409,
  question_not_live: 409,
  question_has_votes: 409,
  not_a_quiz: 409,
  no_more_questions: 409,
  username_taken: 409,
  nickname_taken: 409,
  qa_closed: 409,
  payload_too_large: 413,
  image_too_large: 413,
  image_unsupported: 415,
  image_unreadable: 422,
  unsupported_media_type: 415,
  ocr_no_text: 422,
  ocr_too_few_options: 422,
  ocr_too_many_options: 422,
  rate_limited: 429,
  headers_too_large: 431,
  ocr_provider_auth: 502,
  ocr_provider_error: 502,
  ocr_blocked: 422,
  ocr_rate_limited: 503,
  ocr_timeout: 504,
  database_unavailable: 503,
  server_busy: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * An error a client is told about: its code, and its message as a key of the catalogs, so that it
 * is written in the language of whoever reads it (`localized`). `message` is the English one, for logs.
 */
export class AppError extends Error {
  readonly status: number;

  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    readonly messageKey: MessageKey,
    readonly values: MessageValues = {},
    options: { retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(translate(DEFAULT_LOCALE, messageKey, values), { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.name = 'AppError';
    this.status = errorStatus[code];
  }

  /** The message in the current request's language. */
  localized(): string {
    return t(this.messageKey, this.values);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The JSON body of every error answer. */
export function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}
