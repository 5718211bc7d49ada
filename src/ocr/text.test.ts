import { describe, expect, it } from 'vitest';
import { cleanOptions, cleanText, optionsFromText, questionFromText } from './text.js';

describe('reading options out of OCR text', () => {
  it('removes every kind of label', () => {
    const text = ['A. Sydney', 'b) Canberra', '(c) Melbourne', '4. Perth', '- Darwin', '• Hobart', '[7] Cairns'].join(
      '\n',
    );
    expect(optionsFromText(text)).toEqual(['Sydney', 'Canberra', 'Melbourne', 'Perth', 'Darwin', 'Hobart', 'Cairns']);
  });

  it('joins a wrapped line onto the option it continues', () => {
    expect(optionsFromText('1) A very long option that\nwraps onto a second line\n2) Short')).toEqual([
      'A very long option that wraps onto a second line',
      'Short',
    ]);
  });

  it('takes what an engine reads a photographed bullet as for a bullet, and a line that lost its bullet for an option', () => {
    expect(optionsFromText('e Sandwiches\n* Noodles\nSalad bowls\n» Soup\n« Pie')).toEqual([
      'Sandwiches',
      'Noodles',
      'Salad bowls',
      'Soup',
      'Pie',
    ]);
    // A wrapped line still continues its option, and a word is not a bullet.
    expect(optionsFromText('• A long option that\nwraps here\n• echo Park')).toEqual([
      'A long option that wraps here',
      'echo Park',
    ]);
  });

  it('leaves out a slide’s page number, but not options that are numbers', () => {
    expect(optionsFromText('A. Tea\nB. Coffee\n12')).toEqual(['Tea', 'Coffee']);
    expect(optionsFromText('Tea\nCoffee\nSlide 3 / 10')).toEqual(['Tea', 'Coffee']);
    expect(optionsFromText('1990\n2000\n2010')).toEqual(['1990', '2000', '2010']);
    expect(questionFromText('Which year was best?\nPage 4 of 9')).toBe('Which year was best?');
    expect(questionFromText('42')).toBe('42');
  });

  it('treats every line as an option when no line has a label', () => {
    expect(optionsFromText('Red\n\nGreen\n  Blue  \n')).toEqual(['Red', 'Green', 'Blue']);
  });

  it('keeps words that merely look like labels', () => {
    expect(optionsFromText('Mr. Smith\nI think so')).toEqual(['Mr. Smith', 'I think so']);
  });

  it('joins the lines of a question', () => {
    expect(questionFromText('Where should the team go\nfor lunch on Friday?\n')).toBe(
      'Where should the team go for lunch on Friday?',
    );
  });

  it('strips control and bidi-override characters and bounds the length', () => {
    expect(cleanText('Tab\there\u0000 and \u202Eevil\u202C', 100)).toBe('Tab here and evil');
    expect(cleanText('x'.repeat(1000), 10)).toBe('xxxxxxxxxx');
    expect(cleanOptions(['A. One', '  ', 'B) Two'])).toEqual(['One', 'Two']);
  });
});
