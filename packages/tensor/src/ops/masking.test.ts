/**
 * tril, triu, maskedFill, where, unbind: PyTorch 1.13's values and gradients
 * (`fixtures/torch-masking.json`, from `scripts/torch_masking_fixtures.py`), with the attention shapes
 * (batched 4-d matmul, softmax over the last dim, the causal pattern); float64 gradchecks; errors.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { captureStep } from '../capture.js';
import { arange, ones, tensor, zeros } from '../creation.js';
import type { DType } from '../dtype.js';
import { randn } from '../random.js';
import type { Tensor } from '../tensor.js';
import { assertGradcheck } from '../testing/index.js';
import { maskedFill, tril, triu, unbind, where } from './masking.js';
import { cat } from './movement.js';

type Encoded = number | 'inf' | '-inf' | 'nan';
interface FixtureTensor {
  shape: number[];
  dtype: DType;
  data?: Encoded[];
  values?: Encoded[];
  grad?: boolean;
}
interface Case {
  name: string;
  op: string;
  args: { diagonal?: number; value?: Encoded; dim?: number; b?: number };
  inputs: FixtureTensor[];
  outputs: FixtureTensor[];
  grads: (Encoded[] | null)[];
}

const here = dirname(fileURLToPath(import.meta.url));
const fixtures: { torch: string; cases: Case[] } = JSON.parse(
  readFileSync(join(here, '..', 'fixtures', 'torch-masking.json'), 'utf8'),
);
const decode = (v: Encoded): number =>
  v === 'inf'
    ? Number.POSITIVE_INFINITY
    : v === '-inf'
      ? Number.NEGATIVE_INFINITY
      : v === 'nan'
        ? Number.NaN
        : v;
const build = (t: FixtureTensor) =>
  tensor(Float64Array.from((t.data ?? []).map(decode)), {
    shape: t.shape,
    dtype: t.dtype,
    requiresGrad: t.grad ?? false,
  });
const weight = (n: number, k: number) =>
  tensor(
    Float64Array.from({ length: n }, (_, i) => ((7 * i + 3 * k) % 11) / 5 - 0.9),
    { dtype: 'float64' },
  );

const OPS: Record<string, (args: Case['args'], xs: Tensor[]) => Tensor | Tensor[]> = {
  tril: (a, [x]) => x.tril(a.diagonal),
  triu: (a, [x]) => x.triu(a.diagonal),
  tril_t: (a, [x]) => x.T.tril(a.diagonal),
  masked_fill: (a, [x, m]) => x.maskedFill(m, decode(a.value ?? 0)),
  where: (_a, [c, x, y]) => where(c, x, y),
  where_scalar: (a, [c, x]) => where(c, x, a.b ?? 0),
  unbind: (a, [x]) => x.unbind(a.dim),
  matmul: (_a, [x, y]) => x.matmul(y),
  matmul_kt: (_a, [q, k]) => q.matmul(k.transpose(-2, -1)),
  softmax: (a, [x]) => x.softmax(a.dim ?? -1),
  attention: (_a, [q, k, v]) => {
    const T = q.shape[2];
    const att = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(k.shape[3]));
    return att
      .maskedFill(tril(ones([T, T])).eq(0), Number.NEGATIVE_INFINITY)
      .softmax(-1)
      .matmul(v);
  },
};

function expectValues(actual: Tensor, expected: FixtureTensor, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  expect(actual.dtype, what).toBe(expected.dtype);
  const got = Array.from(actual.data as ArrayLike<number>);
  const want = (expected.values ?? []).map(decode);
  got.forEach((v, i) => {
    if (Number.isFinite(want[i])) expect(Math.abs(v - want[i]), `${what}[${i}]`).toBeLessThan(1e-6);
    else expect(v, `${what}[${i}]`).toBe(want[i]);
  });
}

describe(`masking ops vs PyTorch ${fixtures.torch}`, () => {
  it('has the recorded cases', () => expect(fixtures.cases.length).toBe(30));
  for (const c of fixtures.cases) {
    it(c.name, () => {
      const inputs = c.inputs.map(build);
      const result = OPS[c.op](c.args, inputs);
      const outs = Array.isArray(result) ? result : [result];
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o, k) => {
        expectValues(o, c.outputs[k], `output ${k}`);
      });
      const differentiable = outs.filter((o) => o.requiresGrad);
      if (differentiable.length === 0) return;
      outs
        .map((o, k) => o.to('float64').reshape(-1).mul(weight(o.numel(), k)).sum())
        .reduce((a, b) => a.add(b))
        .backward();
      c.grads.forEach((g, k) => {
        if (g === null) return;
        const grad = inputs[k].grad;
        expect(grad, `grad of input ${k}`).not.toBeNull();
        const got = Array.from((grad as Tensor).data as ArrayLike<number>);
        got.forEach((v, i) => {
          expect(Math.abs(v - decode(g[i])), `grad ${k}[${i}]`).toBeLessThan(1e-5);
        });
      });
    });
  }
});

const r = (shape: number[], seed: number) =>
  randn(shape, { generator: new Generator(seed), dtype: 'float64', requiresGrad: true });

describe('masking ops: float64 gradcheck', () => {
  it('tril, triu (batched, offset diagonals)', () => {
    assertGradcheck((x) => tril(x, -1).mul(x), [r([2, 3, 4], 1)]);
    assertGradcheck((x) => triu(x, 2).exp(), [r([4, 3], 2)]);
  });
  it('maskedFill with broadcasting both ways', () => {
    const m = tensor([[1, 0, 0, 1]]);
    assertGradcheck((x) => maskedFill(x, m, 3).mul(x), [r([3, 4], 3)]);
    assertGradcheck((x) => maskedFill(x, tensor([[[1], [0], [1]]]), -2).tanh(), [r([3, 1], 4)]);
  });
  it('where with broadcast operands', () => {
    const c = tensor([[1], [0], [1]]);
    assertGradcheck((a, b) => where(c, a, b).mul(a), [r([1, 4], 5), r([3, 4], 6)]);
  });
  it('unbind slices feeding different consumers', () => {
    assertGradcheck(
      (x) => {
        const [a, b, c] = unbind(x, 1);
        return a.mul(b).add(c.exp());
      },
      [r([2, 3], 7)],
    );
  });
  it('causal attention on [B, H, T, d]', () => {
    assertGradcheck(
      (q, k, v) =>
        q
          .matmul(k.transpose(-2, -1))
          .maskedFill(tril(ones([3, 3])).eq(0), Number.NEGATIVE_INFINITY)
          .softmax(-1)
          .matmul(v),
      [r([2, 2, 3, 2], 8), r([2, 2, 3, 2], 9), r([2, 2, 3, 2], 10)],
    );
  });
});

function stackMasks(masks: Tensor[]): Tensor {
  return cat(
    masks.map((m) => m.unsqueeze(0)),
    0,
  );
}

describe('masking ops: semantics and errors', () => {
  it('tril / triu split a matrix exactly, and clear NaN above the diagonal', () => {
    const x = arange(12).view(3, 4).float();
    expect(tril(x).add(triu(x, 1)).tolist()).toEqual(x.tolist());
    const nan = tensor([
      [1, Number.NaN],
      [2, 3],
    ]);
    expect(tril(nan).tolist()).toEqual([
      [1, 0],
      [2, 3],
    ]);
    expect(tril(arange(4).view(2, 2)).dtype).toBe('int32');
  });
  it('where picks exactly: -0, ±∞ and NaN survive', () => {
    const out = where(
      tensor([1, 0, 1, 0]),
      tensor([-0, 1, Number.POSITIVE_INFINITY, 2]),
      tensor([5, Number.NaN, 6, -0]),
    );
    expect(Object.is(out.data[0], -0)).toBe(true);
    expect(Object.is(out.data[3], -0)).toBe(true);
    expect(out.data[1]).toBeNaN();
    expect(out.data[2]).toBe(Number.POSITIVE_INFINITY);
    expect(where(tensor([1, 0]), tensor([1, 2]), 0.5).dtype).toBe('float32');
    expect(
      tensor([1, 2])
        .where(tensor([0, 1]), 9)
        .tolist(),
    ).toEqual([9, 2]);
  });
  it('maskedFill into int32 truncates in range and refuses ±∞, NaN and overflow (PyTorch)', () => {
    const x = arange(4).view(2, 2); // int32
    const m = tensor([
      [1, 0],
      [0, 1],
    ]);
    expect(maskedFill(x, m, -7.9).tolist()).toEqual([
      [-7, 1],
      [2, -7],
    ]);
    expect(maskedFill(x, m, 2147483647).data[0]).toBe(2147483647);
    expect(maskedFill(x, m, -2147483648).data[3]).toBe(-2147483648);
    for (const value of [
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      2147483648,
      -2147483649,
      1e10,
    ]) {
      expect(() => maskedFill(x, m, value)).toThrow(RangeError);
      expect(() => x.maskedFill(m, value)).toThrow(
        `masked_fill(): value cannot be converted to type int32 without overflow: ${value} (cast to float first`,
      );
    }
    // floats take any value
    expect(maskedFill(x.float(), m, Number.NEGATIVE_INFINITY).data[0]).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });
  it('maskedFill reads a mask broadcast over leading dims in place, and expands any other', () => {
    const g = new Generator(5);
    const x = randn([2, 3, 5, 5], { generator: g, requiresGrad: true });
    const causal = ones([5, 5]).tril().eq(0);
    const expected = maskedFill(x, causal.expand(2, 3, 5, 5).contiguous(), -1e9);
    for (const mask of [causal, causal.view(1, 1, 5, 5), causal.view(1, 5, 5)]) {
      expect(maskedFill(x, mask, -1e9).tolist()).toEqual(expected.tolist());
    }
    // Broadcast in a middle dim ([2, 1, 5, 5]): expanded, the same elements.
    const perBatch = stackMasks([causal, causal.eq(0)]).view(2, 1, 5, 5);
    const full = perBatch.expand(2, 3, 5, 5).contiguous();
    expect(maskedFill(x, perBatch, 7).tolist()).toEqual(maskedFill(x, full, 7).tolist());
    // The backward goes through the same kernel: zero where masked.
    maskedFill(x, causal, -1e9).sum().backward();
    const grad = (x.grad as Tensor).tolist() as number[][][][];
    expect(grad[1][2][0]).toEqual([1, 0, 0, 0, 0]);
    expect(grad[0][1][4]).toEqual([1, 1, 1, 1, 1]);
  });

  it('unbind returns views', () => {
    const x = arange(6).view(2, 3);
    const parts = x.unbind(1);
    expect(parts.map((p) => p.tolist())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(parts[0].storage).toBe(x.storage);
  });
  it('errors name the op and the values', () => {
    expect(() => tril(zeros([3]))).toThrow(
      'tril: input tensor must have at least 2 dimensions, got shape [3]',
    );
    expect(() => triu(zeros([2, 2]), 0.5)).toThrow('triu(): diagonal must be an integer, got 0.5');
    expect(() => maskedFill(zeros([2]), zeros([2]), 1)).toThrow(
      'masked_fill expected mask to be a boolean tensor (int32 of 0/1, as eq/lt/… return), but got a tensor with dtype float32',
    );
    expect(() => maskedFill(zeros([2, 3]), tensor([1, 0, 1, 0]), 1)).toThrow(
      'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1',
    );
    expect(() => where(ones([3]), ones([3]), ones([3]))).toThrow(
      'where expected condition to be a boolean tensor',
    );
    expect(() => where(tensor([1, 0, 1]), ones([3]), ones([4]))).toThrow(
      'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0',
    );
    expect(() => unbind(zeros([2, 3]), 2)).toThrow(
      'Dimension out of range (expected to be in range of [-2, 1], but got 2)',
    );
  });
});

describe('masking ops under captureStep', () => {
  it('a replay on new inputs equals the eager result (the masks are kernel calls, not JS loops)', () => {
    const fn = (x: Tensor, c: Tensor) => {
      const y = where(c, x, x.neg()).tril().maskedFill(c, -1).add(unbind(x, 1)[0].unsqueeze(1));
      return y.softmax(-1);
    };
    const g = new Generator(11);
    const x0 = randn([3, 3], { generator: g });
    const c0 = randn([3, 3], { generator: g }).gt(0);
    const x1 = randn([3, 3], { generator: g });
    const c1 = randn([3, 3], { generator: g }).gt(0);
    const step = captureStep(fn, [x0, c0]);
    expect((step.output as Tensor).tolist()).toEqual(fn(x0, c0).tolist());
    const replayed = (step.replay(x1, c1) as Tensor).tolist();
    expect(replayed).toEqual(fn(x1, c1).tolist());
    expect(replayed).not.toEqual(fn(x0, c0).tolist());
  });
});
