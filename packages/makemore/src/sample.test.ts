import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import { tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { BigramCounts } from './bigram-counts.js';
import { BigramNet } from './bigram-net.js';
import { MLP } from './mlp.js';
import { lectureReplacement, sample } from './sample.js';

const words = ['anna', 'bob', 'ava', 'otto', 'hannah', 'abba', 'nan'];
const tokenizer = CharTokenizer.fromWords(words);
const counts = BigramCounts.fromWords(words, tokenizer);

describe('sample', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = sample(counts, tokenizer, { count: 20, generator: new Generator(5) }).words;
    const b = sample(counts, tokenizer, { count: 20, generator: new Generator(5) }).words;
    const c = sample(counts, tokenizer, { count: 20, generator: new Generator(6) }).words;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((w) => [...w].every((ch) => tokenizer.itos.includes(ch)))).toBe(true);
  });

  it('consumes one uniform double per character, the lecture loop with multinomial(p, 1, replacement=True)', () => {
    const g = new Generator(9);
    const [word] = sample(counts, tokenizer, { count: 1, generator: g }).words;
    const reference = new Generator(9);
    const P = counts.probabilities().tolist() as number[][];
    let ix = 0;
    let expected = '';
    for (;;) {
      const u = reference.randDouble();
      let cumulative = 0;
      const row = P[ix].map((p) => (cumulative = Math.fround(cumulative + p)));
      const total = row[row.length - 1];
      ix = row.findIndex((c) => Math.fround(c / total) >= u);
      if (ix === 0) break;
      expected += tokenizer.itos[ix];
    }
    expect(word).toBe(expected);
    expect(g.nextUint32()).toBe(reference.nextUint32());
  });

  it('temperature 0 and topK 1 both give the most likely path', () => {
    const model = new BigramNet({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 });
    model.W.data.set([0, 5, 0, 0, 0, 5, 5, 0, 0]); // . → a → b → .
    const tok = CharTokenizer.fromWords(['ab']);
    expect(sample(model, tok, { count: 2, temperature: 0 }).words).toEqual(['ab', 'ab']);
    expect(sample(model, tok, { count: 2, topK: 1, generator: new Generator(1) }).words).toEqual([
      'ab',
      'ab',
    ]);
    // a flat temperature makes other paths likely
    const hot = sample(model, tok, {
      count: 30,
      temperature: 100,
      generator: new Generator(1),
    }).words;
    expect(hot.some((w) => w !== 'ab')).toBe(true);
    // a tiny temperature overflows logits / T to ±Infinity unless the maximum is subtracted first
    const cold = sample(model, tok, { count: 2, temperature: 1e-40, generator: new Generator(1) });
    expect(cold.words).toEqual(['ab', 'ab']);
  });

  it('topK keeps only the k most likely tokens', () => {
    const model = new MLP(
      { kind: 'mlp', vocabSize: tokenizer.vocabSize, blockSize: 3 },
      { generator: new Generator(3) },
    );
    const allowed = new Set<string>();
    // Find the two most likely first letters, then check that all first letters come from them.
    const first = model.logits(tensor([[0, 0, 0]])).view(-1).data;
    const top2 = Array.from(first.keys())
      .sort((a, b) => first[b] - first[a])
      .slice(0, 2);
    for (const i of top2) allowed.add(tokenizer.itos[i]);
    const result = sample(model, tokenizer, {
      count: 30,
      topK: 2,
      maxLength: 1,
      generator: new Generator(4),
    });
    for (const w of result.words) expect(w === '' || allowed.has(w[0])).toBe(true);
    expect(result.words.every((w) => w.length <= 1)).toBe(true);
  });

  it('redraws training words unless allowExisting, and marks which samples are new', () => {
    const exclude = new Set(words);
    const sharp = BigramCounts.fromWords(words, tokenizer, { smoothing: 0 });
    const fresh = sample(sharp, tokenizer, { count: 50, exclude, generator: new Generator(1) });
    expect(fresh.words.every((w) => !exclude.has(w))).toBe(true);
    expect(fresh.isNew.every(Boolean)).toBe(true);
    expect(fresh.redrawn).toBeGreaterThan(0);
    const kept = sample(sharp, tokenizer, {
      count: 50,
      exclude,
      allowExisting: true,
      generator: new Generator(1),
    });
    expect(kept.redrawn).toBe(0);
    expect(kept.isNew).toEqual(kept.words.map((w) => !exclude.has(w)));
    expect(kept.isNew.some((x) => !x)).toBe(true);
    // A model that can only say 'ab' gives up and reports it.
    const only = BigramCounts.fromWords(['ab'], CharTokenizer.fromWords(['ab']), { smoothing: 0 });
    const stuck = sample(only, CharTokenizer.fromWords(['ab']), {
      count: 2,
      exclude: new Set(['ab']),
      maxAttempts: 5,
    });
    expect(stuck).toEqual({ words: ['ab', 'ab'], isNew: [false, false], redrawn: 8, gaveUp: 2 });
  });

  it('rejects bad options by name', () => {
    expect(() => sample(counts, tokenizer, { temperature: -1 })).toThrow(
      /'temperature' passed to 'sample'/,
    );
    expect(() => sample(counts, tokenizer, { topK: 0 })).toThrow(
      /'topK' passed to 'sample' must be an integer ≥ 1, got 0/,
    );
    expect(() => sample(counts, CharTokenizer.fromWords(['xy']))).toThrow(
      /the tokenizer has 3 tokens but the model expects/,
    );
  });

  it('samples the MLP as makemore part 2 does: PyTorch multinomial(probs, 1) without replacement, same names', () => {
    // /usr/bin/python3: g = torch.Generator().manual_seed(2147483647); C, W1, b1, W2, b2 = torch.randn(…,
    // generator=g) for V=27, block 3, nEmbd 10, nHidden 200; W1 *= 0.25; W2 *= 2**-7; b2 *= 0; then the
    // lecture's sampling loop with g = torch.Generator().manual_seed(2147483647 + 10) (torch 1.13).
    const expected = [
      'cbrpzhxqabjhqvkfkwmrpxqthtykhkcaqskejrzhnbnfqpwsyhc',
      'vgqhiunrzmuqptcmziivduxlhggphhbmgpoindqbqjtzsrlivwa',
      'vvdbquwqzthogdjaryxixfkqeupiusdbwed',
      'ecoiatgtlffhysflquhpqgmovdjhksyjrpmqqosozswjcojqmwyojsfrenqkpfsadlnuo',
      'zoebsrkoiyzhrynhr',
      'opklhynrxyh',
    ];
    const tok = new CharTokenizer([...'abcdefghijklmnopqrstuvwxyz']);
    const model = new MLP(
      { kind: 'mlp', vocabSize: 27, blockSize: 3, nEmbd: 10, nHidden: 200 },
      { generator: new Generator(2147483647) },
    );
    model.W1.data.forEach((w, i) => {
      model.W1.data[i] = w * 0.25;
    });
    model.W2.data.forEach((w, i) => {
      model.W2.data[i] = w * 2 ** -7;
    });
    model.b2.data.fill(0);
    const generator = new Generator(2147483647 + 10);
    const result = sample(model, tok, { count: 6, generator });
    expect(result.words).toEqual(expected);
    // With replacement (part 1's call) the stream, and so the names, differ.
    const other = sample(model, tok, {
      count: 6,
      generator: new Generator(2147483647 + 10),
      replacement: true,
    });
    expect(other.words).not.toEqual(expected);
    expect(lectureReplacement('mlp')).toBe(false);
    expect(lectureReplacement('bigram')).toBe(true);
    expect(lectureReplacement('bigram-net')).toBe(true);
  });

  it('draws 150,000 samples without overflowing the stack', () => {
    // . → . almost surely: short words, so the test is about the listing, not the model.
    const model = new BigramNet({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 });
    model.W.data.set([9, 0, 0, 0, 0, 9, 9, 0, 0]);
    const tok = CharTokenizer.fromWords(['ab']);
    const result = sample(model, tok, {
      count: 150_000,
      generator: new Generator(3),
      exclude: new Set(['zz']),
    });
    expect(result.words.length).toBe(150_000);
    expect(result.isNew.length).toBe(150_000);
    expect(result.words.filter((w) => w === '').length).toBeGreaterThan(149_000);
  });
});
