import { describe, expect, it } from 'vitest';
import { askedQuestion, sortQa } from './qa.js';

const open = { open: true, moderated: false, named: true, profanityFilter: false };

describe('a question from the audience', () => {
  it('is cleaned like an open answer and shows at once, or waits where the poll moderates', () => {
    expect(askedQuestion(open, { text: ' Why\u202e  now? ', name: '  Ana ' })).toEqual({
      text: 'Why now?',
      name: 'Ana',
      status: 'approved',
    });
    expect(askedQuestion({ ...open, moderated: true }, { text: 'Why?' }).status).toBe('pending');
    expect(askedQuestion(open, { text: 'Why?', name: '   ' }).name).toBeNull();
  });

  it('waits for the organizer when the poll filters profanity and it holds some, in its text or its name', () => {
    const filtered = { ...open, profanityFilter: true };
    expect(askedQuestion(filtered, { text: 'What the fuck?' }).status).toBe('pending');
    expect(askedQuestion(filtered, { text: 'Fine?', name: 'shithead' }).status).toBe('pending');
    expect(askedQuestion(open, { text: 'What the fuck?' }).status).toBe('approved');
  });

  it('is refused with a clear reason: closed, empty, too long, or named where questions are anonymous', () => {
    const reason = (settings: typeof open, input: { text: string; name?: string }) => {
      try {
        askedQuestion(settings, input);
        return 'taken';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(reason({ ...open, open: false }, { text: 'Why?' })).toBe(
      'This poll takes no questions from the audience right now.',
    );
    expect(reason(open, { text: '\u0000 ' })).toBe('Write your question first.');
    expect(reason(open, { text: 'é'.repeat(281) })).toBe('A question is at most 280 characters.');
    expect(reason(open, { text: 'é'.repeat(280) })).toBe('taken');
    expect(reason({ ...open, named: false }, { text: 'Why?', name: 'Ana' })).toBe(
      'Questions here are anonymous: leave the name out.',
    );
  });
});

describe('the order of questions', () => {
  const items = [
    { id: 1, upvotes: 3 },
    { id: 2, upvotes: 5 },
    { id: 3, upvotes: 3 },
  ];
  it('puts the most upvoted first, the newer first among equals; or the newest first', () => {
    expect(sortQa(items, 'votes').map((item) => item.id)).toEqual([2, 3, 1]);
    expect(sortQa(items, 'newest').map((item) => item.id)).toEqual([3, 2, 1]);
  });
});
