/**
 * `MultiHeadAttention.forward` runs its heads in one pass (one matmul for every head's q, k, v, one
 * batched attention over `[H, B, T, T]`); these tests hold it to the lecture's head-by-head
 * computation, `proj(cat(heads.map(head.forward)))` then dropout, written out here: forward and
 * every gradient (float64 tight, float32 loose), the dropout masks, the fallbacks (a subclassed or
 * hooked head, mixed dropouts) and finite differences.
 */
import { Generator } from '@llm-playground/core';
import { cat, type DType, noGrad, randn, ShapeError, type Tensor } from '@llm-playground/tensor';
import { assertGradcheck } from '@llm-playground/tensor/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Head, MultiHeadAttention } from './attention.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';

/** The lecture's forward, head by head: the reference for the fused pass. */
function headByHead(mha: MultiHeadAttention, x: Tensor): Tensor {
  const out = cat(
    mha.heads.map((head) => head.forward(x)),
    -1,
  );
  return mha.dropout.forward(mha.proj.forward(out));
}

/** Output, then the gradients of x and of every parameter (by name) of a weighted sum of it. */
function run(mha: MultiHeadAttention, x: Tensor, forward: (x: Tensor) => Tensor) {
  mha.zeroGrad();
  const input = x.detach().requiresGrad_();
  const out = forward(input);
  const weights = randn(out.shape, { generator: new Generator(99), dtype: out.dtype });
  out.mul(weights).sum().backward();
  const grads = new Map<string, number[]>([['x', Array.from(input.grad?.data ?? [])]]);
  for (const [name, p] of mha.namedParameters()) grads.set(name, Array.from(p.grad?.data ?? []));
  return { out: Array.from(out.data as ArrayLike<number>), shape: out.shape, grads };
}

/** max |a − b| / (1 + |b|) over all elements; Infinity when the lengths differ. */
function worst(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return w;
}

function expectSame(mha: MultiHeadAttention, x: Tensor, tol: number) {
  const fused = run(mha, x, (input) => mha.forward(input));
  const reference = run(mha, x, (input) => headByHead(mha, input));
  expect(fused.shape).toEqual(reference.shape);
  expect(worst(fused.out, reference.out), 'output').toBeLessThanOrEqual(tol);
  expect([...fused.grads.keys()]).toEqual([...reference.grads.keys()]);
  for (const [name, grad] of reference.grads) {
    expect(grad.length, name).toBeGreaterThan(0);
    expect(
      grad.some((g) => g !== 0),
      `${name} has a gradient`,
    ).toBe(true);
    expect(worst(fused.grads.get(name) ?? [], grad), `grad of ${name}`).toBeLessThanOrEqual(tol);
  }
}

const build = (numHeads: number, dtype: DType, options: { dropout?: number } = {}) =>
  new MultiHeadAttention(16, numHeads, 16 / numHeads, 8, {
    ...options,
    dtype,
    generator: new Generator(1337),
  });
const input = (T: number, dtype: DType, seed = 5) =>
  randn([3, T, 16], { generator: new Generator(seed), dtype });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('MultiHeadAttention: all heads in one pass = head by head', () => {
  for (const numHeads of [1, 4]) {
    for (const T of [8, 5]) {
      it(`float64, ${numHeads} head(s), T ${T} of block 8: output and every gradient to 1e-12`, () => {
        const spy = vi.spyOn(Head.prototype, 'forward');
        const mha = build(numHeads, 'float64');
        mha.forward(input(T, 'float64'));
        expect(spy, 'the fused pass calls no Head.forward').not.toHaveBeenCalled();
        expectSame(mha, input(T, 'float64'), 1e-12);
      });
      it(`float32, ${numHeads} head(s), T ${T}: within float32 rounding`, () => {
        expectSame(build(numHeads, 'float32'), input(T, 'float32'), 2e-5);
      });
    }
  }

  it('Linears with biases (a user swapped them in): the biases join the one matmul', () => {
    const mha = build(4, 'float64');
    const generator = new Generator(3);
    for (const head of mha.heads) {
      for (const part of ['key', 'query', 'value'] as const) {
        head[part] = new Linear(16, 4, { dtype: 'float64', generator });
      }
    }
    expect(mha.numParameters()).toBe(4 * 3 * (16 * 4 + 4) + 16 * 16 + 16);
    const spy = vi.spyOn(Head.prototype, 'forward');
    mha.forward(input(6, 'float64'));
    expect(spy).not.toHaveBeenCalled();
    expectSame(mha, input(6, 'float64'), 1e-12);
  });

  it('eval mode with dropout 0.3: fused, no masks, equal to head by head', () => {
    const mha = build(4, 'float64', { dropout: 0.3 }).eval();
    const spy = vi.spyOn(Head.prototype, 'forward');
    const out = mha.forward(input(8, 'float64'));
    expect(spy).not.toHaveBeenCalled();
    expect(out.eq(0).sum().item(), 'no dropped weights').toBe(0);
    expectSame(mha, input(8, 'float64'), 1e-12);
  });

  it('training with dropout 0.3: the masks the heads draw one after the other, same generator state after', () => {
    const generator = new Generator(1337);
    const mha = new MultiHeadAttention(16, 4, 4, 8, { dropout: 0.3, dtype: 'float64', generator });
    const x = input(7, 'float64');
    const spy = vi.spyOn(Head.prototype, 'forward');
    generator.manualSeed(11);
    const fused = run(mha, x, (v) => mha.forward(v));
    const nextAfterFused = generator.rand();
    expect(spy).not.toHaveBeenCalled();
    generator.manualSeed(11);
    const reference = run(mha, x, (v) => headByHead(mha, v));
    expect(generator.rand()).toBe(nextAfterFused);
    expect(worst(fused.out, reference.out)).toBeLessThan(1e-12);
    for (const [name, grad] of reference.grads) {
      expect(worst(fused.grads.get(name) ?? [], grad), `grad of ${name}`).toBeLessThan(1e-12);
    }
    // The masks did something: without them (eval) the output differs.
    const plain = noGrad(() => mha.eval().forward(x));
    expect(worst(Array.from(plain.data), fused.out)).toBeGreaterThan(1e-3);
  });

  it('float32 training with dropout 0.5: the same masks as head by head (other masks would move the output by far more)', () => {
    const generator = new Generator(1337);
    const mha = new MultiHeadAttention(16, 4, 4, 8, { dropout: 0.5, generator });
    const x = input(8, 'float32');
    generator.manualSeed(21);
    const fused = noGrad(() => mha.forward(x));
    generator.manualSeed(21);
    const reference = noGrad(() => headByHead(mha, x));
    expect(worst(Array.from(fused.data), Array.from(reference.data))).toBeLessThan(2e-6);
  });
});

describe('MultiHeadAttention: head by head when one pass cannot stand for the heads', () => {
  it('a subclassed head (its own forward) runs its forward', () => {
    class ScaledHead extends Head {
      override forward(x: Tensor): Tensor {
        return super.forward(x).mul(2);
      }
    }
    const mha = build(2, 'float64');
    const before = noGrad(() => mha.forward(input(6, 'float64')));
    mha.heads[1] = new ScaledHead(16, 8, 8, { dtype: 'float64', generator: new Generator(2) });
    const after = noGrad(() => mha.forward(input(6, 'float64')));
    expect(worst(Array.from(after.data), Array.from(before.data))).toBeGreaterThan(1e-3);
    expectSame(mha, input(6, 'float64'), 0);
  });

  it('a forward hook on a head or on one of its Linears still fires', () => {
    const mha = build(4, 'float64');
    const seen: number[][] = [];
    const handle = mha.heads[2].registerForwardHook((_m, _inputs, out) => {
      seen.push([...out.shape]);
    });
    mha.forward(input(5, 'float64'));
    expect(seen).toEqual([[3, 5, 4]]);
    handle.remove();
    const calls: string[] = [];
    mha.heads[0].value.registerForwardHook(() => {
      calls.push('value');
    });
    mha.forward(input(5, 'float64'));
    expect(calls).toEqual(['value']);
    expectSame(mha, input(5, 'float64'), 0);
  });

  it('heads with another dropout p or generator in training: head by head, each its own mask', () => {
    const generator = new Generator(1337);
    const mha = new MultiHeadAttention(16, 2, 8, 8, { dropout: 0.2, dtype: 'float64', generator });
    const x = input(6, 'float64');
    for (const other of [
      new Dropout(0.6, { generator }),
      new Dropout(0.2, { generator: new Generator(4) }),
    ]) {
      mha.heads[1].dropout = other;
      const spy = vi.spyOn(Head.prototype, 'forward');
      generator.manualSeed(8);
      other.generator?.manualSeed(9);
      const out = noGrad(() => mha.forward(x));
      expect(spy).toHaveBeenCalledTimes(2);
      generator.manualSeed(8);
      other.generator?.manualSeed(9);
      const reference = noGrad(() => headByHead(mha, x));
      expect(Array.from(out.data)).toEqual(Array.from(reference.data));
      spy.mockRestore();
    }
  });
});

describe('MultiHeadAttention: fused pass, finite differences and errors', () => {
  it('float64 gradcheck: input and every head weight and the projection', () => {
    const mha = new MultiHeadAttention(4, 2, 2, 3, {
      dtype: 'float64',
      generator: new Generator(7),
    });
    const params = mha.parameters();
    expect(params.length).toBe(2 * 3 + 2);
    assertGradcheck(
      (x, ...ps) => {
        mha.heads.forEach((head, h) => {
          head.key.weight = ps[3 * h];
          head.query.weight = ps[3 * h + 1];
          head.value.weight = ps[3 * h + 2];
        });
        mha.proj.weight = ps[6];
        mha.proj.bias = ps[7];
        return mha.forward(x);
      },
      [
        randn([2, 3, 4], { generator: new Generator(8), dtype: 'float64', requiresGrad: true }),
        ...params,
      ],
    );
  });

  it('input errors say what was wrong', () => {
    const mha = build(4, 'float32');
    expect(() => mha.forward(randn([2, 5, 15]))).toThrow(ShapeError);
    expect(() => mha.forward(randn([2, 5, 15]))).toThrow(
      'MultiHeadAttention: expected input of shape [B, T, 16], got [2, 5, 15]',
    );
    expect(() => mha.forward(randn([2, 9, 16]))).toThrow(
      'Cannot forward sequence of length 9, block size is only 8',
    );
  });

  it('parameters, state dict and repr are those of the heads (checkpoints unchanged)', () => {
    const mha = build(2, 'float32');
    expect(Object.keys(mha.stateDict())).toEqual([
      'heads.0.tril',
      'heads.0.key.weight',
      'heads.0.query.weight',
      'heads.0.value.weight',
      'heads.1.tril',
      'heads.1.key.weight',
      'heads.1.query.weight',
      'heads.1.value.weight',
      'proj.weight',
      'proj.bias',
    ]);
  });
});
