import { randomInt } from 'node:crypto';
import { t } from '../i18n/request-language.js';

/** The site's default poll: `/vote`, `/results` and the admin upload form use it. */
export const DEFAULT_POLL_CODE = 'default';

// No 0/O/1/I: codes are read aloud and typed on phones.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;
const CODE_PATTERN = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

export function generateJoinCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** A typed code without the spaces and dashes people group it with ("9AQ-M3Z", "9AQ M3Z"), in capitals. */
const compact = (input: string) => input.replace(/[\s\-\u2010-\u2015]+/g, '').toUpperCase();

/** Codes match case-insensitively; returns the stored form, or null for something that is no code. */
export function normalizeJoinCode(input: string): string | null {
  if (input.trim().toLowerCase() === DEFAULT_POLL_CODE) return DEFAULT_POLL_CODE;
  const code = compact(input);
  return CODE_PATTERN.test(code) ? code : null;
}

/** Why the text typed as a join code cannot be one, said to the person who typed it. */
export function joinCodeProblem(input: string): string {
  const code = compact(input);
  if (!code) return t('audience.joinCode.empty', { length: CODE_LENGTH });
  if (/[O0I1]/.test(code)) return t('audience.joinCode.lookalikes');
  if (code.length !== CODE_LENGTH)
    return t('audience.joinCode.length', { length: CODE_LENGTH, typed: [...code].length });
  return t('audience.joinCode.example', { length: CODE_LENGTH });
}
