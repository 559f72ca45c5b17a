import { DataError } from './errors.js';
import { describeValue, formatCount } from './format.js';

export interface CharTokenizerOptions {
  /** The token that marks both the start and the end of a word, at index 0; default `'.'`. */
  boundary?: string;
}

/** What `toJSON` writes and `fromJSON` reads. */
export interface CharTokenizerJSON {
  chars: string[];
  boundary: string;
}

/** Boundaries to suggest when the data already uses `.`: printable and rare in word lists. */
const BOUNDARY_CANDIDATES = ['|', '#', '~', '^', '_', '@', '$', '*', '+', '=', '<', '>', '§', '¶'];

/**
 * The lecture's character-level vocabulary: `chars = sorted(list(set(''.join(words))))`,
 * `stoi = {s: i + 1}`, `stoi['.'] = 0`. Characters are Unicode code points (`Array.from(word)`),
 * so `é`, `ß` or `😀` are one token each, sorted by code point as Python sorts them.
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromWords(['emma', 'olivia', 'ava']);
 * tokenizer.itos.join(''); // '.aeilmov'
 * tokenizer.vocabSize; // 8
 * tokenizer.encode('emma'); // [2, 5, 5, 1]
 * tokenizer.decode([2, 5, 5, 1]); // 'emma'
 * ```
 */
export class CharTokenizer {
  /** The start/end token, `itos[0]`. */
  readonly boundary: string;
  /** Index to string: `itos[0] === boundary`, then the characters. */
  readonly itos: readonly string[];
  /** Number of tokens, the boundary included (27 for names.txt). */
  readonly vocabSize: number;
  /** Code point → id; the boundary included. */
  private readonly ids = new Map<number, number>();
  /** Fast path for ASCII code points (-1 when absent). */
  private readonly asciiIds = new Int32Array(128).fill(-1);

  /**
   * A tokenizer over `chars` (without the boundary), in the given order: `chars[i]` gets id `i + 1`.
   * Each entry must be one code point, all distinct, none equal to the boundary.
   *
   * @example
   * ```ts
   * const tokenizer = new CharTokenizer(['a', 'b'], { boundary: '|' });
   * tokenizer.itos; // ['|', 'a', 'b']
   * new CharTokenizer(['a', 'a']); // throws DataError
   * ```
   */
  constructor(chars: readonly string[], options: CharTokenizerOptions = {}) {
    const boundary = options.boundary ?? '.';
    if (typeof boundary !== 'string' || Array.from(boundary).length !== 1) {
      throw new DataError(
        `the boundary must be a single character, got ${describeValue(boundary)} — pass { boundary: '|' } or another character not in the data`,
      );
    }
    if (!Array.isArray(chars)) {
      throw new TypeError(
        `Argument 'chars' passed to 'CharTokenizer' must be an array of characters, got ${describeValue(chars)}`,
      );
    }
    this.boundary = boundary;
    this.itos = Object.freeze([boundary, ...chars]);
    this.vocabSize = this.itos.length;
    this.itos.forEach((char, id) => {
      if (typeof char !== 'string' || Array.from(char).length !== 1) {
        throw new DataError(
          `vocabulary entry ${id - 1} must be a single character, got ${describeValue(char)}`,
        );
      }
      const code = char.codePointAt(0)!;
      if (this.ids.has(code)) {
        throw new DataError(
          id > 0 && char === boundary
            ? `the characters include the boundary '${boundary}' — list the characters without it (it always gets id 0)`
            : `the character '${char}' appears twice in the vocabulary — list each character once`,
        );
      }
      this.ids.set(code, id);
      if (code < 128) this.asciiIds[code] = id;
    });
  }

  /**
   * The lecture's vocabulary of a word list: every distinct code point, sorted by code point, after
   * the boundary. Throws a `DataError` if a word contains the boundary, suggesting a free one.
   *
   * @example
   * ```ts
   * CharTokenizer.fromWords(['zoë', 'anne-marie']).itos.join(''); // '.-aeimnorzë'
   * CharTokenizer.fromWords(['dr.no']); // throws DataError
   * CharTokenizer.fromWords(['dr.no'], { boundary: '|' }).stoi('.'); // 1
   * ```
   */
  static fromWords(words: readonly string[], options: CharTokenizerOptions = {}): CharTokenizer {
    const boundary = options.boundary ?? '.';
    const boundaryCode = typeof boundary === 'string' ? (boundary.codePointAt(0) ?? -1) : -1;
    const boundaryIsOneCodePoint =
      typeof boundary === 'string' && Array.from(boundary).length === 1;
    // Seen code points: a flag per ASCII code, a set for the rest (the hot loop of big files).
    const seenAscii = new Uint8Array(128);
    const seenOther = new Set<number>();
    for (let w = 0; w < words.length; w++) {
      const word = words[w];
      if (typeof word !== 'string') {
        throw new TypeError(
          `Argument 'words' passed to 'CharTokenizer.fromWords' must be an array of strings, got ${describeValue(word)} at index ${w}`,
        );
      }
      for (let i = 0; i < word.length; i++) {
        let code = word.charCodeAt(i);
        if (code >= 0xd800 && code <= 0xdbff) {
          code = word.codePointAt(i)!;
          if (code > 0xffff) i++; // a surrogate pair is one code point
        }
        if (code === boundaryCode && boundaryIsOneCodePoint) {
          throw new DataError(
            `the word '${word}' (index ${w}) contains the boundary character '${boundary}' — pick another boundary, e.g. { boundary: '${freeBoundary(words)}' }, or remove it from the data`,
          );
        }
        if (code < 128) seenAscii[code] = 1;
        else seenOther.add(code);
      }
    }
    // Sort by code point, as Python's sorted() does (UTF-16 order would put emoji before 'ｚ').
    const codes = [...seenOther].sort((a, b) => a - b);
    const chars: string[] = [];
    for (let code = 0; code < 128; code++)
      if (seenAscii[code]) chars.push(String.fromCharCode(code));
    for (const code of codes) chars.push(String.fromCodePoint(code));
    return new CharTokenizer(chars, { boundary });
  }

  /**
   * The vocabulary of a text, as "let's build GPT" builds it: `chars = sorted(list(set(text)))`,
   * `stoi = {ch: i}`. There is no separate boundary token: the smallest character (a book's `\n`)
   * takes id 0 and serves as the `boundary`, so ids match the lecture's and `encodeText` accepts
   * every character of the text. Throws a `DataError` for an empty text.
   *
   * @example
   * ```ts
   * const tokenizer = CharTokenizer.fromText('hi there\n');
   * tokenizer.itos.join(''); // '\n ehirt'
   * tokenizer.encodeText('hi\n'); // [3, 4, 0]
   * tokenizer.decode(tokenizer.encodeText('three')); // 'three'
   * ```
   */
  static fromText(text: string): CharTokenizer {
    if (typeof text !== 'string') {
      throw new TypeError(
        `Argument 'text' passed to 'CharTokenizer.fromText' must be a string, got ${describeValue(text)}`,
      );
    }
    if (text.length === 0) {
      throw new DataError('the text is empty — pass the text to build the vocabulary from');
    }
    const codes = new Set<number>();
    for (const char of text) codes.add(char.codePointAt(0)!);
    const chars = [...codes].sort((a, b) => a - b).map((code) => String.fromCodePoint(code));
    return new CharTokenizer(chars.slice(1), { boundary: chars[0] });
  }

  /**
   * The ids of every character of `text`, the boundary included (a text tokenizer's id 0 is an
   * ordinary character, the lecture's `encode(s)`). Unknown characters throw one `DataError` that
   * names all of them (up to ten).
   *
   * @example
   * ```ts
   * CharTokenizer.fromText('abc\n').encodeText('cab\n'); // [3, 1, 2, 0]
   * CharTokenizer.fromText('abc\n').encodeText('Cab!'); // throws DataError
   * ```
   */
  encodeText(text: string): Int32Array {
    const out = new Int32Array(countCodePoints(text));
    let k = 0;
    const unknown = new Set<string>();
    for (const char of text) {
      const id = this.ids.get(char.codePointAt(0)!);
      if (id === undefined) unknown.add(char);
      else out[k++] = id;
    }
    if (unknown.size > 0) {
      const listed = [...unknown]
        .slice(0, 10)
        .map((char) => JSON.stringify(char).replace(/^"|"$/g, "'"));
      throw new DataError(
        `Unknown character${unknown.size === 1 ? '' : 's'} ${listed.join(', ')}${unknown.size > 10 ? ` and ${unknown.size - 10} more` : ''} (not in the vocabulary of ${formatCount(this.vocabSize)} characters) — use only characters of the training text`,
      );
    }
    return out;
  }

  /**
   * The id of one character; throws a `DataError` for a character outside the vocabulary.
   *
   * @example
   * ```ts
   * const tokenizer = CharTokenizer.fromWords(['emma']);
   * tokenizer.stoi('m'); // 3
   * tokenizer.stoi('.'); // 0
   * tokenizer.stoi('é'); // throws DataError
   * ```
   */
  stoi(char: string): number {
    const code =
      typeof char === 'string' && Array.from(char).length === 1 ? char.codePointAt(0)! : -1;
    const id = this.ids.get(code);
    if (id === undefined) {
      throw new DataError(
        `Unknown character ${describeValue(char)} (not in the vocabulary of ${formatCount(this.vocabSize)} characters)`,
      );
    }
    return id;
  }

  /**
   * The ids of a word's characters, without boundaries (the lecture's `[stoi[c] for c in w]`).
   *
   * @example
   * ```ts
   * CharTokenizer.fromWords(['ab']).encode('baba'); // [2, 1, 2, 1]
   * ```
   */
  encode(word: string): Int32Array {
    const out = new Int32Array(countCodePoints(word));
    this.encodeInto(word, out, 0, -1);
    return out;
  }

  /**
   * The string of some ids (boundaries included as the boundary character).
   *
   * @example
   * ```ts
   * CharTokenizer.fromWords(['ab']).decode([0, 2, 1, 0]); // '.ba.'
   * ```
   */
  decode(ids: Iterable<number>): string {
    let out = '';
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new DataError(
          `Unknown token id ${id} (the vocabulary has ${formatCount(this.vocabSize)} tokens: ids 0 to ${this.vocabSize - 1})`,
        );
      }
      out += this.itos[id];
    }
    return out;
  }

  /**
   * A plain object for `JSON.stringify`: the characters (without the boundary) and the boundary.
   *
   * @example
   * ```ts
   * JSON.stringify(CharTokenizer.fromWords(['ba'])); // '{"chars":["a","b"],"boundary":"."}'
   * ```
   */
  toJSON(): CharTokenizerJSON {
    return { chars: this.itos.slice(1), boundary: this.boundary };
  }

  /**
   * Rebuilds a tokenizer from `toJSON()`'s output (parsed), checking its shape and contents.
   *
   * @example
   * ```ts
   * CharTokenizer.fromJSON(JSON.parse('{"chars":["a","b"],"boundary":"."}')).vocabSize; // 3
   * CharTokenizer.fromJSON({ chars: 'ab' }); // throws DataError
   * ```
   */
  static fromJSON(json: unknown): CharTokenizer {
    const fix =
      'expected {"chars": ["a", "b", …], "boundary": "."} as written by CharTokenizer.toJSON()';
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new DataError(`invalid tokenizer JSON: got ${describeValue(json)} — ${fix}`);
    }
    const { chars, boundary } = json as Record<string, unknown>;
    if (!Array.isArray(chars) || !chars.every((c) => typeof c === 'string')) {
      throw new DataError(
        `invalid tokenizer JSON: "chars" must be an array of strings, got ${describeValue(chars)} — ${fix}`,
      );
    }
    if (typeof boundary !== 'string') {
      throw new DataError(
        `invalid tokenizer JSON: "boundary" must be a string, got ${describeValue(boundary)} — ${fix}`,
      );
    }
    try {
      return new CharTokenizer(chars, { boundary });
    } catch (error) {
      throw new DataError(`invalid tokenizer JSON: ${(error as Error).message}`, { cause: error });
    }
  }

  // ---- internal: the datasets' hot path ----

  /**
   * Writes the ids of `word` into `out` from `offset`; returns how many were written. `wordIndex`
   * only improves the error message. Internal to the package (used by the dataset builders).
   */
  encodeInto(word: string, out: Int32Array, offset: number, wordIndex: number): number {
    const ascii = this.asciiIds;
    let k = offset;
    for (let i = 0; i < word.length; i++) {
      let code = word.charCodeAt(i);
      let id = code < 128 ? ascii[code] : -1;
      if (id < 0) {
        code = word.codePointAt(i)!;
        if (code > 0xffff) i++; // a surrogate pair: one code point, two UTF-16 units
        id = this.ids.get(code) ?? -1;
        if (id < 0) throw this.unknownInWord(String.fromCodePoint(code), word, wordIndex);
      }
      // The boundary marks where words start and end; inside a word it would silently cut it.
      if (id === 0) throw this.boundaryInWord(word, wordIndex);
      out[k++] = id;
    }
    return k - offset;
  }

  private boundaryInWord(word: string, wordIndex: number): DataError {
    const where = wordIndex >= 0 ? `the word '${word}' (index ${wordIndex})` : `'${word}'`;
    return new DataError(
      `${where} contains the boundary character '${this.boundary}', which only marks where words start and end — remove it from the data, or build a tokenizer with another { boundary }`,
    );
  }

  private unknownInWord(char: string, word: string, wordIndex: number): DataError {
    const where = wordIndex >= 0 ? ` in the word '${word}' (index ${wordIndex})` : ` in '${word}'`;
    return new DataError(
      `Unknown character '${char}'${where} (not in the vocabulary of ${formatCount(this.vocabSize)} characters) — build the tokenizer from the same words with CharTokenizer.fromWords`,
    );
  }
}

/** The number of code points in `word` (surrogate pairs count once). */
export function countCodePoints(word: string): number {
  let n = word.length;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < word.length) {
      const d = word.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** A printable boundary that no word uses, for the error message's suggestion. */
function freeBoundary(words: readonly string[]): string {
  const used = new Set<string>();
  for (const word of words) for (const char of word) used.add(char);
  return BOUNDARY_CANDIDATES.find((c) => !used.has(c)) ?? '\u241E';
}
