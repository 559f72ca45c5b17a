import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { tensor } from '../creation.js';
import { randn } from '../random.js';
import type { Tensor } from '../tensor.js';
import { assertGradcheck, expectClose } from '../testing/index.js';

const g = () => new Generator(7);
const r = (shape: number[], gen = g()) =>
  randn(shape, { generator: gen, dtype: 'float64', requiresGrad: true });
const positive = (shape: number[], gen = g()) => {
  const t = randn(shape, { generator: gen, dtype: 'float64' }).abs().add(0.5).detach();
  t.requiresGrad = true;
  return t;
};

describe('elementwise forward', () => {
  it('computes values like PyTorch', () => {
    const a = tensor([[1, -2, 3]], { dtype: 'float32' });
    expectClose(a.add(1), [2, -1, 4]);
    expectClose(a.sub(tensor([[1], [2]], { dtype: 'float32' })), [0, -3, 2, -1, -4, 1]);
    expectClose(a.mul(2).div(4), [0.5, -1, 1.5]);
    expectClose(a.pow(2), [1, 4, 9]);
    expectClose(a.neg(), [-1, 2, -3]);
    expectClose(a.relu(), [1, 0, 3]);
    expectClose(a.abs(), [1, 2, 3]);
    expectClose(a.exp(), [Math.E, Math.exp(-2), Math.exp(3)]);
    expectClose(a.tanh(), [Math.tanh(1), Math.tanh(-2), Math.tanh(3)]);
    expectClose(a.sigmoid(), [
      1 / (1 + Math.exp(-1)),
      1 / (1 + Math.exp(2)),
      1 / (1 + Math.exp(-3)),
    ]);
    expectClose(a.clamp(-1, 2), [1, -1, 2]);
    expectClose(a.maximum(0), [1, 0, 3]);
    expectClose(a.minimum(tensor([0, 0, 5], { dtype: 'float32' })), [0, -2, 3]);
    expect(Array.from(a.gt(0).data)).toEqual([1, 0, 1]);
    expect(a.gt(0).dtype).toBe('int32');
    expect(a.sub(tensor([[1], [2]], { dtype: 'float32' })).shape).toEqual([2, 3]);
  });

  it('promotes types like PyTorch', () => {
    const i = tensor([1, 2, 3]);
    expect(i.dtype).toBe('int32');
    expect(i.add(1).dtype).toBe('int32');
    expect(i.add(0.5).dtype).toBe('float32');
    expect(i.div(2).dtype).toBe('float32');
    expectClose(i.div(2), [0.5, 1, 1.5]);
    expect(i.add(tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
    expect(tensor([1.5], { dtype: 'float32' }).mul(2.5).dtype).toBe('float32');
  });

  it('sigmoid is stable for large |x|', () => {
    const x = tensor([-1000, 1000], { dtype: 'float64' });
    expect(Array.from(x.sigmoid().data)).toEqual([0, 1]);
  });

  it('reports broadcasting errors in PyTorch words', () => {
    expect(() => tensor([[1, 2, 3]]).add(tensor([1, 2, 3, 4]))).toThrow(
      'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1',
    );
  });
});

describe('elementwise gradients (float64 central differences)', () => {
  const unary: [string, (x: Tensor) => Tensor, boolean][] = [
    ['neg', (x) => x.neg(), false],
    ['exp', (x) => x.exp(), false],
    ['log', (x) => x.log(), true],
    ['tanh', (x) => x.tanh(), false],
    ['relu', (x) => x.relu(), false],
    ['sigmoid', (x) => x.sigmoid(), false],
    ['sqrt', (x) => x.sqrt(), true],
    ['abs', (x) => x.abs(), false],
    ['square', (x) => x.square(), false],
    ['clamp', (x) => x.clamp(-0.5, 0.7), false],
    ['pow 3', (x) => x.pow(3), false],
    ['pow -1.5', (x) => x.pow(-1.5), true],
    ['rsub', (x) => x.rsub(2), false],
    ['rdiv', (x) => x.rdiv(2), true],
  ];
  for (const [name, fn, needsPositive] of unary) {
    it(name, () => {
      for (let seed = 0; seed < 3; seed++) {
        const gen = new Generator(seed);
        const x = needsPositive ? positive([3, 4], gen) : r([3, 4], gen);
        assertGradcheck(fn, [x]);
      }
    });
  }

  const binary: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['add', (a, b) => a.add(b)],
    ['sub', (a, b) => a.sub(b)],
    ['mul', (a, b) => a.mul(b)],
    ['div', (a, b) => a.div(b.abs().add(0.5))],
    ['pow (tensor exponent)', (a, b) => a.abs().add(0.5).pow(b)],
    ['maximum', (a, b) => a.maximum(b)],
    ['minimum', (a, b) => a.minimum(b)],
    ['add with alpha', (a, b) => a.add(b, { alpha: -3 })],
  ];
  const shapes: [number[], number[]][] = [
    [
      [3, 4],
      [3, 4],
    ],
    [[3, 4], [4]],
    [
      [3, 1],
      [1, 4],
    ],
    [
      [2, 3, 4],
      [3, 1],
    ],
    [[], [2, 3]],
  ];
  for (const [name, fn] of binary) {
    it(`${name} with broadcasting`, () => {
      const gen = g();
      for (const [sa, sb] of shapes) assertGradcheck(fn, [r(sa, gen), r(sb, gen)]);
    });
  }

  it('accumulates when a tensor is used twice', () => {
    const x = r([2, 2]);
    assertGradcheck((a) => a.mul(a).add(a), [x]);
  });
});

describe('broadcasting (property)', () => {
  it('add/mul/maximum match a naive reference for random broadcastable shapes', async () => {
    const fc = (await import('fast-check')).default;
    const { broadcastShapes } = await import('../shape.js');
    const { arange } = await import('../creation.js');
    // A pair of shapes: take a base shape, then set random dims to 1 or drop leading dims.
    const pair = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
      .chain((base) =>
        fc.tuple(
          fc.constant(base),
          fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
          fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
          fc.nat({ max: base.length }),
        ),
      )
      .map(([base, onesA, onesB, drop]) => [
        base.map((d, i) => (onesA[i] ? 1 : d)),
        base.map((d, i) => (onesB[i] ? 1 : d)).slice(drop),
      ]);
    fc.assert(
      fc.property(pair, ([sa, sb]) => {
        const na = sa.reduce((p, q) => p * q, 1);
        const nb = sb.reduce((p, q) => p * q, 1);
        const a = arange(na).float().add(1).reshape(sa);
        const b = arange(nb).float().mul(0.5).sub(1).reshape(sb);
        const shape = broadcastShapes(sa, sb);
        const n = shape.reduce((p, q) => p * q, 1);
        // Naive: decompose each output index, map it into each input (size-1 dims read index 0).
        const read = (src: number[], srcShape: number[], coord: number[]) => {
          const lead = coord.length - srcShape.length;
          let flat = 0;
          for (let i = 0; i < srcShape.length; i++)
            flat = flat * srcShape[i] + (srcShape[i] === 1 ? 0 : coord[lead + i]);
          return src[flat];
        };
        const av = Array.from(a.data);
        const bv = Array.from(b.data);
        const sum: number[] = [];
        const prod: number[] = [];
        const max: number[] = [];
        for (let flat = 0; flat < n; flat++) {
          const coord: number[] = [];
          let rem = flat;
          for (let i = shape.length - 1; i >= 0; i--) {
            coord.unshift(rem % shape[i]);
            rem = Math.floor(rem / shape[i]);
          }
          const x = read(av, sa, coord);
          const y = read(bv, sb, coord);
          sum.push(x + y);
          prod.push(x * y);
          max.push(Math.max(x, y));
        }
        expect(a.add(b).shape).toEqual(shape);
        expectClose(a.add(b), sum);
        expectClose(a.mul(b), prod);
        expectClose(a.maximum(b), max);
        // The gradient of a broadcast sum reduces back to each input's shape.
        const ga = a.detach().requiresGrad_();
        const gb = b.detach().requiresGrad_();
        ga.add(gb).sum().backward();
        expect(ga.grad?.shape).toEqual(sa);
        expect(gb.grad?.shape).toEqual(sb);
        expectClose(ga.grad!.sum(), [n]);
        expectClose(gb.grad!.sum(), [n]);
      }),
      { numRuns: 80 },
    );
  });
});
