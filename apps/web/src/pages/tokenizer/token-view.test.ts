import {
  BasicTokenizer,
  loadPretrained,
  RegexTokenizer,
  type Tokenizer,
} from '@llm-playground/tokenizer';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  countCurve,
  DEFAULT_TEXT,
  describeSpan,
  exactCurve,
  ratios,
  textCounts,
  tokenSpans,
  visibleWhitespace,
} from './token-view.js';

const LECTURE = 'hello123!!!? (안녕하세요!) 😉';

describe('tokenSpans', () => {
  let gpt2: Tokenizer;
  let gpt4: Tokenizer;
  beforeAll(async () => {
    [gpt2, gpt4] = await Promise.all([loadPretrained('gpt2'), loadPretrained('cl100k_base')]);
  }, 30_000);

  it("gives the lecture string's cl100k ids, and spans that concatenate back to the text", () => {
    const spans = tokenSpans(gpt4, LECTURE);
    expect(spans.flatMap((span) => span.ids)).toEqual([
      15339, 4513, 12340, 30, 320, 31495, 230, 75265, 243, 92245, 16715, 57037,
    ]);
    expect(spans.map((span) => span.text).join('')).toBe(LECTURE);
    // 안 is split over two tokens (31495 + 230): they share a span.
    expect(spans.map((span) => span.text)).toEqual([
      'hello',
      '123',
      '!!!',
      '?',
      ' (',
      '안',
      '녕',
      '하세요',
      '!)',
      ' 😉',
    ]);
    expect(spans[5].ids).toEqual([31495, 230]);
  });

  it("keeps GPT-2's split emoji in one span; every span is whole characters", () => {
    const spans = tokenSpans(gpt2, ' 😉');
    expect(spans).toHaveLength(1);
    expect(spans[0].ids).toEqual([30325, 231]);
    expect(spans[0].text).toBe(' 😉');
    for (const tokenizer of [gpt2, gpt4]) {
      const all = tokenSpans(tokenizer, DEFAULT_TEXT);
      expect(all.map((span) => span.text).join('')).toBe(DEFAULT_TEXT);
      for (const span of all) expect(span.text).not.toContain('\uFFFD');
    }
  });

  it('treats <|endoftext|> as allowedSpecial says, with tiktoken’s error', () => {
    expect(tokenSpans(gpt4, 'hi<|endoftext|>', 'all').flatMap((s) => s.ids)).toEqual([
      6151, 100257,
    ]);
    expect(tokenSpans(gpt2, 'hi<|endoftext|>', 'all').flatMap((s) => s.ids)).toEqual([5303, 50256]);
    expect(() => tokenSpans(gpt4, 'hi<|endoftext|>', 'none_raise')).toThrow(
      "Encountered text corresponding to disallowed special token '<|endoftext|>'.",
    );
    const plain = tokenSpans(gpt4, 'hi<|endoftext|>', 'none');
    expect(plain.flatMap((s) => s.ids)).not.toContain(100257);
    expect(plain.map((s) => s.text).join('')).toBe('hi<|endoftext|>');
  });

  it('describes a span by ids and bytes', () => {
    expect(describeSpan(tokenSpans(gpt4, ' (')[0])).toBe('320: [32, 40] " ("');
  });
});

describe('counts and display', () => {
  it('counts code points, UTF-8 bytes, tokens and bytes per token', () => {
    // 'hello123!!!? (' 14, '안녕하세요' 5 × 3 bytes, '!) ' 3, '😉' 4 bytes: 23 code points (Python's
    // len; JavaScript's .length says 24), 36 bytes.
    expect(LECTURE.length).toBe(24);
    expect(textCounts(LECTURE, 12)).toEqual({ characters: 23, bytes: 36, tokens: 12, ratio: 3 });
    expect(textCounts('', 0).ratio).toBe(0);
  });

  it('makes whitespace visible', () => {
    expect(visibleWhitespace(' a\tb\n')).toBe('·a→b↵\n');
  });
});

describe('compression curves', () => {
  it("minbpe's example: counts overstate a same-token pair's saving; the exact curve does not", () => {
    const tokenizer = new BasicTokenizer();
    const counts: number[] = [];
    tokenizer.train('aaabdaaabac', 256 + 3, { verbose: (merge) => counts.push(merge.count) });
    expect(counts).toEqual([4, 2, 2]);
    // aaabdaaabac: 11 bytes; merging aa makes 2 tokens out of 4 bytes' worth of "aa" pairs.
    expect(countCurve(11, counts)).toEqual([11, 7, 5, 3]);
    const ids = tokenizer.encode('aaabdaaabac');
    expect(ids).toEqual([258, 100, 258, 97, 99]);
    expect(exactCurve(ids, tokenizer.merges)).toEqual([11, 9, 7, 5]);
  });

  it('exact curve = replaying the merges one by one; its last point is the final ratio', () => {
    const text = `${DEFAULT_TEXT}\n${'the whale, the sea!!! 1234  5678\n'.repeat(20)}`;
    const bytes = new TextEncoder().encode(text);
    for (const tokenizer of [new BasicTokenizer(), new RegexTokenizer()]) {
      const counts: number[] = [];
      tokenizer.train(text, 256 + 60, { verbose: (merge) => counts.push(merge.count) });
      const curve = exactCurve(tokenizer.encodeOrdinary(text), tokenizer.merges);
      expect(curve).toHaveLength(61);
      // Replay: a tokenizer with only the first m merges encodes the text to curve[m] tokens.
      for (const m of [0, 1, 7, 30, 60]) {
        const json = tokenizer.toJSON();
        const partial = json.kind === 'basic' ? new BasicTokenizer() : new RegexTokenizer();
        partial.train(text, 256 + Math.max(m, 1));
        if (m === 0) expect(curve[0]).toBe(bytes.length);
        else expect(partial.encodeOrdinary(text).length).toBe(curve[m]);
      }
      const final = ratios(bytes.length, curve).at(-1);
      expect(final).toBe(textCounts(text, tokenizer.encodeOrdinary(text).length).ratio);
      // The counts' curve is never below the exact one (it overstates same-token merges).
      const estimate = countCurve(bytes.length, counts);
      for (let m = 0; m <= 60; m++) expect(estimate[m]).toBeLessThanOrEqual(curve[m]);
      expect(estimate[60]).toBeLessThan(curve[60]); // "!!!" and runs of spaces
    }
  });
});
