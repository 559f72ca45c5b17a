/**
 * Differential test against PyTorch 1.13: replays every case of `fixtures/torch-ops.json` (written by
 * `scripts/torch_ops_fixtures.py`) through our API and compares values (atol 1e-10 in float64),
 * indices (exactly), dtypes, gradients of Σ_k (out_k · w_k).sum(), printed forms and error messages.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { arange, tensor, zeros } from './creation.js';
import type { DType } from './dtype.js';
import { cat, matmul, pow, stack } from './index.js';
import { randn } from './random.js';
import { Tensor } from './tensor.js';

type Encoded = number | 'inf' | '-inf' | 'nan';
interface FixtureTensor {
  shape: number[];
  dtype: DType;
  data?: Encoded[];
  values?: Encoded[];
  grad?: boolean;
}
// biome-ignore lint/suspicious/noExplicitAny: fixture arguments are plain JSON, one shape per op
type Args = Record<string, any>;
interface Case {
  name: string;
  op: string;
  args: Args;
  inputs: FixtureTensor[];
  outputs: FixtureTensor[];
  grads: (Encoded[] | null)[];
}
interface Fixtures {
  torch: string;
  cases: Case[];
  prints: { name: string; expected: string }[];
  errors: { name: string; torch: string }[];
}

const here = dirname(fileURLToPath(import.meta.url));
const fixtures: Fixtures = JSON.parse(
  readFileSync(join(here, 'fixtures', 'torch-ops.json'), 'utf8'),
);

const decode = (v: Encoded): number =>
  v === 'inf'
    ? Number.POSITIVE_INFINITY
    : v === '-inf'
      ? Number.NEGATIVE_INFINITY
      : v === 'nan'
        ? Number.NaN
        : v;

function build(t: FixtureTensor): Tensor {
  const values = Float64Array.from((t.data ?? []).map(decode));
  return tensor(values, { shape: t.shape, dtype: t.dtype, requiresGrad: t.grad ?? false });
}

/** The fixed weight of output k (the same formula as the Python script). */
const weight = (n: number, k: number): Tensor =>
  tensor(
    Float64Array.from({ length: n }, (_, i) => ((7 * i + 3 * k) % 11) / 5 - 0.9),
    { dtype: 'float64' },
  );

type Out = Tensor | Tensor[] | { values: Tensor; indices: Tensor };
const other = (xs: Tensor[], a: Args): Tensor | number => xs[1] ?? a.other;
const keep = (a: Args) => ({ keepdim: a.keepdim ?? false });

/** Our side of every op key in the fixtures. */
const OPS: Record<string, (xs: Tensor[], a: Args) => Out> = {
  neg: ([x]) => x.neg(),
  exp: ([x]) => x.exp(),
  log: ([x]) => x.log(),
  tanh: ([x]) => x.tanh(),
  relu: ([x]) => x.relu(),
  sigmoid: ([x]) => x.sigmoid(),
  sqrt: ([x]) => x.sqrt(),
  abs: ([x]) => x.abs(),
  square: ([x]) => x.square(),
  add: (xs, a) =>
    a.alpha === undefined
      ? xs[0].add(other(xs, a))
      : xs[0].add(other(xs, a), { alpha: a.alpha as number }),
  sub: (xs, a) => xs[0].sub(other(xs, a)),
  mul: (xs, a) => xs[0].mul(other(xs, a)),
  div: (xs, a) => xs[0].div(other(xs, a)),
  pow: (xs, a) => xs[0].pow(other(xs, a)),
  rsub: ([x], a) => x.rsub(a.other),
  rdiv: ([x], a) => x.rdiv(a.other),
  rpow: ([x], a) => pow(a.other as number, x),
  maximum: ([x, y]) => x.maximum(y),
  minimum: ([x, y]) => x.minimum(y),
  clamp: ([x], a) => x.clamp(a.min, a.max),
  eq: (xs, a) => xs[0].eq(other(xs, a)),
  ne: (xs, a) => xs[0].ne(other(xs, a)),
  lt: (xs, a) => xs[0].lt(other(xs, a)),
  le: (xs, a) => xs[0].le(other(xs, a)),
  gt: (xs, a) => xs[0].gt(other(xs, a)),
  ge: (xs, a) => xs[0].ge(other(xs, a)),
  sum: ([x], a) => x.sum(a.dim, keep(a)),
  mean: ([x], a) => x.mean(a.dim, keep(a)),
  amax: ([x], a) => x.amax(a.dim, keep(a)),
  amin: ([x], a) => x.amin(a.dim, keep(a)),
  max: ([x], a) => (a.dim === undefined ? x.max() : x.max(a.dim, keep(a))),
  min: ([x], a) => (a.dim === undefined ? x.min() : x.min(a.dim, keep(a))),
  argmax: ([x], a) => x.argmax(a.dim, keep(a)),
  argmin: ([x], a) => x.argmin(a.dim, keep(a)),
  var: ([x], a) => x.var(a.dim, { correction: a.correction ?? 1, keepdim: a.keepdim }),
  std: ([x], a) => x.std(a.dim, { correction: a.correction ?? 1, keepdim: a.keepdim }),
  logsumexp: ([x], a) => x.logsumexp(a.dim, keep(a)),
  view: ([x], a) => x.view(a.shape),
  reshape: ([x], a) => x.reshape(a.shape),
  transpose_reshape: ([x], a) => x.transpose(0, 1).reshape(a.shape),
  permute: ([x], a) => x.permute(a.dims),
  transpose: ([x], a) => x.transpose(a.dim0, a.dim1),
  T: ([x]) => x.T,
  expand: ([x], a) => x.expand(a.shape),
  squeeze: ([x], a) => x.squeeze(a.dim),
  unsqueeze: ([x], a) => x.unsqueeze(a.dim),
  flatten: ([x], a) => x.flatten(a.start ?? 0, a.end ?? -1),
  slice: ([x], a) => x.slice(a.dim, a.start, a.end, a.step ?? 1),
  narrow: ([x], a) => x.narrow(a.dim, a.start, a.length),
  select: ([x], a) => x.select(a.dim, a.index),
  split: ([x], a) => x.split(a.size, a.dim ?? 0),
  chunk: ([x], a) => x.chunk(a.chunks, a.dim ?? 0),
  cat: (xs, a) => cat(xs, a.dim),
  stack: (xs, a) => stack(xs, a.dim),
  clone_t: ([x]) => x.T.contiguous(),
  index: ([x, ...indices]) => x.index(...indices),
  gather: ([x, index], a) => x.gather(a.dim, index),
  index_select: ([x, index], a) => x.indexSelect(a.dim, index),
  matmul: ([x, y]) => matmul(x, y),
  softmax: ([x], a) => x.softmax(a.dim),
  log_softmax: ([x], a) => x.logSoftmax(a.dim),
  cross_entropy_pluck: ([logits, ys]) =>
    logits.logSoftmax(1).index(arange(logits.shape[0]), ys).mean().neg(),
  views_elementwise: ([x, y]) =>
    x.T.slice(0, 1)
      .slice(1, null, null, 2)
      .exp()
      .mul(y.T.slice(0, 1).slice(1, null, null, 2))
      .add(x.slice(1, 1).T.slice(1, null, 2)),
  views_reduce: ([x]) => [
    x.T.sum(0),
    x.T.amax(1),
    x.slice(1, 1).T.max(1).values,
    x.slice(1, null, 1).expand(2, 4, 3).sum([0, 2]),
    x.T.var(0),
  ],
  views_softmax: ([x]) => [x.T.softmax(1), x.slice(1, 1).logSoftmax(0)],
  views_matmul: ([x, y]) => x.slice(0, 1).matmul(y.T.slice(1, null, null, 2)),
  views_index: ([x, i, j]) => [
    x.T.index(i),
    x.T.gather(1, j),
    x.slice(1, 1).indexSelect(1, i.select(0, 1)),
  ],
  views_cat: ([x]) => cat([x.T, x.slice(1, 1).T], 0),
  inplace_views: ([x, y]) => {
    const t = x.detach().clone();
    t.slice(1, 1, 3).add_(y.slice(1, null, 2), { alpha: 2 });
    t.T.select(0, 0).mul_(3);
    t.slice(0, 1)
      .slice(1, null, null, 2)
      .copy_(y.select(0, 0).slice(0, null, 3));
    t.select(0, 0).fill_(-1);
    t.slice(0, 2).sub_(0.5, { alpha: 2 });
    t.slice(1, 3).div_(4);
    return t;
  },
  reuse: ([x]) => x.mul(x).sum(1).add(x.tanh().mean(0).unsqueeze(0).expand(4, 3).sum(1)),
  lecture_mlp: ([C, W1, b1, W2, b2, X, Y]) => {
    const h = C.index(X).view(-1, 6).matmul(W1).add(b1).tanh();
    const logits = h.matmul(W2).add(b2);
    const counts = logits.exp();
    const prob = counts.div(counts.sum(1, { keepdim: true }));
    const n = X.shape[0];
    return [
      prob.index(arange(n), Y).log().mean().neg(),
      logits.logSoftmax(1).index(arange(n), Y).mean().neg(),
    ];
  },
};

/**
 * Cases where we deliberately differ from PyTorch (see README, "Where it differs"), by name, with why.
 */
const SKIP: Record<string, string> = {};

function outputsOf(out: Out): Tensor[] {
  if (out instanceof Tensor) return [out];
  if (Array.isArray(out)) return out;
  return [out.values, out.indices];
}

/** |actual − expected| ≤ atol + 1e-12·|expected| elementwise; NaN matches NaN, infinities match exactly. */
function expectValues(actual: ArrayLike<number>, expected: Encoded[], atol: number, what: string) {
  expect(actual.length, `${what}: element count`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = decode(expected[i]);
    const x = actual[i];
    if (Number.isNaN(e) && Number.isNaN(x)) continue;
    if (x === e) continue;
    if (!(Math.abs(x - e) <= atol + 1e-12 * Math.abs(e))) {
      throw new Error(`${what}: element ${i} is ${x}, PyTorch gives ${e}`);
    }
  }
}

describe(`PyTorch ${fixtures.torch} differential cases`, () => {
  it('has a table entry for every op in the fixtures', () => {
    const missing = [...new Set(fixtures.cases.map((c) => c.op))].filter((op) => !(op in OPS));
    expect(missing).toEqual([]);
  });

  for (const c of fixtures.cases) {
    const test = SKIP[c.name] ? it.skip : it;
    test(c.name, () => {
      const inputs = c.inputs.map(build);
      const outs = outputsOf(OPS[c.op](inputs, c.args));
      expect(outs.length, 'number of outputs').toBe(c.outputs.length);
      let loss: Tensor | null = null;
      outs.forEach((out, k) => {
        const want = c.outputs[k];
        expect(out.shape, `output ${k} shape`).toEqual(want.shape);
        expect(out.dtype, `output ${k} dtype`).toBe(want.dtype);
        const atol = out.dtype === 'float32' ? 1e-6 : out.dtype === 'int32' ? 0 : 1e-10;
        expectValues(out.data, want.values ?? [], atol, `output ${k}`);
        if (out.requiresGrad) {
          const term = out.to('float64').reshape(-1).mul(weight(out.numel(), k)).sum();
          loss = loss === null ? term : loss.add(term);
        }
      });
      const anyGrad = c.grads.some((g) => g !== null);
      expect(loss !== null, 'output requires grad').toBe(anyGrad);
      if (loss) (loss as Tensor).backward();
      c.grads.forEach((want, j) => {
        const grad = inputs[j].grad;
        if (want === null) {
          if (grad) expect(Array.from(grad.data).every((v) => v === 0)).toBe(true);
          return;
        }
        expect(grad, `input ${j} has a grad`).not.toBeNull();
        expect((grad as Tensor).shape, `input ${j} grad shape`).toEqual(c.inputs[j].shape);
        const atol = inputs[j].dtype === 'float32' ? 1e-6 : 1e-10;
        expectValues((grad as Tensor).data, want, atol, `grad of input ${j}`);
      });
    });
  }
});

// ---- printing ----------------------------------------------------------------------------------

const f32 = { dtype: 'float32' } as const;
const w = () => tensor([0.5, 1], { dtype: 'float32', requiresGrad: true });
const PRINTS: Record<string, () => Tensor> = {
  ints: () => tensor([1, -20, 300]),
  'int 2-d': () =>
    tensor([
      [1, 2],
      [30, 4],
    ]),
  floats: () => tensor([0.5, -1.25, 3.0], f32),
  'whole floats': () => tensor([1, 2, -3], f32),
  'randn 2x3': () => randn([2, 3], { generator: new Generator(2147483647) }),
  'mixed magnitudes': () => tensor([0.001, 1.5, 120.25], f32),
  'wide range': () => tensor([1e-5, 1, 1000], f32),
  large: () => tensor([1e10, 2.5], f32),
  'large whole': () => tensor([1e10, 2], f32),
  tiny: () => tensor([1e-6, 2e-6], f32),
  'ratio just over 1000': () => tensor([0.01, 20.5], f32),
  'negative zero and nan/inf': () => tensor([Number.NaN, Number.POSITIVE_INFINITY, -1.5, 0], f32),
  '3-d': () => arange(12).view(2, 3, 2).div(4),
  '0-d float': () => tensor(3.5, f32),
  '0-d int': () => tensor(7),
  empty: () => zeros([0]),
  'empty 2-d': () => zeros([2, 0]),
  float64: () => tensor([0.5, 1], { dtype: 'float64' }),
  requires_grad: w,
  AddBackward0: () => w().add(1),
  MulBackward0: () => w().mul(2),
  SumBackward0: () => w().sum(),
  MeanBackward0: () => w().mean(),
  TanhBackward0: () => w().tanh(),
  ViewBackward0: () => w().view(2, 1),
  MmBackward0: () => {
    const v = w();
    return v.view(1, 2).matmul(v.view(2, 1));
  },
  IndexBackward0: () => w().index(tensor([0])),
  LogSoftmaxBackward0: () => w().logSoftmax(0),
  NegBackward0: () => w().neg(),
  PowBackward0: () => w().pow(2),
  DivBackward0: () => w().div(2),
  SubBackward0: () => w().sub(1),
  ExpBackward0: () => w().exp(),
  'grad_fn 0-d': () => {
    const v = w();
    return v.mul(v).sum();
  },
  'long row': () => arange(8).mul(1.5),
  'wrapped row': () => arange(20).div(3),
  'wrapped int row': () => arange(40).mul(7),
  'wrapped 2-d': () => arange(30).view(2, 15).sub(7.5),
  'summarized 1-d': () => arange(1500).div(4),
  'summarized 2-d': () => arange(2000).view(40, 50).float(),
  'summarized 3-d': () => arange(1200).view(12, 10, 10),
  'whole floats wide': () => tensor([1, 2000], f32),
  'int negative zero': () => tensor([-0, 1.5], f32),
  SelectBackward0: () => w().select(0, 1),
  TransposeBackward0: () => w().view(1, 2).transpose(0, 1),
  StackBackward0: () => {
    const v = w();
    return stack([v, v]);
  },
  'PowBackward0 square': () => w().square(),
  ToCopyBackward0: () => w().double(),
  SoftmaxBackward0: () => w().softmax(0),
  VarBackward0: () => w().var(),
  StdBackward0: () => w().std(),
  LogsumexpBackward0: () => w().logsumexp(0),
};

describe('toString matches PyTorch', () => {
  for (const p of fixtures.prints) {
    it(p.name, () => {
      expect(PRINTS[p.name], `no print case ${p.name}`).toBeDefined();
      expect(PRINTS[p.name]().toString()).toBe(p.expected);
    });
  }
});

// ---- error messages ----------------------------------------------------------------------------

const ERRORS: Record<string, () => unknown> = {
  broadcast: () => zeros([2, 3]).add(zeros([4])),
  'matmul 2-d': () => zeros([2, 3]).matmul(zeros([4, 5])),
  'matmul 1-d': () => zeros([3]).matmul(zeros([4])),
  'matmul 3-d': () => zeros([2, 2, 3]).matmul(zeros([4, 5])),
  'matmul batched': () => zeros([2, 2, 3]).matmul(zeros([2, 4, 5])),
  'index out of range': () => zeros([5, 2]).index(tensor([7])),
  'index negative out of range': () => zeros([5, 2]).index(tensor([-6])),
  'select out of range': () => zeros([5, 2]).select(1, 2),
  'gather out of range': () => zeros([2, 3]).gather(1, tensor([[3], [0]])),
  'view non-contiguous': () => zeros([2, 3]).T.view(6),
  'view bad size': () => zeros([2, 3]).view(4, 2),
  'backward non-scalar': () => zeros([2], { requiresGrad: true }).mul(2).backward(),
  'backward no grad': () => zeros([2]).sum().backward(),
  'in-place on leaf': () => zeros([2], { requiresGrad: true }).add_(1),
  'dim out of range': () => zeros([2, 3]).sum(2),
  'float index': () => zeros([3]).index(tensor([0], f32)),
  'requires_grad on int': () => tensor([1]).requiresGrad_(),
  'item of many': () => zeros([2]).item(),
  'cat shapes': () => cat([zeros([2, 3]), zeros([2, 4])], 0),
  expand: () => zeros([2, 3]).expand(4, 3),
  'mean of int': () => tensor([1, 2]).mean(),
  'int to negative power': () => tensor([1, 2]).pow(-1),
  'div_ on int': () => tensor([1, 2]).div_(2),
  'stack shapes': () => stack([zeros([2]), zeros([3])]),
  'gather rank': () => zeros([2, 3]).gather(1, tensor([0])),
  'permute length': () => zeros([2, 3]).permute(0),
};

describe("error messages use PyTorch's words", () => {
  for (const e of fixtures.errors) {
    it(e.name, () => {
      expect(ERRORS[e.name], `no error case ${e.name}`).toBeDefined();
      // Ours may add a hint after PyTorch's sentence; PyTorch's words must be there.
      // PyTorch names dtypes Long/Float; ours are int32/float32.
      const words = e.torch.replace(/\bLong\b/g, 'int32').replace(/\bFloat\b/g, 'float32');
      expect(ERRORS[e.name]).toThrow(words.replace(/\.$/, ''));
    });
  }
});
