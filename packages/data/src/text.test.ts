import { describe, expect, it } from 'vitest';
import { bundledBook } from './bundled-book.js';
import { CharTokenizer } from './char-tokenizer.js';
import { DataError } from './errors.js';
import { decodeText, splitText } from './text.js';

describe('bundledBook', () => {
  it('is Moby Dick: its length, first words, vocabulary and the 90/10 split', async () => {
    const book = await bundledBook();
    expect(book.text.length).toBe(1_190_317);
    expect(Array.from(book.text).length).toBe(1_190_317); // no surrogate pairs
    expect(book.text.startsWith('CHAPTER 1. Loomings.\n\nCall me Ishmael.')).toBe(true);
    expect(book.text.trimEnd().endsWith('rolled on as it rolled five thousand years ago.')).toBe(
      true,
    );
    expect(book.summary).toBe(
      '1,190,317 characters of the bundled book Moby Dick (chapters 1–135)',
    );
    const tokenizer = CharTokenizer.fromText(book.text);
    expect(tokenizer.vocabSize).toBe(83);
    expect(tokenizer.itos.join('')).toBe(
      '\n !$&()*,-.0123456789:;?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]abcdefghijklmnopqrstuvwxyz—‘’“”',
    );
    const ids = tokenizer.encodeText(book.text);
    expect(ids.length).toBe(1_190_317);
    expect(tokenizer.decode(ids)).toBe(book.text);
    const { train, val } = splitText(ids, 0.9);
    // n = int(0.9 * 1190317) = 1071285
    expect([train.length, val.length]).toEqual([1_071_285, 119_032]);
    expect(tokenizer.decode(val.subarray(0, 10))).toBe(
      Array.from(book.text).slice(1_071_285, 1_071_295).join(''),
    );
  });
});

describe('CharTokenizer.fromText', () => {
  it("gives the lecture's stoi: sorted characters from 0, the newline included", () => {
    const tokenizer = CharTokenizer.fromText('First Citizen:\nBefore we proceed\n');
    expect(tokenizer.itos.join('')).toBe('\n :BCFcdefinoprstwz');
    expect(tokenizer.boundary).toBe('\n');
    expect(Array.from(tokenizer.encodeText('\nFirst'))).toEqual([0, 5, 10, 14, 15, 16]);
    // Round trip over every character, in and out of the BMP.
    const text = 'zoë 😀 naïve\nß';
    const emoji = CharTokenizer.fromText(text);
    expect(emoji.vocabSize).toBe(new Set(Array.from(text)).size);
    expect(emoji.encodeText(text).length).toBe(Array.from(text).length);
    expect(emoji.decode(emoji.encodeText(text))).toBe(text);
  });

  it('names every unknown character of a prompt', () => {
    const tokenizer = CharTokenizer.fromText('abc\n');
    expect(() => tokenizer.encodeText('Cab!C')).toThrow(
      new DataError(
        "Unknown characters 'C', '!' (not in the vocabulary of 4 characters) — use only characters of the training text",
      ),
    );
    expect(() => tokenizer.encodeText('\t')).toThrow("Unknown character '\\t' (not in");
  });

  it('refuses an empty text', () => {
    expect(() => CharTokenizer.fromText('')).toThrow(DataError);
  });
});

describe('splitText', () => {
  it('splits by position, ids and text alike', () => {
    const ids = Int32Array.from({ length: 1003 }, (_, i) => i);
    const { train, val } = splitText(ids);
    expect([train.length, val.length]).toEqual([902, 101]); // int(0.9 * 1003) = 902
    expect(val[0]).toBe(902);
    expect(splitText('héllo😀!', 0.5)).toEqual({ train: 'hél', val: 'lo😀!' });
  });

  it('refuses a fraction outside (0, 1)', () => {
    expect(() => splitText('abc', 1)).toThrow(
      "Argument 'fraction' passed to 'splitText' must be a number between 0 and 1 (exclusive), got 1",
    );
    expect(() => splitText('abc', 0)).toThrow(RangeError);
  });
});

describe('decodeText', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  it('decodes UTF-8 and drops a byte-order mark', () => {
    expect(decodeText(utf8('\uFEFFCall me Ishmael.'), 'a.txt')).toBe('Call me Ishmael.');
  });
  it('refuses empty, blank, binary, UTF-16 and Latin-1 input, saying which', () => {
    expect(() => decodeText(new Uint8Array(0), 'e.txt')).toThrow('e.txt is empty — pass a UTF-8');
    expect(() => decodeText(utf8(' \n\n'), 'b.txt')).toThrow('b.txt holds only white space');
    expect(() => decodeText(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 0]), 'ls')).toThrow(
      'ls looks like a binary file, not text (a NUL byte at offset 6)',
    );
    const noise = Uint8Array.from({ length: 1000 }, (_, i) => 128 + ((i * 37) % 128));
    expect(() => decodeText(noise, 'x.bin')).toThrow(
      /^x\.bin looks like a binary file, not text \(\d/,
    );
    expect(() => decodeText(new Uint8Array([0xff, 0xfe, 0x41, 0]), 'u16.txt')).toThrow(
      'u16.txt is UTF-16 text, not UTF-8',
    );
    const latin1 = Uint8Array.from([
      ...utf8('line one\nline two is caf'),
      0xe9,
      ...utf8(' noir and a long tail of ordinary words '.repeat(5)),
    ]);
    expect(() => decodeText(latin1, 'l.txt')).toThrow(
      'l.txt is not UTF-8 text (invalid bytes on line 2) — save it as UTF-8 and try again',
    );
  });
});
