import { Generator } from '@llm-playground/core';
import { multinomial, Tensor, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { describeDocExamples } from '../../../tools/doc-examples.js';
import { type GenerateModel, generate } from './generate.js';

const V = 6;
/** A fixed, non-trivial bigram table: the logits of the next token given the last one. */
const table = (a: number, b: number) => 3 * Math.sin(7 * a + 3 * b + 1);

/** A stub sequence model: logits [B, T, V] from each position's own token (a bigram table). */
function bigramStub(
  calls: number[][] = [],
): GenerateModel & { training: boolean; modes: boolean[] } {
  const model = {
    training: true,
    modes: [] as boolean[],
    config: { blockSize: 3 },
    train(mode = true) {
      model.training = mode;
      return model;
    },
    eval() {
      return model.train(false);
    },
    forward(ids: Tensor) {
      const [B, T] = ids.shape;
      calls.push(Array.from(ids.data));
      model.modes.push(model.training);
      const out = new Float32Array(B * T * V);
      ids.data.forEach((id, i) => {
        for (let v = 0; v < V; v++) out[i * V + v] = table(id, v);
      });
      return new Tensor(out, [B, T, V]);
    },
  };
  return model;
}

/** A stub whose logits ignore the input: the same row at every position. */
function fixedLogits(row: number[]): GenerateModel {
  return {
    forward(ids: Tensor) {
      const [B, T] = ids.shape;
      const out = new Float32Array(B * T * row.length);
      for (let i = 0; i < B * T; i++) out.set(row, i * row.length);
      return new Tensor(out, [B, T, row.length]);
    },
  };
}

function softmax(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** Pearson's chi-square statistic of `counts` against the probabilities `p` (cells with p > 0). */
function chiSquare(counts: number[], p: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((sum, c, i) => (p[i] > 0 ? sum + (c - n * p[i]) ** 2 / (n * p[i]) : sum), 0);
}

function frequencies(ids: Int32Array, from: number, size: number): number[] {
  const counts = new Array(size).fill(0);
  for (let i = from; i < ids.length; i++) counts[ids[i]]++;
  return counts;
}

/** The greedy continuation of the bigram table, computed by hand. */
function greedy(start: number, n: number): number[] {
  const out = [start];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: V }, (_, v) => table(out.at(-1)!, v));
    out.push(row.indexOf(Math.max(...row)));
  }
  return out;
}

describe('generate', () => {
  it('temperature 0, a tiny temperature and top-k 1 all give the argmax continuation', () => {
    const expected = greedy(2, 12);
    expect(new Set(expected).size).toBeGreaterThan(2); // the table walks through several tokens
    const options = { maxNewTokens: 12, generator: new Generator(1) };
    expect(Array.from(generate(bigramStub(), [2], { ...options, temperature: 0 }))).toEqual(
      expected,
    );
    expect(Array.from(generate(bigramStub(), [2], { ...options, temperature: 1e-6 }))).toEqual(
      expected,
    );
    expect(Array.from(generate(bigramStub(), [2], { ...options, topK: 1 }))).toEqual(expected);
  });

  it('draws with softmax frequencies at temperature 1 (chi-square, 3 degrees of freedom)', () => {
    const row = [1.5, 0.25, -1, 0.75];
    const n = 20_000;
    const ids = generate(fixedLogits(row), [0], {
      maxNewTokens: n,
      blockSize: 1,
      generator: new Generator(42),
    });
    const counts = frequencies(ids, 1, row.length);
    // 16.27 is the 0.999 quantile of chi-square(3): a correct sampler fails 1 time in 1,000.
    expect(chiSquare(counts, softmax(row))).toBeLessThan(16.27);
    // A sampler ignoring the logits (uniform) is far outside the band.
    expect(chiSquare(counts, [0.25, 0.25, 0.25, 0.25])).toBeGreaterThan(1000);
  });

  it('temperature 2 draws from softmax(logits / 2); top-k 2 from the two largest renormalised', () => {
    const row = [1.5, 0.25, -1, 0.75];
    const n = 20_000;
    const hot = generate(fixedLogits(row), [0], {
      maxNewTokens: n,
      blockSize: 1,
      temperature: 2,
      generator: new Generator(7),
    });
    const hotCounts = frequencies(hot, 1, row.length);
    expect(chiSquare(hotCounts, softmax(row.map((x) => x / 2)))).toBeLessThan(16.27);
    expect(chiSquare(hotCounts, softmax(row))).toBeGreaterThan(100);
    const top2 = generate(fixedLogits(row), [0], {
      maxNewTokens: n,
      blockSize: 1,
      topK: 2,
      generator: new Generator(8),
    });
    const counts = frequencies(top2, 1, row.length);
    expect(counts[1] + counts[2]).toBe(0);
    const p = softmax([1.5, 0.75]);
    // One degree of freedom: 10.83 is the 0.999 quantile.
    expect(chiSquare(counts, [p[0], 0, 0, p[1]])).toBeLessThan(10.83);
  });

  it("is the seeded multinomial stream, token by token (PyTorch's multinomial(probs, 1))", () => {
    const ids = generate(bigramStub(), [4, 1], { maxNewTokens: 20, generator: new Generator(3) });
    const g = new Generator(3);
    const expected = [4, 1];
    for (let i = 0; i < 20; i++) {
      const row = Array.from({ length: V }, (_, v) => Math.fround(table(expected.at(-1)!, v)));
      const max = Math.max(...row);
      const probs = tensor(
        row.map((x) => x - max),
        { dtype: 'float32' },
      ).softmax(0);
      expected.push(multinomial(probs, 1, { generator: g }).storage[0]);
    }
    expect(Array.from(ids)).toEqual(expected);
    const again = generate(bigramStub(), [4, 1], { maxNewTokens: 20, generator: new Generator(3) });
    expect(again).toEqual(ids);
  });

  it('crops the context to blockSize, streams each token, and runs in eval mode', () => {
    const calls: number[][] = [];
    const model = bigramStub(calls);
    const streamed: number[] = [];
    const ids = generate(model, [5, 4, 3, 2, 1], {
      maxNewTokens: 4,
      generator: new Generator(0),
      onToken: (id) => streamed.push(id),
    });
    expect(streamed).toEqual(Array.from(ids.subarray(5)));
    expect(calls.map((c) => c.length)).toEqual([3, 3, 3, 3]); // model.config.blockSize = 3
    expect(calls[0]).toEqual([3, 2, 1]);
    expect(calls[3]).toEqual(Array.from(ids.subarray(5, 8)));
    expect(model.modes).toEqual([false, false, false, false]);
    expect(model.training).toBe(true); // restored
    const short: number[][] = [];
    generate(bigramStub(short), [1], { maxNewTokens: 3, blockSize: 8, temperature: 0 });
    expect(short.map((c) => c.length)).toEqual([1, 2, 3]); // shorter than blockSize: all of it
    expect(generate(bigramStub(), [1, 2], { maxNewTokens: 0 })).toEqual(new Int32Array([1, 2]));
  });

  it('explains bad arguments', () => {
    const model = bigramStub();
    const run =
      (options: object, prompt: number[] = [1]) =>
      () =>
        generate(model, prompt, { maxNewTokens: 2, ...options });
    expect(run({ temperature: -0.5 })).toThrow(
      "Argument 'temperature' passed to 'generate' must be a finite number ≥ 0, got -0.5",
    );
    expect(run({ temperature: Number.NaN })).toThrow('got NaN');
    expect(run({ temperature: Number.POSITIVE_INFINITY })).toThrow('got Infinity');
    expect(run({ topK: 0 })).toThrow(
      "Argument 'topK' passed to 'generate' must be an integer ≥ 1, got 0",
    );
    expect(run({ topK: 2.5 })).toThrow('got 2.5');
    expect(run({ maxNewTokens: -1 })).toThrow(
      "Argument 'maxNewTokens' passed to 'generate' must be an integer ≥ 0, got -1",
    );
    expect(run({}, [])).toThrow('must hold at least one token — start from [0]');
    expect(run({}, [1.5])).toThrow('got 1.5 at index 0');
    expect(() => generate(fixedLogits([0, 1]), [0], { maxNewTokens: 1 })).toThrow(
      'the model has no config.blockSize: pass { blockSize }',
    );
    const nextTokenOnly: GenerateModel = {
      forward: (ids) => new Tensor(new Float32Array(ids.shape[0] * V), [ids.shape[0], V]),
    };
    expect(() => generate(nextTokenOnly, [0, 1], { maxNewTokens: 1, blockSize: 2 })).toThrow(
      "generate: the model's forward must return logits [B, T, V] for ids [B, T]; got [1, 6] for ids [1, 2] — for a model that predicts only the next token ([B, V]) use sample()",
    );
  });
});

// generate.ts's TSDoc example, until generate is exported from the package (portable.ts).
describeDocExamples({
  srcDir: import.meta.dirname,
  exports: { generate, tensor },
  minExamples: 1,
  exclude: (file) => file !== 'generate.ts',
});
