import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.js';
import { buildContexts } from './context-dataset.js';
import { DataError } from './errors.js';

describe('CharTokenizer', () => {
  it("builds the lecture's vocabulary: '.' at 0, then the sorted characters", () => {
    const tokenizer = CharTokenizer.fromWords(['emma', 'olivia', 'ava', 'isabella', 'sophia']);
    expect(tokenizer.itos).toEqual(['.', 'a', 'b', 'e', 'h', 'i', 'l', 'm', 'o', 'p', 's', 'v']);
    expect(tokenizer.vocabSize).toBe(12);
    expect(tokenizer.boundary).toBe('.');
    for (const [id, char] of tokenizer.itos.entries()) expect(tokenizer.stoi(char)).toBe(id);
  });

  it('treats any Unicode code point as one character, sorted by code point like Python', () => {
    // 'ｚ' (U+FF5A) sorts before '😀' (U+1F600) by code point, but after it in UTF-16 order.
    const tokenizer = CharTokenizer.fromWords(['😀ｚ', 'zoë', 'straße', '日本']);
    expect(tokenizer.itos).toEqual([
      '.',
      'a',
      'e',
      'o',
      'r',
      's',
      't',
      'z',
      'ß',
      'ë',
      '日',
      '本',
      'ｚ',
      '😀',
    ]);
    const ids = tokenizer.encode('😀ｚzoë');
    expect(Array.from(ids)).toEqual([13, 12, 7, 3, 9]);
    expect(tokenizer.decode(ids)).toBe('😀ｚzoë');
    expect(tokenizer.stoi('😀')).toBe(13);
  });

  it('round-trips every word through encode and decode', () => {
    const words = ['anne-marie', "o'neil", 'zoë', 'x'];
    const tokenizer = CharTokenizer.fromWords(words);
    for (const word of words) expect(tokenizer.decode(tokenizer.encode(word))).toBe(word);
    expect(tokenizer.encode('')).toEqual(new Int32Array(0));
  });

  it('refuses a word containing the boundary, suggesting a boundary the data does not use', () => {
    expect(() => CharTokenizer.fromWords(['ann', 'st.john'])).toThrow(
      new DataError(
        "the word 'st.john' (index 1) contains the boundary character '.' — pick another boundary, e.g. { boundary: '|' }, or remove it from the data",
      ),
    );
    expect(() => CharTokenizer.fromWords(['a|b', 'c.d'])).toThrow("e.g. { boundary: '#' }");
    const custom = CharTokenizer.fromWords(['st.john'], { boundary: '|' });
    expect(custom.itos.join('')).toBe('|.hjnost');
    expect(custom.decode([0, ...custom.encode('st.john'), 0])).toBe('|st.john|');
  });

  it('refuses to encode the boundary inside a word (it would silently end the word)', () => {
    const tokenizer = CharTokenizer.fromWords(['emma']);
    expect(() => tokenizer.encode('em.ma')).toThrow(
      "'em.ma' contains the boundary character '.', which only marks where words start and end",
    );
    expect(() => buildContexts(['ab', 'a.b'], CharTokenizer.fromWords(['ab']), 3)).toThrow(
      "the word 'a.b' (index 1) contains the boundary character '.'",
    );
  });

  it('names the unknown character in PyTorch-like words: stoi and encode', () => {
    const tokenizer = CharTokenizer.fromWords(Array.from('abcdefghijklmnopqrstuvwxyz'));
    expect(tokenizer.vocabSize).toBe(27);
    expect(() => tokenizer.stoi('é')).toThrow(
      new DataError("Unknown character 'é' (not in the vocabulary of 27 characters)"),
    );
    expect(() => tokenizer.stoi('ab')).toThrow("Unknown character 'ab'");
    expect(() => tokenizer.encode('josé')).toThrow(
      "Unknown character 'é' in 'josé' (not in the vocabulary of 27 characters) — build the tokenizer from the same words with CharTokenizer.fromWords",
    );
    expect(() => tokenizer.decode([0, 27])).toThrow(
      new DataError('Unknown token id 27 (the vocabulary has 27 tokens: ids 0 to 26)'),
    );
    expect(() => tokenizer.decode([1.5])).toThrow(DataError);
  });

  it('checks the constructor arguments', () => {
    expect(new CharTokenizer(['b', 'a']).itos).toEqual(['.', 'b', 'a']); // the order given
    expect(() => new CharTokenizer(['a', 'a'])).toThrow(
      "the character 'a' appears twice in the vocabulary — list each character once",
    );
    expect(() => new CharTokenizer(['a', '.'])).toThrow(
      "the characters include the boundary '.' — list the characters without it (it always gets id 0)",
    );
    expect(() => new CharTokenizer(['ab'])).toThrow(
      "vocabulary entry 0 must be a single character, got 'ab'",
    );
    expect(() => new CharTokenizer(['a'], { boundary: '' })).toThrow(
      "the boundary must be a single character, got '' — pass { boundary: '|' } or another character not in the data",
    );
    expect(new CharTokenizer(['a'], { boundary: '😀' }).vocabSize).toBe(2);
  });

  it('round-trips through JSON and validates what it reads', () => {
    const tokenizer = CharTokenizer.fromWords(['zoë', 'anne-marie'], { boundary: '|' });
    const json = JSON.parse(JSON.stringify(tokenizer));
    expect(json).toEqual({
      chars: ['-', 'a', 'e', 'i', 'm', 'n', 'o', 'r', 'z', 'ë'],
      boundary: '|',
    });
    const back = CharTokenizer.fromJSON(json);
    expect(back.itos).toEqual(tokenizer.itos);
    expect(back.boundary).toBe('|');

    const fix =
      'expected {"chars": ["a", "b", …], "boundary": "."} as written by CharTokenizer.toJSON()';
    expect(() => CharTokenizer.fromJSON(null)).toThrow(`invalid tokenizer JSON: got null — ${fix}`);
    expect(() => CharTokenizer.fromJSON({ chars: 'ab', boundary: '.' })).toThrow(
      `invalid tokenizer JSON: "chars" must be an array of strings, got 'ab' — ${fix}`,
    );
    expect(() => CharTokenizer.fromJSON({ chars: ['a'] })).toThrow(
      `invalid tokenizer JSON: "boundary" must be a string, got undefined — ${fix}`,
    );
    expect(() => CharTokenizer.fromJSON({ chars: ['a', 'a'], boundary: '.' })).toThrow(
      "invalid tokenizer JSON: the character 'a' appears twice in the vocabulary",
    );
  });
});
