import { AppError } from '../errors.js';
import { cleanText } from '../ocr/text.js';
import { isProfane } from './profanity.js';

// Audience Q&A: the rules of a question from the audience, free of where it is stored. Its text
// follows the rules of an open answer (no control or direction characters, at most 280
// characters); where the poll filters profanity, a question with profanity in it waits for the
// organizer however the poll is moderated.

export const MAX_QA_CHARS = 280;
export const MAX_QA_NAME_CHARS = 40;

/** Where a question from the audience stands: waiting for the organizer, shown, or dismissed. */
export type QaStatus = 'pending' | 'approved' | 'dismissed';

/** How a poll takes questions from its audience. */
export interface QaSettings {
  /** The audience may ask. */
  open: boolean;
  /** Each question waits for the organizer's approval before anyone else sees it. */
  moderated: boolean;
  /** Askers may give their name; else every question is anonymous. */
  named: boolean;
}

/** The two orders the audience reads questions in. */
export type QaSort = 'votes' | 'newest';

export interface NewQaQuestion {
  text: string;
  name: string | null;
  status: QaStatus;
}

/** A question as asked, held to the rules: its text, its asker's name (if the poll takes names), and where it stands. */
export function askedQuestion(
  settings: QaSettings & { profanityFilter: boolean },
  input: { text: string; name?: string | undefined },
): NewQaQuestion {
  if (!settings.open) {
    throw new AppError('qa_closed', 'errors.qaClosed');
  }
  const text = cleanText(input.text, MAX_QA_CHARS + 1);
  if (!text) throw new AppError('validation_failed', 'audience.qa.textEmpty');
  if ([...text].length > MAX_QA_CHARS) {
    throw new AppError('validation_failed', 'audience.qa.textTooLong', { max: MAX_QA_CHARS });
  }
  const name = cleanText(input.name ?? '', MAX_QA_NAME_CHARS + 1) || null;
  if (name !== null && !settings.named) {
    throw new AppError('validation_failed', 'audience.qa.anonymousOnly');
  }
  if (name !== null && [...name].length > MAX_QA_NAME_CHARS) {
    throw new AppError('validation_failed', 'audience.qa.nameTooLong', { max: MAX_QA_NAME_CHARS });
  }
  const held =
    settings.moderated || (settings.profanityFilter && (isProfane(text) || (name !== null && isProfane(name))));
  return { text, name, status: held ? 'pending' : 'approved' };
}

/** Questions in the order asked for: most upvotes first (the newer first among equals), or newest first. */
export function sortQa<T extends { id: number; upvotes: number }>(items: readonly T[], sort: QaSort): T[] {
  return [...items].sort((a, b) => (sort === 'votes' ? b.upvotes - a.upvotes : 0) || b.id - a.id);
}
