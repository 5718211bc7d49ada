import { randomInt } from 'node:crypto';

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

/** Codes match case-insensitively; returns the stored form, or null for something that is no code. */
export function normalizeJoinCode(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.toLowerCase() === DEFAULT_POLL_CODE) return DEFAULT_POLL_CODE;
  const upper = trimmed.toUpperCase();
  return CODE_PATTERN.test(upper) ? upper : null;
}
