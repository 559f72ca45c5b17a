import { Generator } from '@llm-playground/core';
import {
  buildBigrams,
  buildContexts,
  CharTokenizer,
  readWords,
  splitWords,
} from '@llm-playground/data';
import { randint, randn, type Tensor, tensor } from '@llm-playground/tensor';
import { assertGradcheck } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../tools/lecture-names.js';
import { BigramCounts } from './bigram-counts.js';
import { BigramNet } from './bigram-net.js';
import { createModel } from './create-model.js';
import { evaluate } from './evaluate.js';
import { MLP } from './mlp.js';
import { train } from './train.js';

const names = lectureNamesPath();

/** Replaces each parameter by a float64 leaf copy (for finite differences). */
function toFloat64(model: BigramNet | MLP): void {
  for (const [name] of model.namedParameters()) {
    const p = (model as unknown as Record<string, Tensor>)[name];
    (model as unknown as Record<string, Tensor>)[name] = p.detach().double().requiresGrad_();
  }
}

describe('createModel', () => {
  it('builds each kind and names the bad ones', () => {
    expect(createModel({ kind: 'bigram', vocabSize: 5, blockSize: 1 })).toBeInstanceOf(
      BigramCounts,
    );
    expect(createModel({ kind: 'bigram-net', vocabSize: 5, blockSize: 1 })).toBeInstanceOf(
      BigramNet,
    );
    expect(createModel({ kind: 'mlp', vocabSize: 5, blockSize: 2 })).toBeInstanceOf(MLP);
    expect(() => createModel({ kind: 'lstm' as 'mlp', vocabSize: 5, blockSize: 1 })).toThrow(
      /unknown model 'lstm'; known: bigram, bigram-net, mlp/,
    );
    expect(() => createModel({ kind: 'mlp', vocabSize: 0, blockSize: 1 })).toThrow(
      /vocabSize.*got 0/,
    );
    expect(() => createModel({ kind: 'mlp', vocabSize: 5, blockSize: 2, nHidden: 2.5 })).toThrow(
      /mlp config: nHidden \(--n-hidden\) must be an integer in \[1, 100000\], got 2.5/,
    );
  });
});

describe('BigramNet', () => {
  it('draws W = randn((V, V), generator=g) like the lecture', () => {
    const model = new BigramNet(
      { kind: 'bigram-net', vocabSize: 27, blockSize: 1 },
      { generator: new Generator(2147483647) },
    );
    const row0 = Array.from(model.W.data.subarray(0, 5));
    [1.5674, -0.2373, -0.0274, -1.1008, 0.2859].forEach((v, i) => {
      expect(row0[i]).toBeCloseTo(v, 4);
    });
    expect(model.numParameters()).toBe(729);
  });

  it('loss = cross-entropy of W[x] + λ·mean(W²), with correct gradients', () => {
    const model = new BigramNet(
      { kind: 'bigram-net', vocabSize: 4, blockSize: 1, regularization: 0.1 },
      { generator: new Generator(3) },
    );
    toFloat64(model);
    const X = tensor([[0], [1], [3], [3]]);
    const Y = tensor([1, 2, 0, 3]);
    const W = model.W.tolist() as number[][];
    let expected = 0;
    for (let i = 0; i < 4; i++) {
      const row = W[X.data[i]];
      const lse = Math.log(row.reduce((s, w) => s + Math.exp(w), 0));
      expected += (lse - row[Y.data[i]]) / 4;
    }
    expected += (0.1 * W.flat().reduce((s, w) => s + w * w, 0)) / 16;
    expect(model.loss(X, Y).item()).toBeCloseTo(expected, 12);
    assertGradcheck(
      (W) => {
        model.W = W;
        return model.loss(X, Y);
      },
      [model.W],
    );
  });

  it('the full-batch objective from counts equals the loss over all pairs, value and gradient', () => {
    const model = new BigramNet(
      { kind: 'bigram-net', vocabSize: 5, blockSize: 1 },
      { generator: new Generator(4) },
    );
    toFloat64(model);
    const g = new Generator(5);
    const X = randint(0, 5, [200, 1], { generator: g });
    const Y = randint(0, 5, [200], { generator: g });
    const objective = model.fullBatchObjective({
      X: X.data as Int32Array,
      Y: Y.data as Int32Array,
      length: 200,
      blockSize: 1,
    });
    const direct = model.loss(X, Y);
    direct.backward();
    const directGrad = Array.from(model.W.grad!.data);
    model.W.grad = null;
    const fast = objective();
    fast.backward();
    expect(fast.item()).toBeCloseTo(direct.item(), 12);
    Array.from(model.W.grad!.data).forEach((v, i) => {
      expect(v).toBeCloseTo(directGrad[i], 12);
    });
  });

  it('stronger regularization pulls the rows toward uniform, like smoothing', () => {
    const data = {
      X: new Int32Array([0, 0, 0, 1]),
      Y: new Int32Array([1, 1, 1, 0]),
      length: 4,
      blockSize: 1,
    };
    const spread = (lambda: number) => {
      const model = new BigramNet(
        { kind: 'bigram-net', vocabSize: 3, blockSize: 1, regularization: lambda },
        { generator: new Generator(1) },
      );
      train(model, data, { steps: 300, lr: 5, batchSize: Infinity });
      const p = model.logits(tensor([[0]])).softmax(1).data;
      return Math.max(...p) - Math.min(...p);
    };
    expect(spread(1)).toBeLessThan(spread(0.01));
    expect(spread(0.01)).toBeGreaterThan(0.9);
  });

  it.skipIf(names === null)(
    'on names.txt with lr 50, λ 0.01, full batch: 3.7686, 2.4900 after 100, 2.4830 after 200',
    () => {
      const words = readWords(names as string).words;
      const tokenizer = CharTokenizer.fromWords(words);
      const { xs, ys, length } = buildBigrams(words, tokenizer);
      const model = new BigramNet(
        { kind: 'bigram-net', vocabSize: 27, blockSize: 1 },
        { generator: new Generator(2147483647) },
      );
      expect(model.loss(tensor(xs, { shape: [length, 1] }), tensor(ys)).item()).toBeCloseTo(
        3.7686,
        4,
      );
      const result = train(
        model,
        { X: xs, Y: ys, length, blockSize: 1 },
        { steps: 201, lr: 50, batchSize: Infinity },
      );
      expect(result.losses[0].toFixed(4)).toBe('3.7686');
      expect(result.losses[100].toFixed(4)).toBe('2.4900');
      expect(result.losses[200].toFixed(4)).toBe('2.4830');
    },
  );
});

describe('MLP', () => {
  it("has the lecture's parameters, shapes, order and initial values", () => {
    const g = new Generator(2147483647);
    const model = new MLP({ kind: 'mlp', vocabSize: 27, blockSize: 3 }, { generator: g });
    expect(model.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['C', [27, 10]],
      ['W1', [30, 200]],
      ['b1', [200]],
      ['W2', [200, 27]],
      ['b2', [27]],
    ]);
    expect(model.numParameters()).toBe(11897);
    const again = new Generator(2147483647);
    const expected = [[27, 10], [30, 200], [200], [200, 27], [27]].map((s) =>
      randn(s, { generator: again }),
    );
    model.parameters().forEach((p, i) => {
      expect(Array.from(p.data)).toEqual(Array.from(expected[i].data));
    });
    expect(model.config).toMatchObject({ nEmbd: 10, nHidden: 200 });
  });

  it('computes tanh(C[X].view(B, -1) @ W1 + b1) @ W2 + b2 with correct gradients', () => {
    const model = new MLP(
      { kind: 'mlp', vocabSize: 5, blockSize: 2, nEmbd: 3, nHidden: 4 },
      { generator: new Generator(9) },
    );
    toFloat64(model);
    const X = tensor([
      [0, 0],
      [0, 3],
      [3, 4],
    ]);
    const Y = tensor([3, 4, 0]);
    const C = model.C.tolist() as number[][];
    const W1 = model.W1.tolist() as number[][];
    const b1 = model.b1.tolist() as number[];
    const W2 = model.W2.tolist() as number[][];
    const b2 = model.b2.tolist() as number[];
    const logits = model.logits(X).tolist() as number[][];
    const x = [...C[3], ...C[4]];
    const h = b1.map((b, j) => Math.tanh(b + x.reduce((s, v, k) => s + v * W1[k][j], 0)));
    const expectedLogits = b2.map((b, c) => b + h.reduce((s, v, j) => s + v * W2[j][c], 0));
    expectedLogits.forEach((v, c) => {
      expect(logits[2][c]).toBeCloseTo(v, 12);
    });
    assertGradcheck((C, W1, b1, W2, b2) => {
      Object.assign(model, { C, W1, b1, W2, b2 });
      return model.loss(X, Y);
    }, model.parameters());
    expect(() => model.logits(tensor([[1, 2, 3]]))).toThrow(
      /contexts must be int32 \[B, 2\].*got \[1, 3\]/,
    );
  });

  it('loadStateDict copies weights and reports missing keys and size mismatches like PyTorch', () => {
    const a = new MLP(
      { kind: 'mlp', vocabSize: 5, blockSize: 2, nEmbd: 3, nHidden: 4 },
      { generator: new Generator(1) },
    );
    const b = new MLP(
      { kind: 'mlp', vocabSize: 5, blockSize: 2, nEmbd: 3, nHidden: 4 },
      { generator: new Generator(2) },
    );
    b.loadStateDict(a.stateDict());
    expect(b.W1.tolist()).toEqual(a.W1.tolist());
    expect(b.W1.storage).not.toBe(a.W1.storage);
    const { b2: _, ...partial } = a.stateDict();
    expect(() => b.loadStateDict({ ...partial, extra: tensor([1]) })).toThrow(
      'Error(s) in loading state_dict for MLP:\n\tMissing key(s) in state_dict: "b2". \n\tUnexpected key(s) in state_dict: "extra". ',
    );
    const wide = new MLP({ kind: 'mlp', vocabSize: 5, blockSize: 2, nEmbd: 3, nHidden: 6 });
    expect(() => b.loadStateDict(wide.stateDict())).toThrow(
      /size mismatch for W1: copying a param with shape \[6, 6\] from checkpoint, the shape in current model is \[6, 4\]/,
    );
  });

  it.skipIf(names === null)(
    "on names.txt, the lecture's first losses match PyTorch 1.13 step for step",
    () => {
      const words = readWords(names as string).words;
      const tokenizer = CharTokenizer.fromWords(words);
      const data = buildContexts(splitWords(words).train, tokenizer, 3);
      const g = new Generator(2147483647);
      const model = new MLP({ kind: 'mlp', vocabSize: 27, blockSize: 3 }, { generator: g });
      const { losses } = train(model, data, { steps: 101, generator: g });
      // /work/shared/bench/torch_mlp.py's loop with torch 1.13: [step, loss, decimals that agree].
      // Float32 rounding differences (matmul order) grow with the steps: the run is chaotic.
      const torch: [number, number, number][] = [
        [0, 27.8817, 4],
        [1, 24.0032, 4],
        [2, 24.8074, 4],
        [10, 16.6944, 3],
        [100, 7.9442, 1],
      ];
      for (const [step, value, digits] of torch) expect(losses[step]).toBeCloseTo(value, digits);
    },
  );

  it.skipIf(names === null)(
    'on names.txt, 5,000 lecture steps (batch 32, lr 0.1) bring the dev loss below 2.7',
    () => {
      const words = readWords(names as string).words;
      const tokenizer = CharTokenizer.fromWords(words);
      const { train: trainWords, dev: devWords } = splitWords(words, { seed: 42 });
      const trainData = buildContexts(trainWords, tokenizer, 3);
      const devData = buildContexts(devWords, tokenizer, 3);
      const g = new Generator(2147483647);
      const model = new MLP({ kind: 'mlp', vocabSize: 27, blockSize: 3 }, { generator: g });
      train(model, trainData, { steps: 5_000, batchSize: 32, lr: 0.1, generator: g });
      const dev = evaluate(model, devData);
      // Measured here: dev 2.6484 after 5,000 steps (untrained, it is 26.01; a uniform guess is
      // log 27 ≈ 3.30). The bound leaves a little room for float32 summation-order changes.
      expect(dev).toBeLessThan(2.7);
      expect(dev).toBeGreaterThan(2.17); // the lecture's 200,000 steps reach 2.17; 5,000 cannot
    },
  );
});
