import { Generator } from '@llm-playground/core';
import {
  buildContexts,
  bundledNames,
  CharTokenizer,
  readWords,
  splitWords,
} from '@llm-playground/data';
import { noGrad, type Tensor, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../../tools/lecture-names.js';
import { MinibatchSampler } from '../tasks/minibatch-sampler.js';
import {
  batchNormBackward,
  crossEntropyBackward,
  embeddingBackward,
  fusedBackward,
  manualBackward,
} from './backward.js';
import { CMP_ORDER, cmp, cmpMark, compareGradients, formatCmpTable, pythonFloat } from './cmp.js';
import {
  BACKPROP_PARAMETER_NAMES,
  type BackpropMlpParameters,
  fastForward,
  forwardSteps,
  initBackpropMlp,
} from './network.js';

const names = lectureNamesPath();

/** The lecture's setup on a word list: init from g, then one minibatch of 32 from g. */
function lectureBatch(words: readonly string[], dtype: 'float32' | 'float64' = 'float32') {
  const tokenizer = CharTokenizer.fromWords(words);
  const train = buildContexts(splitWords(words).train, tokenizer, 3);
  const g = new Generator(2147483647);
  const params = initBackpropMlp({ vocabSize: tokenizer.vocabSize, generator: g, dtype });
  const sampler = new MinibatchSampler(train, 32);
  sampler.next(g);
  return { params, Xb: sampler.X, Yb: sampler.Y };
}

/** Forward with every gradient retained, autograd's backward, then exercise 1's manual one. */
function exercise1(setup: ReturnType<typeof lectureBatch>) {
  const { params, Xb, Yb } = setup;
  const steps = forwardSteps(params, Xb, Yb);
  steps.loss.backward();
  const grads = manualBackward(params, steps, Xb, Yb);
  return { ...setup, steps, grads, rows: compareGradients(grads, steps, params) };
}

const bundled = bundledNames().words;

describe('exercise 1: every intermediate by hand', () => {
  it('float32: exact down to b2, within 1e-8 through the BatchNorm and below (as in PyTorch 1.13)', () => {
    const { rows } = exercise1(lectureBatch(bundled));
    expect(rows.map((r) => r.name)).toEqual([...CMP_ORDER]);
    const exactUpTo = CMP_ORDER.indexOf('b2');
    for (const [i, row] of rows.entries()) {
      expect(row.shapeOk).toBe(true);
      expect(row.approximate).toBe(true);
      // Measured here: every maxdiff ≤ 3.8e-9 on js, ≤ 6.6e-9 on wasm (W1); PyTorch 1.13 on
      // names.txt: ≤ 7.5e-9 (W1, C). The tanh
      // backward differs by rounding: autograd forms grad·(1 − y²) in one expression, the lecture's
      // `(1.0 - h**2) * dh` rounds after each op, and the ulps travel down to C.
      if (i <= exactUpTo) expect(row, row.name).toMatchObject({ exact: true, maxDiff: 0 });
      else expect(row.maxDiff, row.name).toBeLessThan(1e-8);
    }
  });

  it('float64: every gradient is exact', () => {
    const { rows } = exercise1(lectureBatch(bundled, 'float64'));
    expect(rows).toHaveLength(26);
    for (const row of rows) expect(row, row.name).toMatchObject({ exact: true, maxDiff: 0 });
  });

  it('float64 with n = 3: approximate only, since −1/3 is not exact (32 = 2⁵ is)', () => {
    const params = initBackpropMlp({ vocabSize: 27, dtype: 'float64' });
    const Xb = tensor([
      [0, 0, 0],
      [0, 0, 5],
      [0, 5, 13],
    ]);
    const Yb = tensor([5, 13, 13]);
    const steps = forwardSteps(params, Xb, Yb);
    steps.loss.backward();
    const rows = compareGradients(manualBackward(params, steps, Xb, Yb), steps, params);
    expect(rows[0]).toMatchObject({ name: 'logprobs', exact: true });
    // (1/p)·(−1/3) and autograd's (−1/3)/p round differently: measured 1.8e-15 at probs, ≤ 2.3e-16 below.
    expect(rows[1]).toMatchObject({ name: 'probs', exact: false, approximate: true });
    for (const row of rows) expect(row.maxDiff, row.name).toBeLessThan(1e-14);
    // With a fourth example (n = 4) every line is exact again (after the lecture's `p.grad = None`).
    for (const name of BACKPROP_PARAMETER_NAMES) params[name].grad = null;
    const Xb4 = tensor([
      [0, 0, 0],
      [0, 0, 5],
      [0, 5, 13],
      [5, 13, 13],
    ]);
    const Yb4 = tensor([5, 13, 13, 1]);
    const steps4 = forwardSteps(params, Xb4, Yb4);
    steps4.loss.backward();
    const rows4 = compareGradients(manualBackward(params, steps4, Xb4, Yb4), steps4, params);
    for (const row of rows4) expect(row.exact, row.name).toBe(true);
  });

  it("agrees with finite differences of the loss (float64): dW1, dbngain, and b1's zero", () => {
    const { params, Xb, Yb, grads } = exercise1(lectureBatch(bundled, 'float64'));
    const lossAt = () => noGrad(() => forwardSteps(params, Xb, Yb).loss.item());
    const h = 1e-6;
    const probe = (p: Tensor, index: number) => {
      const data = p.storage as Float64Array;
      const x = data[index];
      data[index] = x + h;
      const up = lossAt();
      data[index] = x - h;
      const down = lossAt();
      data[index] = x;
      return (up - down) / (2 * h);
    };
    for (const [name, indices] of [
      ['W1', [0, 17 * 64 + 42, 29 * 64 + 63]],
      ['bngain', [0, 5, 63]],
      ['C', [5 * 10 + 3]],
    ] as const) {
      const p = params[name as keyof BackpropMlpParameters];
      for (const index of indices) {
        const numeric = probe(p, index);
        const manual = grads[name].data[index];
        expect(Math.abs(manual - numeric), `${name}[${index}]`).toBeLessThan(1e-8);
        expect(Math.abs(manual), `${name}[${index}] is not trivially 0`).toBeGreaterThan(1e-6);
      }
    }
    // b1 is useless before a BatchNorm (the lecture's remark): the mean removes it, its gradient is 0.
    expect(Math.abs(probe(params.b1, 7))).toBeLessThan(1e-9);
    for (const v of grads.b1.data) expect(Math.abs(v)).toBeLessThan(1e-16);
  });

  it('reports a wrong gradient as ✗ and a wrong shape as ✗ with its column', () => {
    const { params, steps, grads } = exercise1(lectureBatch(bundled));
    // The classic slip: tanh' = 1 − h instead of 1 − h².
    const wrong = noGrad(() => steps.h.rsub(1).mul(grads.h));
    const row = cmp('hpreact', wrong, steps.hpreact);
    expect(row).toMatchObject({ exact: false, approximate: false, shapeOk: true });
    expect(row.maxDiff).toBeGreaterThan(1e-4);
    expect(cmpMark(row)).toBe('✗');
    // The right values with the lecture's shape for dbnmeani ([64], not [1, 64]).
    const flat = cmp('bnmeani', grads.bnmeani.view(-1), steps.bnmeani);
    expect(flat).toMatchObject({ exact: false, approximate: false, shapeOk: false });
    expect(formatCmpTable([flat])).toBe(
      'bnmeani         | exact: False | approximate: False | maxdiff: nan | shape is correct: False',
    );
    // A NaN anywhere fails the line and prints as Python does.
    const nan = noGrad(() => grads.h.mul(tensor([Number.NaN], { dtype: 'float32' })));
    const nanRow = cmp('h', nan, steps.h);
    expect(cmpMark(nanRow)).toBe('✗');
    expect(formatCmpTable([nanRow])).toBe(
      'h               | exact: False | approximate: False | maxdiff: nan',
    );
    // A partial answer checks what it has; a tensor without a gradient is a clear error.
    expect(compareGradients({ W1: grads.W1 }, steps, params).map(cmpMark)).toEqual(['≈']);
    expect(() => cmp('x', tensor([1]), tensor([1], { dtype: 'float32' }))).toThrow(
      "cmp('x'): x.grad is None: call retainGrad() on it",
    );
  });

  it.skipIf(names === null)(
    "on names.txt: the lecture's minibatch, and PyTorch 1.13's first loss bit for bit",
    () => {
      const words = readWords(names as string).words;
      const f32 = exercise1(lectureBatch(words));
      // torch: ix[:5] = [120000, 157809, 82137, 69514, 73004], Xb[:2] = [[1, 1, 4], [18, 14, 1]] ('aad', 'rna')
      expect(Array.from(f32.Xb.data.slice(0, 6))).toEqual([1, 1, 4, 18, 14, 1]);
      expect(Array.from(f32.Yb.data.slice(0, 5))).toEqual([8, 14, 15, 22, 0]);
      // torch_reference.py (torch 1.13, bngain/bnbias from Generator(67280421310721)): 3.3345839977264404 (float32),
      // 3.334583936217267 (float64; here one ulp off, the float64 sums run in another order).
      expect(f32.steps.loss.item()).toBe(3.3345839977264404);
      const f64 = exercise1(lectureBatch(words, 'float64'));
      expect(f64.steps.loss.item()).toBeCloseTo(3.334583936217267, 14);
      expect(f32.rows.every((r) => r.approximate)).toBe(true);
      expect(f64.rows.every((r) => r.exact)).toBe(true);
    },
  );
});

describe('exercises 2 and 3: fused backward passes', () => {
  it('dlogits = (softmax − onehot)/n: approximate in float32, ~1e-17 in float64', () => {
    for (const [dtype, bound] of [
      ['float32', 1e-8],
      ['float64', 1e-16],
    ] as const) {
      const { Yb, steps } = exercise1(lectureBatch(bundled, dtype));
      const row = cmp('logits', crossEntropyBackward(steps.logits, Yb), steps.logits);
      // Measured: 5.6e-9 (float32; the lecture 5.1e-9, PyTorch 1.13 here 4.9e-9), 1.4e-17 (float64).
      expect(row.approximate).toBe(true);
      expect(row.maxDiff).toBeLessThan(bound);
      // Each row of dlogits sums to 0: the pull down on the target equals the push up on the rest.
      const rowSums = crossEntropyBackward(steps.logits, Yb).sum(1);
      for (const v of rowSums.data)
        expect(Math.abs(v)).toBeLessThan(dtype === 'float32' ? 1e-8 : 1e-16);
    }
  });

  it('dhprebn in one expression: approximate in float32, ~1e-18 in float64', () => {
    for (const [dtype, bound] of [
      ['float32', 2e-9],
      ['float64', 1e-17],
    ] as const) {
      const { params, steps } = exercise1(lectureBatch(bundled, dtype));
      const dhprebn = batchNormBackward(steps.hpreact.grad as Tensor, {
        bngain: params.bngain,
        bnvar_inv: steps.bnvar_inv,
        bnraw: steps.bnraw,
      });
      const row = cmp('hprebn', dhprebn, steps.hprebn);
      // Measured: 7.0e-10 (float32; the lecture 9.3e-10), 1.7e-18 (float64).
      expect(row.approximate).toBe(true);
      expect(row.maxDiff).toBeLessThan(bound);
    }
  });

  it('fusedBackward equals exercise 1 and autograd, on the long forward and on fastForward', () => {
    for (const [dtype, bound] of [
      ['float32', 2e-8],
      ['float64', 1e-16],
    ] as const) {
      const { params, Xb, Yb, steps, grads } = exercise1(lectureBatch(bundled, dtype));
      const fused = fusedBackward(params, steps, Xb, Yb);
      for (const name of BACKPROP_PARAMETER_NAMES) {
        const row = cmp(name, fused[name], params[name]);
        expect(row.approximate, name).toBe(true);
        expect(row.maxDiff, name).toBeLessThan(bound);
        expect(fused[name].shape).toEqual(grads[name].shape);
      }
      // fastForward (mean, var, F.crossEntropy) computes the same network: the same gradients.
      const fast = noGrad(() => fastForward(params, Xb, Yb));
      expect(Math.abs(fast.loss.item() - steps.loss.item())).toBeLessThan(
        dtype === 'float32' ? 1e-6 : 1e-14,
      );
      const fromFast = fusedBackward(params, fast, Xb, Yb);
      for (const name of BACKPROP_PARAMETER_NAMES) {
        expect(cmp(name, fromFast[name], params[name]).maxDiff, name).toBeLessThan(bound);
      }
    }
  });

  it("embeddingBackward is the lecture's loop: repeated tokens accumulate", () => {
    const C = tensor(
      [
        [0, 0],
        [0, 0],
        [0, 0],
      ],
      { dtype: 'float32' },
    );
    const Xb = tensor([
      [1, 1],
      [2, 1],
    ]);
    const demb = tensor(
      [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
      { dtype: 'float32' },
    );
    expect(embeddingBackward(demb, Xb, C).tolist()).toEqual([
      [0, 0],
      [11, 14],
      [5, 6],
    ]);
  });

  it('names bad input', () => {
    const { params, Xb, Yb } = lectureBatch(bundled);
    expect(() => forwardSteps(params, Xb.view(-1), Yb)).toThrow(
      /forwardSteps: Xb must be \[n, blockSize\] with blockSize·nEmbd = W1.shape\[0\] = 30, got shape \[96\]/,
    );
    expect(() => forwardSteps(params, Xb.slice(0, 0, 1), Yb.slice(0, 0, 1))).toThrow(
      /Expected more than 1 value per channel when training, got input size \[1, 64\]/,
    );
    expect(() => forwardSteps(params, Xb, tensor(Array(32).fill(40)))).toThrow(
      'forwardSteps: target 40 is out of bounds for 28 classes',
    );
    expect(() => crossEntropyBackward(tensor([1, 2], { dtype: 'float32' }), Yb)).toThrow(
      /expected logits \[n, V\] and Yb \[n\], got \[2\] and \[32\]/,
    );
    expect(() => initBackpropMlp({ vocabSize: 27, nHidden: 0 })).toThrow(
      "Argument 'nHidden' passed to 'initBackpropMlp' must be a positive integer, got 0",
    );
  });
});

describe('formatCmpTable', () => {
  it("writes maxdiff as Python's repr of a float", () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [0.5, '0.5'],
      [1e-4, '0.0001'],
      [5e-5, '5e-05'],
      [9.313225746154785e-10, '9.313225746154785e-10'],
      [1e16, '1e+16'],
      [12, '12.0'],
      [Number.NaN, 'nan'],
      [Number.POSITIVE_INFINITY, 'inf'],
    ];
    for (const [x, repr] of cases) expect(pythonFloat(x)).toBe(repr);
  });

  it("prints the lecture's lines", () => {
    const { rows } = exercise1(lectureBatch(bundled, 'float64'));
    expect(formatCmpTable(rows.slice(0, 2))).toBe(
      [
        'logprobs        | exact: True  | approximate: True  | maxdiff: 0.0',
        'probs           | exact: True  | approximate: True  | maxdiff: 0.0',
      ].join('\n'),
    );
    const approx = {
      name: 'hprebn',
      exact: false,
      approximate: true,
      maxDiff: 9.313225746154785e-10,
      shapeOk: true,
    };
    expect(formatCmpTable([approx], { marks: true })).toBe(
      '≈ hprebn          | exact: False | approximate: True  | maxdiff: 9.313225746154785e-10',
    );
  });
});
