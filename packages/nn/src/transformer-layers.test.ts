/**
 * The transformer and recurrent layers against PyTorch 1.13 (`fixtures/torch-transformer.json`, from
 * `scripts/torch_transformer_fixtures.py`, whose classes are makemore.py's and the GPT lecture's):
 * outputs, input and parameter gradients, initial weights for a seed; float64 finite differences;
 * the causal property; makemore's parameter counts; hand-computed recurrent steps; errors.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import {
  captureStep,
  DTypeError,
  noGrad,
  randint,
  randn,
  type Tensor,
  tensor,
  zeros,
} from '@llm-playground/tensor';
import { assertGradcheck } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { GELU } from './activation-modules.js';
import { CausalSelfAttention, Head, MultiHeadAttention } from './attention.js';
import { Embedding } from './embedding.js';
import { ConfigError } from './errors.js';
import { crossEntropy } from './functional/cross-entropy.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { AdamW } from './optim/adamw.js';
import { GRUCell, RNNCell } from './rnn-cells.js';

interface Encoded {
  shape: number[];
  data: number[];
}
// biome-ignore lint/suspicious/noExplicitAny: configs are plain JSON, one shape per module kind
type Config = Record<string, any>;
interface ForwardCase {
  name: string;
  kind: string;
  config: Config;
  params: Record<string, Encoded>;
  inputs: Encoded[];
  output: Encoded;
  inputGrads: number[][];
  paramGrads: Record<string, number[]>;
}
interface InitCase {
  name: string;
  kind: string;
  config: Config;
  seed: number;
  params: Record<string, Encoded>;
}

const here = dirname(fileURLToPath(import.meta.url));
const fixtures: { torch: string; forward: ForwardCase[]; init: InitCase[] } = JSON.parse(
  readFileSync(join(here, 'fixtures', 'torch-transformer.json'), 'utf8'),
);

type Options = { generator?: Generator; dtype?: 'float32' | 'float64' };
const BUILD: Record<string, (c: Config, o: Options) => Module> = {
  LayerNorm: (c, o) => new LayerNorm(c.normalizedShape, { ...c, dtype: o.dtype }),
  GELU: (c) => new GELU({ approximate: c.approximate }),
  CausalSelfAttention: (c, o) => new CausalSelfAttention(c.nEmbd, c.nHead, c.blockSize, o),
  RNNCell: (c, o) => new RNNCell(c.inputSize, c.hiddenSize, o),
  GRUCell: (c, o) => new GRUCell(c.inputSize, c.hiddenSize, o),
  Head: (c, o) => new Head(c.nEmbd, c.headSize, c.blockSize, o),
  MultiHeadAttention: (c, o) =>
    new MultiHeadAttention(c.nEmbd, c.numHeads, c.headSize, c.blockSize, o),
};
/** makemore's snake_case names in camelCase: `c_attn.weight` → `cAttn.weight`. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const f64 = (e: Encoded, requiresGrad = false) =>
  tensor(Float64Array.from(e.data), { shape: e.shape, dtype: 'float64', requiresGrad });
const lossWeight = (n: number) =>
  tensor(
    Float64Array.from({ length: n }, (_, i) => ((7 * i) % 11) / 5 - 0.9),
    { dtype: 'float64' },
  );

function expectAllClose(actual: Tensor | null, expected: number[], tol: number, what: string) {
  expect(actual, what).not.toBeNull();
  const got = Array.from((actual as Tensor).data as ArrayLike<number>);
  expect(got.length, what).toBe(expected.length);
  let worst = 0;
  got.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - expected[i]) / (1 + Math.abs(expected[i])));
  });
  expect(worst, what).toBeLessThan(tol);
}

describe(`transformer and recurrent layers vs PyTorch ${fixtures.torch}`, () => {
  it('has the recorded cases', () => {
    expect(fixtures.forward.length).toBe(11);
    expect(fixtures.init.length).toBe(3);
  });
  for (const c of fixtures.forward) {
    it(`${c.name}: output, input and parameter gradients`, () => {
      const module = BUILD[c.kind](c.config, { dtype: 'float64' });
      const ours = Object.fromEntries(module.namedParameters());
      expect(Object.keys(ours).sort()).toEqual(Object.keys(c.params).map(camel).sort());
      noGrad(() => {
        for (const [name, p] of Object.entries(c.params)) ours[camel(name)].copy_(f64(p));
      });
      const inputs = c.inputs.map((x) => f64(x, true));
      const out = module.forward(...inputs) as Tensor;
      expect(out.shape).toEqual(c.output.shape);
      // The exact GELU's erf is float32-accurate (Numerical Recipes' erfc); everything else is exact.
      const tol = c.kind === 'GELU' && c.config.approximate === 'none' ? 2e-7 : 1e-12;
      expectAllClose(out, c.output.data, tol, 'output');
      out.reshape(-1).mul(lossWeight(out.numel())).sum().backward();
      inputs.forEach((x, k) => {
        expectAllClose(x.grad, c.inputGrads[k], tol, `grad of input ${k}`);
      });
      for (const [name, grad] of Object.entries(c.paramGrads)) {
        expectAllClose(ours[camel(name)].grad, grad, tol, `grad of ${name}`);
      }
    });
  }
  for (const c of fixtures.init) {
    it(`${c.name}: torch.manual_seed(${c.seed}) draws the same float32 weights`, () => {
      const module = BUILD[c.kind](c.config, { generator: new Generator(c.seed) });
      const ours = Object.fromEntries(module.namedParameters());
      for (const [name, p] of Object.entries(c.params)) {
        expect(ours[camel(name)].shape, name).toEqual(p.shape);
        expect(Array.from(ours[camel(name)].data as ArrayLike<number>), name).toEqual(p.data);
      }
    });
  }
});

const r = (shape: number[], seed: number) =>
  randn(shape, { generator: new Generator(seed), dtype: 'float64', requiresGrad: true });

describe('float64 finite differences', () => {
  it('LayerNorm (input, weight, bias)', () => {
    const ln = new LayerNorm([2, 3], { dtype: 'float64' });
    noGrad(() => {
      ln.weight?.copy_(r([2, 3], 1));
      ln.bias?.copy_(r([2, 3], 2));
    });
    assertGradcheck(
      (x, w, b) => {
        ln.weight = w;
        ln.bias = b;
        return ln.forward(x);
      },
      [r([4, 2, 3], 3), r([2, 3], 4), r([2, 3], 5)],
    );
  });
  it('GELU, exact and tanh', () => {
    for (const approximate of ['none', 'tanh'] as const) {
      const gelu = new GELU({ approximate });
      assertGradcheck((x) => gelu.forward(x), [r([3, 5], 6).mul(3).detach().requiresGrad_()]);
    }
  });
  it('CausalSelfAttention (input and every parameter)', () => {
    const attn = new CausalSelfAttention(4, 2, 3, {
      dtype: 'float64',
      generator: new Generator(7),
    });
    const [w1, b1, w2, b2] = attn.parameters();
    assertGradcheck(
      (x, a, b, c, d) => {
        Object.assign(attn.cAttn, { weight: a, bias: b });
        Object.assign(attn.cProj, { weight: c, bias: d });
        return attn.forward(x);
      },
      [r([2, 3, 4], 8), w1, b1, w2, b2],
    );
  });
  it('GRUCell and RNNCell (input and hidden state)', () => {
    const gru = new GRUCell(3, 2, { dtype: 'float64', generator: new Generator(9) });
    assertGradcheck((x, h) => gru.forward(x, h), [r([2, 3], 10), r([2, 2], 11)]);
    const rnn = new RNNCell(3, 2, { dtype: 'float64', generator: new Generator(12) });
    assertGradcheck((x, h) => rnn.forward(x, h), [r([2, 3], 13), r([2, 2], 14)]);
  });
});

describe('causal attention', () => {
  const causal = (name: string, module: { forward(x: Tensor): Tensor }, C: number) => {
    it(`${name}: the output at t does not depend on inputs after t`, () => {
      const T = 6;
      const x = randn([2, T, C], { generator: new Generator(21), dtype: 'float64' });
      const base = module.forward(x).tolist() as number[][][];
      for (let t = 0; t < T; t++) {
        const bumped = x.clone();
        noGrad(() =>
          bumped
            .slice(1, t, t + 1)
            .add_(randn([2, 1, C], { generator: new Generator(t), dtype: 'float64' })),
        );
        const out = module.forward(bumped).tolist() as number[][][];
        for (let b = 0; b < 2; b++) {
          for (let s = 0; s < T; s++) {
            if (s < t)
              expect(out[b][s], `b ${b}, s ${s} after a change at ${t}`).toEqual(base[b][s]);
            else if (s === t) expect(out[b][s]).not.toEqual(base[b][s]);
          }
        }
      }
    });
  };
  const options = { dtype: 'float64' as const, generator: new Generator(3) };
  causal('CausalSelfAttention', new CausalSelfAttention(8, 2, 8, options), 8);
  causal('Head', new Head(8, 4, 8, options), 8);
  causal('MultiHeadAttention', new MultiHeadAttention(8, 2, 4, 8, options), 8);

  it('attention weights: rows sum to 1, zero above the diagonal', () => {
    const attn = new CausalSelfAttention(8, 2, 8, options);
    const w = attn.attentionWeights(
      randn([1, 5, 8], { generator: new Generator(4), dtype: 'float64' }),
    );
    expect(w.shape).toEqual([1, 2, 5, 5]);
    expect(w.triu(1).abs().sum().item()).toBe(0);
    for (const s of w.sum(-1).data) expect(s).toBeCloseTo(1, 14);
    expect(w.select(3, 0).select(2, 0).tolist()).toEqual([[1, 1]]);
  });
});

describe("makemore's parameter counts (n_embd 64, 4 heads, block 16, vocab 27)", () => {
  const g = new Generator(42);
  const lnCount = new LayerNorm(64).numParameters();
  const attnCount = new CausalSelfAttention(64, 4, 16, { generator: g }).numParameters();
  const mlpCount =
    new Linear(64, 256, { generator: g }).numParameters() +
    new Linear(256, 64, { generator: g }).numParameters();
  const block = 2 * lnCount + attnCount + mlpCount;
  it('one Block: ln_1 + attn (c_attn, c_proj) + ln_2 + mlp (c_fc, c_proj)', () => {
    expect([lnCount, attnCount, mlpCount, block]).toEqual([128, 16640, 33088, 49984]);
  });
  it('the Transformer: wte + wpe + 4 blocks + ln_f + lm_head (no bias) = 204,544', () => {
    const total =
      new Embedding(27, 64).numParameters() +
      new Embedding(16, 64).numParameters() +
      4 * block +
      lnCount +
      new Linear(64, 27, { bias: false }).numParameters();
    expect(total).toBe(204544);
  });
  it('RNN 11,803 and GRU 28,315: start + wte + cell + lm_head', () => {
    const rest = 64 + new Embedding(27, 64).numParameters() + new Linear(64, 27).numParameters();
    expect(rest + new RNNCell(64, 64).numParameters()).toBe(11803);
    expect(rest + new GRUCell(64, 64).numParameters()).toBe(28315);
  });
});

describe('recurrent cells against a hand-computed step', () => {
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const set = (layer: Linear, w: number[], b: number) =>
    noGrad(() => {
      layer.weight.copy_(tensor([w], { dtype: 'float64' }));
      layer.bias?.copy_(tensor([b], { dtype: 'float64' }));
    });
  const x = tensor([[0.7], [-1.2]], { dtype: 'float64' });
  const h = tensor([[-0.4], [0.9]], { dtype: 'float64' });
  it('RNNCell: tanh(w·[x, h] + b)', () => {
    const cell = new RNNCell(1, 1, { dtype: 'float64' });
    set(cell.xhToH, [0.5, -1.5], 0.25);
    const expected = [0, 1].map((i) => [Math.tanh(0.5 * x.data[i] - 1.5 * h.data[i] + 0.25)]);
    expect(cell.forward(x, h).tolist()).toEqual(expected);
  });
  it("GRUCell: makemore's reset-before-matmul and (1 − z)·h + z·h̄", () => {
    const cell = new GRUCell(1, 1, { dtype: 'float64' });
    set(cell.xhToR, [0.3, 0.8], -0.1);
    set(cell.xhToHbar, [1.1, -0.6], 0.2);
    set(cell.xhToZ, [-0.7, 0.4], 0.05);
    const out = cell.forward(x, h).data;
    [0, 1].forEach((i) => {
      const [xi, hi] = [x.data[i], h.data[i]];
      const reset = sigmoid(0.3 * xi + 0.8 * hi - 0.1);
      const hbar = Math.tanh(1.1 * xi - 0.6 * (reset * hi) + 0.2);
      const z = sigmoid(-0.7 * xi + 0.4 * hi + 0.05);
      expect(out[i]).toBeCloseTo((1 - z) * hi + z * hbar, 15);
    });
  });
});

describe('errors', () => {
  it('LayerNorm: a wrong trailing shape, in PyTorch words', () => {
    expect(() => new LayerNorm(4).forward(zeros([3, 5]))).toThrow(
      'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[3, 5]',
    );
    expect(() => new LayerNorm(4, { eps: -1 })).toThrow(ConfigError);
  });
  it('LayerNorm and GELU refuse int32 input with a DTypeError naming the module', () => {
    const ints = tensor([[1, 2, 3, 4]], { dtype: 'int32' });
    const cases: [string, () => unknown][] = [
      ['LayerNorm', () => new LayerNorm(4).forward(ints)],
      ['GELU', () => new GELU().forward(ints)],
      ['GELU', () => new GELU({ approximate: 'tanh' }).forward(ints)],
    ];
    for (const [name, run] of cases) {
      expect(run).toThrow(DTypeError);
      expect(run).toThrow(
        `${name}: expected a floating point input (float32 or float64), got int32; cast it first with .to('float32')`,
      );
    }
    // after the cast the same input works
    expect(new LayerNorm(4).forward(ints.to('float32')).shape).toEqual([1, 4]);
  });
  it("module reprs print eps and momentum as Python's floats", () => {
    expect(new LayerNorm(4, { eps: 0 }).toString()).toBe(
      'LayerNorm((4,), eps=0.0, elementwise_affine=True)',
    );
    expect(new LayerNorm([2, 3], { eps: 1e-3 }).toString()).toBe(
      'LayerNorm((2, 3), eps=0.001, elementwise_affine=True)',
    );
  });
  it('attention: heads must divide nEmbd; T must fit the block; shapes are named', () => {
    expect(() => new CausalSelfAttention(10, 3, 8)).toThrow(
      'embed_dim must be divisible by num_heads, got nEmbd 10 and nHead 3',
    );
    const attn = new CausalSelfAttention(8, 2, 4);
    expect(() => attn.forward(zeros([1, 5, 8]))).toThrow(
      'Cannot forward sequence of length 5, block size is only 4',
    );
    expect(() => attn.forward(zeros([1, 4, 6]))).toThrow(
      'CausalSelfAttention: expected input of shape [B, T, 8], got [1, 4, 6]',
    );
    // PyTorch's order: a module's own parameters and buffers, then its children's.
    expect(Object.keys(attn.stateDict())).toEqual([
      'bias',
      'cAttn.weight',
      'cAttn.bias',
      'cProj.weight',
      'cProj.bias',
    ]);
  });
  it('cells: input and hidden shapes', () => {
    const cell = new GRUCell(3, 4);
    expect(() => cell.forward(zeros([2, 3]), zeros([2, 5]))).toThrow(
      'GRUCell: expected hidden state of shape [2, 4], got [2, 5]',
    );
    expect(() => new RNNCell(3, 4).forward(zeros([2, 2]), zeros([2, 4]))).toThrow(
      'RNNCell: expected input of shape [B, 3], got [2, 2]',
    );
  });
  it('GELU: an unknown approximation', () => {
    expect(() => new GELU({ approximate: 'fast' as 'tanh' })).toThrow(
      "approximate argument must be either none or tanh, got 'fast'",
    );
  });
});

describe('a captured transformer training step', () => {
  // Embedding → LayerNorm → CausalSelfAttention (residual) → LayerNorm → GELU MLP (residual) → head,
  // AdamW: the replayed steps give the eager steps' losses bit for bit (the masks are kernel calls).
  function model() {
    const generator = new Generator(5);
    const modules = {
      wte: new Embedding(27, 16, { generator }),
      ln1: new LayerNorm(16),
      attn: new CausalSelfAttention(16, 4, 8, { generator }),
      ln2: new LayerNorm(16),
      fc: new Linear(16, 64, { generator }),
      gelu: new GELU({ approximate: 'tanh' }),
      exact: new GELU(),
      proj: new Linear(64, 16, { generator }),
      head: new Linear(16, 27, { generator }),
    };
    const params = Object.values(modules).flatMap((m) => m.parameters());
    const optimizer = new AdamW(params, { lr: 1e-2 });
    const step = (X: Tensor, Y: Tensor) => {
      optimizer.zeroGrad();
      let x = modules.wte.forward(X);
      x = x.add(modules.attn.forward(modules.ln1.forward(x)));
      const hidden = modules.fc.forward(modules.ln2.forward(x));
      x = x.add(
        modules.proj.forward(modules.gelu.forward(hidden).add(modules.exact.forward(hidden))),
      );
      const logits = modules.head.forward(x);
      const loss = crossEntropy(logits.view(-1, 27), Y.view(-1));
      loss.backward();
      optimizer.step();
      return loss;
    };
    return step;
  }
  it('20 replayed steps equal 20 eager steps', () => {
    const g = new Generator(9);
    const data = Array.from({ length: 20 }, () => [
      randint(0, 27, [4, 8], { generator: g }),
      randint(0, 27, [4, 8], { generator: g }),
    ]);
    const eager = model();
    const eagerLosses = data.map(([X, Y]) => eager(X, Y).item());
    const captured = captureStep(model(), data[0]);
    const replayed = [(captured.output as Tensor).item()];
    for (const [X, Y] of data.slice(1)) replayed.push((captured.replay(X, Y) as Tensor).item());
    expect(replayed).toEqual(eagerLosses);
    expect(eagerLosses[19]).toBeLessThan(eagerLosses[0]);
  });
});
