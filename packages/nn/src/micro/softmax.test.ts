import { gradcheck, Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { logSoftmax } from './log-softmax.js';
import { softmax } from './softmax.js';

describe('softmax and logSoftmax', () => {
  it('match their closed forms and each other', () => {
    const x = [0.5, -1, 2];
    const z = x.map(Math.exp);
    const total = z.reduce((a, b) => a + b, 0);
    softmax(x).forEach((p, i) => {
      expect(p.data).toBeCloseTo(z[i] / total, 15);
    });
    logSoftmax(x).forEach((lp, i) => {
      expect(lp.data).toBeCloseTo(Math.log(z[i] / total), 15);
    });
    expect(softmax(x).reduce((s, p) => s + p.data, 0)).toBeCloseTo(1, 15);
    // Documented examples.
    expect(softmax([0, Math.log(3)]).map((p) => p.data.toFixed(2))).toEqual(['0.25', '0.75']);
    expect(logSoftmax([0, 0]).map((v) => v.data.toFixed(6))).toEqual(['-0.693147', '-0.693147']);
  });

  it('are stable for huge logits', () => {
    expect(softmax([1000, 0, -1000]).map((p) => p.data)).toEqual([1, 0, 0]);
    expect(logSoftmax([1000, 0, -1000]).map((v) => v.data)).toEqual([0, -1000, -2000]);
  });

  it('backpropagate correctly (central differences on a weighted sum of outputs)', () => {
    const weights = [0.7, -1.3, 2.1];
    const weighted = (outs: Value[]) =>
      outs.reduce((acc, v, i) => acc.add(v.mul(weights[i])), new Value(0));
    for (const f of [softmax, logSoftmax]) {
      const check = gradcheck((xs) => weighted(f(xs)), [0.2, -0.9, 1.4]);
      expect(check.ok).toBe(true);
      expect(check.maxAbsError).toBeLessThan(1e-8);
    }
  });

  it('reject empty input', () => {
    expect(() => softmax([])).toThrow("Argument 'logits' passed to 'softmax' is empty");
    expect(() => logSoftmax([])).toThrow("Argument 'logits' passed to 'logSoftmax' is empty");
  });
});
