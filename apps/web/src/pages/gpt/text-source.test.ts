import { describe, expect, it } from 'vitest';
import { textProblem } from './text-source.js';

describe('textProblem', () => {
  it('names an empty text, a binary one and one too short for the block size', () => {
    expect(textProblem('', 32, 'pasted text')).toBe(
      'pasted text is empty: paste or upload a text to train on.',
    );
    expect(textProblem('ab\u0000cd', 1, 'x.bin')).toMatch(
      /^x.bin has a NUL character at position 2: is it a binary file\?/,
    );
    // 400 characters: the validation part is 40, longer than a block of 39, not of 40.
    const text = 'x'.repeat(400);
    expect(textProblem(text, 32, 'a.txt')).toBeNull();
    expect(textProblem(text, 39, 'a.txt')).toBeNull();
    expect(textProblem(text, 40, 'a.txt')).toBe(
      'a.txt has 400 characters: its validation part (the last 10%, 40) must be longer than the block size 40. Use a longer text (over 410 characters) or a block size below 40.',
    );
    // Characters are code points, as makemore's tokenizer counts them.
    expect(textProblem('😀'.repeat(400), 39, 'e.txt')).toBeNull();
  });
});
