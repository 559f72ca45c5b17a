import { parseWords } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { wordsFile } from './data-notice.js';

describe('wordsFile (the exported list reads back as the same words)', () => {
  it('writes one word per line, ending with a newline', () => {
    const words = ['emma', 'zoë', 'jean-luc'];
    expect(wordsFile(words)).toBe('emma\nzoë\njean-luc\n');
    // What the data page's parser reads back from it.
    expect(parseWords(wordsFile(words)).words).toEqual(words);
  });
});
