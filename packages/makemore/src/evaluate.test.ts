import { describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { evaluate } from './evaluate.js';

// A bigram net with known weights: the loss of (x → y) is −log softmax(W[x])[y], in closed form.
const V = 3;
const model = createModel({ kind: 'bigram-net', vocabSize: V, blockSize: 1, regularization: 0 });
const W = [0.5, -1, 2, 0, 1, -0.5, 1.5, 0.25, -2];
(model.stateDict().W.data as Float32Array).set(W);
const nll = (x: number, y: number) => {
  const row = W.slice(x * V, x * V + V).map(Math.fround);
  const total = row.reduce((s, v) => s + Math.exp(v), 0);
  return -(row[y] - Math.log(total));
};
const n = 10;
const X = Int32Array.from({ length: n }, (_, i) => i % V);
const Y = Int32Array.from({ length: n }, (_, i) => (i * 2 + 1) % V);
const data = { X, Y, length: n, blockSize: 1 };
const meanOf = (rows: number[]) => rows.reduce((s, r) => s + nll(X[r], Y[r]), 0) / rows.length;

describe('evaluate', () => {
  it('is the mean NLL over all examples, whatever the batch size', () => {
    const all = meanOf([...Array(n).keys()]);
    expect(evaluate(model, data)).toBeCloseTo(all, 5);
    expect(evaluate(model, data, { batchSize: 3 })).toBeCloseTo(all, 5);
  });

  it('maxExamples evaluates the evenly spaced rows ⌊i·n/m⌋ (deterministic)', () => {
    // n = 10, m = 4: rows 0, 2, 5, 7
    expect(evaluate(model, data, { maxExamples: 4 })).toBeCloseTo(meanOf([0, 2, 5, 7]), 5);
    expect(evaluate(model, data, { maxExamples: 4 })).not.toBeCloseTo(
      meanOf([...Array(n).keys()]),
      3,
    );
    expect(evaluate(model, data, { maxExamples: 100 })).toBeCloseTo(
      meanOf([...Array(n).keys()]),
      5,
    );
  });

  it('rejects bad options by name', () => {
    expect(() => evaluate(model, data, { maxExamples: 0 })).toThrow(
      "Argument 'maxExamples' passed to 'evaluate' must be a positive integer, got 0",
    );
    expect(() => evaluate(model, data, { batchSize: 1.5 })).toThrow(/'batchSize'/);
  });
});
