import { readFileSync } from 'node:fs';
import { Generator } from '@llm-playground/core';
import {
  captureStep,
  DTypeError,
  randn,
  ShapeError,
  type Tensor,
  tensor,
  zeros,
} from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { BatchNorm1d, type BatchNormOptions } from './batch-norm.js';
import { ConfigError } from './errors.js';
import { Linear } from './linear.js';
import { SGD } from './optim/sgd.js';

// Recorded from PyTorch 1.13 on the CPU by scripts/torch_nn_fixtures.py.
interface Case {
  name: string;
  shape: number[];
  layout: 'ncl' | 'nlc';
  dtype: 'float32' | 'float64';
  options: {
    eps?: number;
    momentum?: number | null;
    affine?: boolean;
    track_running_stats?: boolean;
  };
  params: { weight?: number[]; bias?: number[] };
  batches: number[][];
  trainOutput: number[];
  grads: { input: number[]; weight?: number[]; bias?: number[] };
  runningMean: number[] | null;
  runningVar: number[] | null;
  numBatchesTracked: number | null;
  evalOutput: number[];
  stateDictKeys: string[];
  repr: string;
}
const fixtures: {
  cases: Case[];
  errors: Record<string, { type: string; message: string }>;
} = JSON.parse(readFileSync(new URL('./fixtures/torch-batchnorm.json', import.meta.url), 'utf8'));

// The same weights as the fixture script: L = Σ out[i] · w[i], w[i] = ((7i) mod 11) / 5 − 0.9.
const lossWeights = (n: number, dtype: Tensor['dtype']) =>
  tensor(
    Array.from({ length: n }, (_, i) => ((7 * i) % 11) / 5 - 0.9),
    { dtype },
  );

function fromCase(c: Case): BatchNorm1d {
  const channels = c.layout === 'nlc' ? c.shape[2] : c.shape[1];
  const options: BatchNormOptions = { dtype: c.dtype, channelsLast: c.layout === 'nlc' };
  if (c.options.eps !== undefined) options.eps = c.options.eps;
  if (c.options.momentum !== undefined) options.momentum = c.options.momentum;
  if (c.options.affine !== undefined) options.affine = c.options.affine;
  if (c.options.track_running_stats !== undefined) {
    options.trackRunningStats = c.options.track_running_stats;
  }
  const bn = new BatchNorm1d(channels, options);
  if (c.params.weight) bn.weight!.data.set(c.params.weight);
  if (c.params.bias) bn.bias!.data.set(c.params.bias);
  return bn;
}

describe('BatchNorm1d against PyTorch 1.13', () => {
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const close =
        c.dtype === 'float64' ? { atol: 1e-12, rtol: 1e-10 } : { atol: 2e-6, rtol: 1e-5 };
      const bn = fromCase(c);
      expect(bn.toString()).toBe(c.repr);
      expect(Object.keys(bn.stateDict())).toEqual(c.stateDictKeys);
      const [x0, x1, x2] = c.batches.map((b) => tensor(b, { dtype: c.dtype }).view(c.shape));
      const x = x0.clone().requiresGrad_();
      const out = bn.forward(x);
      expectClose(out, c.trainOutput, close);
      out.flatten().mul(lossWeights(out.numel(), c.dtype)).sum().backward();
      expectClose(x.grad!, c.grads.input, close);
      if (c.grads.weight) expectClose(bn.weight!.grad!, c.grads.weight, close);
      if (c.grads.bias) expectClose(bn.bias!.grad!, c.grads.bias, close);
      bn.forward(x1);
      bn.forward(x2);
      if (c.runningMean) {
        expectClose(bn.runningMean!, c.runningMean, close);
        expectClose(bn.runningVar!, c.runningVar!, close);
        expect(bn.numBatchesTracked!.item()).toBe(c.numBatchesTracked);
      } else {
        expect(bn.runningMean).toBeNull();
        expect(bn.buffers()).toEqual([]);
      }
      expectClose(bn.eval().forward(x0), c.evalOutput, close);
    });
  }

  it("raises PyTorch's errors, in PyTorch's words (shapes printed as [1, 10])", () => {
    const { errors } = fixtures;
    const torchSize = (m: string) => m.replace(/torch\.Size\((\[[^\]]*\])\)/, '$1');
    const bn = new BatchNorm1d(10);
    expect(() => bn.forward(zeros([1, 10]))).toThrow(
      new ShapeError(torchSize(errors.batchOfOne2d.message)),
    );
    expect(() => bn.forward(zeros([1, 10, 1]))).toThrow(torchSize(errors.batchOfOne3d.message));
    // ours adds the shape and the layouts it takes
    expect(() => bn.forward(zeros([2, 10, 3, 4]))).toThrow(
      `BatchNorm1d(10): ${errors.rank4.message.replace(')', ' of shape [2, 10, 3, 4])')}; it takes [N, 10] or [N, 10, L]`,
    );
    expect(() => bn.forward(zeros([10]))).toThrow(errors.rank1.message.slice(0, -1));
    expect(errors.channels.message).toBe('running_mean should contain 3 elements not 10');
    expect(() => bn.forward(zeros([4, 3]))).toThrow(
      'BatchNorm1d(10): expected input of shape [N, 10] or [N, 10, L], got [4, 3] with 3 channels in dimension 1',
    );
    expect(() => new BatchNorm1d(10, { channelsLast: true }).forward(zeros([4, 10, 3]))).toThrow(
      'expected input of shape [N, 10] or [N, L, 10], got [4, 10, 3] with 3 channels in dimension 2',
    );
    // a batch of one is fine in eval mode with running statistics, as in PyTorch
    expect(bn.eval().forward(zeros([1, 10])).shape).toEqual([1, 10]);
    // without running statistics, eval normalises with the batch's: the same error
    const untracked = new BatchNorm1d(10, { trackRunningStats: false }).eval();
    expect(() => untracked.forward(zeros([1, 10]))).toThrow('Expected more than 1 value');
    expect(() => bn.forward(tensor([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]))).toThrow(DTypeError);
  });

  it('rejects invalid sizes and hyperparameters with a clear message', () => {
    expect(() => new BatchNorm1d(0)).toThrow(
      new ConfigError('BatchNorm1d: numFeatures must be a positive integer, got 0'),
    );
    expect(() => new BatchNorm1d(2.5)).toThrow('numFeatures must be a positive integer, got 2.5');
    expect(() => new BatchNorm1d(-3)).toThrow(ConfigError);
    expect(() => new BatchNorm1d(4, { momentum: 1.5 })).toThrow(
      'BatchNorm1d: momentum must be in [0, 1] or null, got 1.5',
    );
    expect(() => new BatchNorm1d(4, { eps: -1 })).toThrow(
      'eps must be a finite number ≥ 0, got -1',
    );
    expect(() => new BatchNorm1d(4, { dtype: 'int32' })).toThrow(DTypeError);
  });
});

describe('BatchNorm1d gradients (float64 finite differences)', () => {
  const g = new Generator(5);
  const input = (shape: number[]) =>
    randn(shape, { generator: g, dtype: 'float64' }).mul(2).add(0.5).requiresGrad_();
  const affine = (C: number) => [
    randn([C], { generator: g, dtype: 'float64' }).requiresGrad_(),
    randn([C], { generator: g, dtype: 'float64' }).requiresGrad_(),
  ];
  const cases: [string, number[], BatchNormOptions][] = [
    ['[N, C] train', [5, 3], {}],
    ['[N, C, L] train', [3, 4, 2], {}],
    ['[N, L, C] channelsLast train', [3, 2, 4], { channelsLast: true }],
  ];
  for (const [name, shape, options] of cases) {
    it(name, () => {
      const C = options.channelsLast ? shape[shape.length - 1] : shape[1];
      const bn = new BatchNorm1d(C, { ...options, dtype: 'float64' });
      assertGradcheck(
        (x, w, b) => {
          bn.weight = w;
          bn.bias = b;
          return bn.forward(x);
        },
        [input(shape), ...affine(C)],
      );
    });
  }

  it('[N, C, L] eval (running statistics are constants)', () => {
    const bn = new BatchNorm1d(4, { dtype: 'float64' });
    bn.forward(input([6, 4, 3]));
    bn.eval();
    assertGradcheck(
      (x, w, b) => {
        bn.weight = w;
        bn.bias = b;
        return bn.forward(x);
      },
      [input([3, 4, 2]), ...affine(4)],
    );
  });
});

describe('BatchNorm1d semantics', () => {
  it('channelsLast on [B, T, C] equals the lecture: reduce over dims (0, 1), unbiased running var', () => {
    const x = randn([4, 3, 5], { generator: new Generator(1), dtype: 'float64' });
    const bn = new BatchNorm1d(5, { channelsLast: true, dtype: 'float64' });
    const out = bn.forward(x);
    // the lecture's hand-written layer (part 5)
    const xmean = x.mean([0, 1], true);
    const xvar = x.var([0, 1], { keepdim: true, correction: 0 });
    expectClose(out, x.sub(xmean).div(xvar.add(1e-5).sqrt()), { atol: 1e-12 });
    expectClose(bn.runningMean!, xmean.mul(0.1).flatten(), { atol: 1e-12 });
    // PyTorch folds the *unbiased* batch variance into the running estimate (the lecture uses the biased)
    const unbiased = x.var([0, 1]).flatten();
    expectClose(bn.runningVar!, unbiased.mul(0.1).add(0.9), { atol: 1e-12 });
    // and equals PyTorch's layout after a transpose
    const pytorchLayout = new BatchNorm1d(5, { dtype: 'float64' });
    expectClose(pytorchLayout.forward(x.transpose(1, 2)).transpose(1, 2), out, { atol: 1e-12 });
  });

  it('momentum null keeps the exact average of the batch statistics', () => {
    const g = new Generator(3);
    const bn = new BatchNorm1d(2, { momentum: null, affine: false, dtype: 'float64' });
    const batches = Array.from({ length: 4 }, () =>
      randn([6, 2], { generator: g, dtype: 'float64' }),
    );
    for (const b of batches) bn.forward(b);
    const means = batches.map((b) => b.mean(0));
    const vars = batches.map((b) => b.var(0));
    expectClose(bn.runningMean!, means.reduce((a, m) => a.add(m)).div(4), { atol: 1e-12 });
    expectClose(bn.runningVar!, vars.reduce((a, v) => a.add(v)).div(4), { atol: 1e-12 });
    expect(bn.numBatchesTracked!.item()).toBe(4);
    expect(bn.parameters()).toEqual([]);
  });

  it('eval does not touch the running statistics; train() resumes updating them', () => {
    const bn = new BatchNorm1d(3);
    const x = randn([8, 3], { generator: new Generator(9) });
    bn.eval().forward(x);
    expect(bn.runningMean!.tolist()).toEqual([0, 0, 0]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    bn.train().forward(x);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expectClose(bn.runningMean!, x.mean(0).mul(0.1), { atol: 1e-7 });
  });

  it("loads a state dict with PyTorch's buffer names and round-trips it", () => {
    const a = new BatchNorm1d(3, { dtype: 'float64' });
    a.forward(randn([5, 3], { generator: new Generator(2), dtype: 'float64' }));
    const b = new BatchNorm1d(3, { dtype: 'float64' });
    b.loadStateDict(a.stateDict());
    expect(b.runningVar!.tolist()).toEqual(a.runningVar!.tolist());
    expect(b.numBatchesTracked!.item()).toBe(1);
    expect(b.namedBuffers().map(([n]) => n)).toEqual([
      'running_mean',
      'running_var',
      'num_batches_tracked',
    ]);
    expect(() => b.loadStateDict({ ...a.stateDict(), running_mean: zeros([4]) })).toThrow(
      'size mismatch for running_mean: copying a param with shape [4] from checkpoint, the shape in current model is [3].',
    );
  });

  it('a captured training step updates the running statistics on every replay, as eager steps do', () => {
    const build = (momentum: number | null) => {
      const g = new Generator(11);
      const fc = new Linear(4, 6, { generator: g, dtype: 'float64' });
      const bn = new BatchNorm1d(6, { momentum, dtype: 'float64' });
      const optimizer = new SGD([...fc.parameters(), ...bn.parameters()], { lr: 0.1 });
      const step = (x: Tensor) => {
        optimizer.zeroGrad();
        const loss = bn.forward(fc.forward(x)).tanh().square().mean();
        loss.backward();
        optimizer.step();
        return loss;
      };
      return { bn, step };
    };
    const g = new Generator(12);
    const data = Array.from({ length: 6 }, () => randn([8, 4], { generator: g, dtype: 'float64' }));
    for (const momentum of [0.1, null]) {
      const eager = build(momentum);
      const eagerLosses = data.map((x) => eager.step(x).item());
      const replayed = build(momentum);
      const captured = captureStep(replayed.step, [data[0]]);
      const losses = [captured.output.item()];
      for (const x of data.slice(1)) losses.push(captured.replay(x).item());
      expect(losses).toEqual(eagerLosses);
      expect(replayed.bn.runningMean!.tolist()).toEqual(eager.bn.runningMean!.tolist());
      expect(replayed.bn.runningVar!.tolist()).toEqual(eager.bn.runningVar!.tolist());
      expect(replayed.bn.numBatchesTracked!.item()).toBe(6);
    }
  });
});
