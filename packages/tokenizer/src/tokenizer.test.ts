import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BasicTokenizer,
  bytesRepr,
  DisallowedSpecialTokenError,
  loadTokenizer,
  ModelFormatError,
  RegexTokenizer,
  TokenizerError,
  tokenizerFromJSON,
  tokenizerFromModelFile,
} from './index.js';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures/minbpe', name), 'utf8');
const expected = JSON.parse(fixture('expected.json'));
const trainText = fixture('train.txt');

/** minbpe's algorithm as written (recount every merge, Python's max picks the first inserted). */
function naiveMerges(chunks: number[][], numMerges: number): [number, number][] {
  const merges: [number, number][] = [];
  for (let m = 0; m < numMerges; m++) {
    const stats = new Map<string, number>();
    for (const ids of chunks) {
      for (let i = 0; i + 1 < ids.length; i++) {
        const key = `${ids[i]},${ids[i + 1]}`;
        stats.set(key, (stats.get(key) ?? 0) + 1);
      }
    }
    if (stats.size === 0) break; // minbpe's max() of an empty dict raises here
    let best = '';
    let bestCount = 0;
    for (const [key, count] of stats) if (count > bestCount) [best, bestCount] = [key, count];
    const [a, b] = best.split(',').map(Number);
    merges.push([a, b]);
    chunks = chunks.map((ids) => {
      const out: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          out.push(256 + m);
          i++;
        } else out.push(ids[i]);
      }
      return out;
    });
  }
  return merges;
}

describe('BasicTokenizer', () => {
  it("reproduces minbpe's example: aaabdaaabac with 3 merges", () => {
    const tokenizer = new BasicTokenizer();
    tokenizer.train('aaabdaaabac', 256 + 3);
    expect(tokenizer.encode('aaabdaaabac')).toEqual([258, 100, 258, 97, 99]);
    expect(tokenizer.decode([258, 100, 258, 97, 99])).toBe('aaabdaaabac');
    expect(tokenizer.merges).toEqual([
      { pair: [97, 97], id: 256 },
      { pair: [256, 97], id: 257 },
      { pair: [257, 98], id: 258 },
    ]);
  });

  it("learns minbpe's merges on random texts, ties included (vs minbpe's recount-every-merge)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é'), minLength: 2, maxLength: 60 }),
        (text) => {
          const bytes = [...new TextEncoder().encode(text)];
          const numMerges = Math.min(8, bytes.length - 1);
          const tokenizer = new BasicTokenizer();
          const reference = naiveMerges([bytes], numMerges);
          if (reference.length < numMerges) {
            expect(() => tokenizer.train(text, 256 + numMerges)).toThrow(
              `after ${reference.length} the text`,
            );
            return;
          }
          tokenizer.train(text, 256 + numMerges);
          expect(tokenizer.merges.map((m) => m.pair)).toEqual(reference);
          expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("writes minbpe's .model and .vocab byte for byte, prints its verbose lines, encodes the same ids", () => {
    const tokenizer = new BasicTokenizer();
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      tokenizer.train(trainText, 256 + 64, { verbose: true });
    } finally {
      console.log = log;
    }
    expect(lines).toEqual(expected.basic.verbose);
    expect(tokenizer.toModelFile()).toBe(fixture('basic.model'));
    expect(tokenizer.toVocabFile()).toBe(fixture('basic.vocab'));
    expect(tokenizer.encode(expected.probe)).toEqual(expected.basic.ids);
  });

  it('round-trips invalid UTF-8 exactly through encode/decodeBytes; decode replaces like Python', () => {
    const tokenizer = new BasicTokenizer();
    tokenizer.train('héllo wörld ', 256 + 10);
    const bytes = Uint8Array.of(
      0xff,
      0x68,
      0xc3,
      0xa9,
      0xc3,
      0x80,
      0x80,
      0xed,
      0xa0,
      0x80,
      0x20,
      0xf0,
      0x9f,
    );
    expect(tokenizer.decodeBytes(tokenizer.encode(bytes))).toEqual(bytes);
    // CPython: bytes([...]).decode('utf-8', errors='replace')
    expect(tokenizer.decode(tokenizer.encode(bytes))).toBe(
      '\ufffdhéÀ\ufffd\ufffd\ufffd\ufffd \ufffd',
    );
  });
});

describe('encode', () => {
  /** minbpe's _encode_chunk as written: merge the lowest-id pair everywhere, until none applies. */
  function naiveEncode(bytes: number[], merges: Map<string, number>): number[] {
    let ids = bytes;
    while (ids.length >= 2) {
      let best = Infinity;
      for (let i = 0; i + 1 < ids.length; i++)
        best = Math.min(best, merges.get(`${ids[i]},${ids[i + 1]}`) ?? Infinity);
      if (best === Infinity) break;
      const out: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && merges.get(`${ids[i]},${ids[i + 1]}`) === best) {
          out.push(best);
          i++;
        } else out.push(ids[i]);
      }
      ids = out;
    }
    return ids;
  }

  it("gives minbpe's ids on random texts, short chunks (scan) and long ones (heap) alike", () => {
    const tokenizer = new BasicTokenizer();
    tokenizer.train(trainText, 256 + 64);
    const merges = new Map(tokenizer.merges.map((m) => [m.pair.join(','), m.id]));
    const words = ['the ', 'whale', ' ', 'e ', '!!', 'café', '中文', '00', 'a', '\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(tokenizer.encode(text)).toEqual(
          naiveEncode([...new TextEncoder().encode(text)], merges),
        );
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('RegexTokenizer', () => {
  it("writes minbpe's files with special tokens and encodes like minbpe", () => {
    const tokenizer = new RegexTokenizer();
    const lines: string[] = [];
    tokenizer.train(trainText, 256 + 64, {
      // the callback gets what minbpe prints: rebuild its line from the fields
      verbose: (m) =>
        lines.push(
          `merge ${m.index}/${m.numMerges}: (${m.pair[0]}, ${m.pair[1]}) -> ${m.id} (${bytesRepr(m.bytes)}) had ${m.count} occurrences`,
        ),
    });
    expect(lines).toEqual(expected.regex.verbose);
    tokenizer.registerSpecialTokens({ '<|endoftext|>': 400, '<|fim|>': 401 });
    expect(tokenizer.toModelFile()).toBe(fixture('regex.model'));
    expect(tokenizer.toVocabFile()).toBe(fixture('regex.vocab'));
    expect(tokenizer.encode(expected.probe)).toEqual(expected.regex.ids);
    expect(tokenizer.encode('a<|endoftext|>b<|fim|>', 'all')).toEqual(expected.regex.idsSpecial);
  });

  it("learns minbpe's merges chunk by chunk on random texts", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'b', "'", 's', ' ', '1', '\n', 'é'),
          minLength: 4,
          maxLength: 80,
        }),
        (text) => {
          const tokenizer = new RegexTokenizer();
          const chunks = (
            text.match(
              /'(?:[sdmtSDMTſ]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+/gu,
            ) ?? []
          ).map((c) => [...new TextEncoder().encode(c)]);
          const pairs = chunks.reduce((n, c) => n + Math.max(0, c.length - 1), 0);
          if (pairs < 4) return;
          const reference = naiveMerges(chunks, 3);
          if (reference.length < 3) return;
          tokenizer.train(text, 259);
          expect(tokenizer.merges.map((m) => m.pair)).toEqual(reference);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it("handles special tokens as minbpe does, and raises tiktoken's error by default", () => {
    const tokenizer = new RegexTokenizer();
    tokenizer.train(trainText, 300);
    tokenizer.registerSpecialTokens({ '<|endoftext|>': 300, '<|fim|>': 301 });
    const text = 'the<|endoftext|>sea<|fim|>';
    expect(() => tokenizer.encode(text)).toThrow(DisallowedSpecialTokenError);
    expect(() => tokenizer.encode(text)).toThrow(
      "Encountered text corresponding to disallowed special token '<|endoftext|>'.",
    );
    expect(tokenizer.encode(text, 'all')).toEqual([
      ...tokenizer.encode('the'),
      300,
      ...tokenizer.encode('sea'),
      301,
    ]);
    expect(tokenizer.encode(text, 'none')).toEqual(tokenizer.encodeOrdinary(text));
    expect(tokenizer.encode(text, new Set(['<|fim|>']))).toEqual([
      ...tokenizer.encodeOrdinary('the<|endoftext|>sea'),
      301,
    ]);
    expect(tokenizer.decode(tokenizer.encode(text, 'all'))).toBe(text);
    expect(() => tokenizer.encode(text, 'some' as never)).toThrow(
      "allowedSpecial=some not understood: use 'all', 'none', 'none_raise' or a Set of special tokens",
    );
  });

  it('splits long byte input (more chunks than a call takes arguments) like the same string', () => {
    const tokenizer = new RegexTokenizer();
    const text = 'Call me Ishmael. Some years ago, never mind how long precisely. '.repeat(20_000);
    const bytes = new TextEncoder().encode(text);
    const ids = tokenizer.encodeOrdinary(bytes);
    expect(ids.length).toBe(bytes.length);
    expect(ids).toEqual(tokenizer.encodeOrdinary(text));
    tokenizer.train(bytes, 260);
    expect(tokenizer.encodeOrdinary(bytes)).toEqual(tokenizer.encodeOrdinary(text));
  });

  it('trains a BasicTokenizer on long byte input (one chunk, not spread into a call)', () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 13);
    const tokenizer = new BasicTokenizer();
    tokenizer.train(bytes, 260);
    expect(tokenizer.merges).toHaveLength(4);
    expect(tokenizer.decodeBytes(tokenizer.encode(bytes))).toEqual(bytes);
  });

  it('keeps a byte-order mark: bytes are bytes, and decode keeps U+FEFF as CPython does', () => {
    const bytes = Uint8Array.of(0xef, 0xbb, 0xbf, 0x61, 0x62, 0xff, 0xef, 0xbb, 0xbf, 0x63);
    const tokenizer = new RegexTokenizer();
    const ids = tokenizer.encode(bytes);
    expect(ids).toEqual([0xef, 0xbb, 0xbf, 0x61, 0x62, 0xff, 0xef, 0xbb, 0xbf, 0x63]);
    expect(tokenizer.decodeBytes(ids)).toEqual(bytes);
    // CPython: b'\xef\xbb\xbfa'.decode('utf-8', errors='replace') == '\ufeffa'
    expect(tokenizer.decode([0xef, 0xbb, 0xbf, 0x61])).toBe('\ufeffa');
  });

  it('keeps invalid UTF-8 bytes as their own chunks and round-trips them', () => {
    const tokenizer = new RegexTokenizer();
    tokenizer.train(trainText, 300);
    const bytes = Uint8Array.of(0x74, 0x68, 0x65, 0xff, 0x20, 0x73, 0x65, 0x61, 0xe4, 0xb8);
    expect(tokenizer.decodeBytes(tokenizer.encode(bytes))).toEqual(bytes);
    tokenizer.train(bytes, 258);
    expect(tokenizer.decodeBytes(tokenizer.encode(bytes))).toEqual(bytes);
  });
});

describe('saving and loading', () => {
  it("loads minbpe's .model files and encodes exactly as the trained tokenizer", async () => {
    for (const name of ['basic', 'regex'] as const) {
      const loaded = await loadTokenizer(
        join(import.meta.dirname, 'fixtures/minbpe', `${name}.model`),
      );
      expect(loaded.kind).toBe(name);
      expect(loaded.encode(expected.probe)).toEqual(expected[name].ids);
      expect(loaded.toModelFile()).toBe(fixture(`${name}.model`));
    }
  });

  it('saves .model/.vocab and JSON that load back to the same tokenizer', async () => {
    const tokenizer = new RegexTokenizer();
    tokenizer.train(trainText, 280);
    tokenizer.registerSpecialTokens({ '<|endoftext|>': 280 });
    const dir = mkdtempSync(join(tmpdir(), 'lmp-bpe-'));
    await tokenizer.save(join(dir, 'tok'));
    const again = await loadTokenizer(join(dir, 'tok'));
    expect(again.encode(expected.probe)).toEqual(tokenizer.encode(expected.probe));
    expect(again.specialTokens).toEqual(tokenizer.specialTokens);
    const json = tokenizerFromJSON(JSON.stringify(tokenizer));
    expect(json.toJSON()).toEqual(tokenizer.toJSON());
    expect(json.vocabSize).toBe(281);
  });

  it('rejects corrupt .model files, naming the line', () => {
    expect(() => tokenizerFromModelFile('minbpe v2\n\n0\n')).toThrow(ModelFormatError);
    expect(() => tokenizerFromModelFile('minbpe v2\n\n0\n')).toThrow(
      '.model file, line 1: expected \'minbpe v1\', found "minbpe v2"',
    );
    expect(() => tokenizerFromModelFile('minbpe v1\n\n0\n97 97\n97 x\n')).toThrow(
      '.model file, line 5: expected a merge \'<id> <id>\', found "97 x"',
    );
    expect(() => tokenizerFromModelFile('minbpe v1\n\n0\n97 300\n')).toThrow(
      'line 4: merge 97 300 uses an id that does not exist yet (the merge makes id 256)',
    );
    expect(() => tokenizerFromModelFile('minbpe v1\n\nmany\n')).toThrow(
      'line 3: expected the number of special tokens, found "many"',
    );
    expect(() => tokenizerFromModelFile('minbpe v1\n\n1\n')).toThrow('line 4: expected');
    expect(() => tokenizerFromJSON('{"format":"other"}')).toThrow(
      'is not a tokenizer saved by toJSON()',
    );
    expect(() => tokenizerFromJSON('{oops')).toThrow('tokenizer JSON is not JSON');
    const json = { format: 'llm-playground-bpe', version: 1, specialTokens: {} };
    // ids as strings would index the vocabulary but never match a pair: refused, not ignored
    expect(() =>
      tokenizerFromJSON({ ...json, kind: 'basic', merges: [['97', '97', 256]] } as never),
    ).toThrow('merge 1 (97, 97) -> 256 is invalid');
    expect(() => tokenizerFromJSON({ ...json, kind: 'regex', merges: [] } as never)).toThrow(
      "kind must be 'basic', or 'regex' with its split pattern as a string",
    );
  });
});

describe('bad input', () => {
  it('rejects empty text, vocabulary sizes ≤ 256 or fractional, unknown ids', () => {
    const tokenizer = new BasicTokenizer();
    expect(() => tokenizer.train('', 300)).toThrow('cannot train on an empty text');
    expect(() => tokenizer.train('abc', 256)).toThrow(
      'vocabSize must be an integer greater than 256 (the 256 bytes plus at least one merge), got 256',
    );
    expect(() => tokenizer.train('abc', 300.5)).toThrow(TokenizerError);
    expect(() => tokenizer.train('ab', 259)).toThrow(
      'cannot learn 3 merges: after 1 the text has no adjacent pair of tokens left; use a longer text or vocabSize ≤ 257',
    );
    expect(() => tokenizer.decode([256])).toThrow('invalid token id: 256');
    expect(() => tokenizer.registerSpecialTokens({ '<|x|>': 97 })).toThrow(
      'special token "<|x|>" needs an unused integer id ≥ 256, got 97',
    );
    expect(() => new RegexTokenizer('(?i:a)b')).toThrow('is not a valid JavaScript RegExp');
  });
});
