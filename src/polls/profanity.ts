import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';

// The profanity filter a poll may turn on: obscenity's maintained English word list, which also
// catches the usual disguises (repeated letters, look-alike characters, leetspeak). No filter is
// perfect either way: the organizer can show a word or an answer it hid, and hide what it missed.

const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });

// A room gives the same words again and again: each is matched once. Bounded, so that a stream
// of distinct words cannot grow it without end.
const CACHED = 10_000;
const seen = new Map<string, boolean>();

/** Whether a word or an answer holds profanity. */
export function isProfane(text: string): boolean {
  const known = seen.get(text);
  if (known !== undefined) return known;
  const profane = matcher.hasMatch(text);
  if (seen.size >= CACHED) seen.clear();
  seen.set(text, profane);
  return profane;
}
