import { describe, expect, it } from 'vitest';
import { getBackend } from '../backend.js';

const b = () => getBackend();

describe('pointwise kernels', () => {
  it('cast truncates floats toward zero into int32 and rounds float64 to float32', () => {
    const ints = new Int32Array(4);
    b().cast(Float64Array.of(9, 2.7, -2.7, -0.5, 1.5), 1, ints, 4);
    expect(Array.from(ints)).toEqual([2, -2, 0, 1]);
    const f32 = new Float32Array(1);
    b().cast(Float64Array.of(0.1), 0, f32, 1);
    expect(f32[0]).toBe(Math.fround(0.1));
  });

  it('fill writes a value over a range', () => {
    const x = new Float32Array(5);
    b().fill(x, 1, 3, 2.5);
    expect(Array.from(x)).toEqual([0, 2.5, 2.5, 2.5, 0]);
  });

  it('clamp keeps NaN and its backward passes the gradient inside [lo, hi], bounds included', () => {
    const x = Float64Array.of(-2, -1, 0, 1, 2, Number.NaN);
    const y = new Float64Array(6);
    b().clamp(x, y, 6, -1, 1);
    expect(Array.from(y)).toEqual([-1, -1, 0, 1, 1, Number.NaN]);
    const dx = new Float64Array(6);
    b().clampBackward(x, Float64Array.of(1, 2, 3, 4, 5, 6), dx, 6, -1, 1);
    expect(Array.from(dx)).toEqual([0, 2, 3, 4, 0, 0]);
  });

  it('maskedFill clears NaN and infinities where the mask is set', () => {
    const x = Float64Array.of(Number.NaN, Number.POSITIVE_INFINITY, 3);
    b().maskedFill(x, Int32Array.of(1, 1, 0), 3, 0);
    expect(Array.from(x)).toEqual([0, 0, 3]);
  });

  it('update: assign, add, mul, div with alpha, at offsets', () => {
    const v = Float64Array.of(9, 1, 2);
    const t = Float64Array.of(0, 10, 10);
    b().update('add', t, 1, v, 1, 2, 3);
    expect(Array.from(t)).toEqual([0, 13, 16]);
    b().update('mul', t, 1, v, 1, 2, 1);
    expect(Array.from(t)).toEqual([0, 13, 32]);
    b().update('div', t, 1, v, 1, 2, 2);
    expect(Array.from(t)).toEqual([0, 6.5, 8]);
    b().update('assign', t, 0, v, 0, 3, -1);
    expect(Array.from(t)).toEqual([-9, -1, -2]);
  });

  it('unaryBackward matches central differences of tanh and sigmoid', () => {
    const xs = [-3, -0.5, 0, 0.7, 2];
    const h = 1e-6;
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    for (const [op, f] of [
      ['tanh', Math.tanh],
      ['sigmoid', sigmoid],
    ] as const) {
      const y = Float64Array.from(xs, f);
      const dy = Float64Array.from(xs, (_, i) => i + 1);
      const dx = new Float64Array(xs.length);
      b().unaryBackward(op, dy, y, dx, xs.length);
      xs.forEach((v, i) => {
        expect(dx[i]).toBeCloseTo((dy[i] * (f(v + h) - f(v - h))) / (2 * h), 7);
      });
    }
  });

  it('unaryBackward of relu is 0 at and below 0 and passes NaN through; sqrtOrZero is 0 at 0', () => {
    const dx = new Float64Array(4);
    b().unaryBackward(
      'relu',
      Float64Array.of(5, 5, 5, 5),
      Float64Array.of(-1, 0, 2, Number.NaN),
      dx,
      4,
    );
    expect(Array.from(dx)).toEqual([0, 0, 5, 5]);
    b().unaryBackward(
      'sqrtOrZero',
      Float64Array.of(1, 1, 0, 0),
      Float64Array.of(0, 2, 0, 0),
      dx,
      2,
    );
    expect(Array.from(dx.slice(0, 2))).toEqual([0, 0.25]);
  });
});

describe('indexing kernels', () => {
  it('gatherRows picks rows and scatterAddRows accumulates repeated rows', () => {
    const src = Float64Array.of(99, 0, 1, 10, 11, 20, 21); // offset 1: rows [0,1] [10,11] [20,21]
    const rows = Int32Array.of(2, 0, 2);
    const out = new Float64Array(6);
    b().gatherRows(src, 1, rows, 2, out);
    expect(Array.from(out)).toEqual([20, 21, 0, 1, 20, 21]);
    const grad = new Float64Array(6);
    b().scatterAddRows(Float64Array.of(1, 2, 3, 4, 5, 6), rows, 2, grad);
    expect(Array.from(grad)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('scatterAddDim sends each lane’s gradient to its chosen index', () => {
    // out [outer 2, size 3, inner 2]; indices [2, 2]
    const out = new Float64Array(12);
    b().scatterAddDim(Float64Array.of(1, 2, 3, 4), Int32Array.of(2, 0, 1, 1), 2, 3, 2, out);
    expect(Array.from(out)).toEqual([0, 2, 0, 0, 1, 0, 0, 0, 3, 4, 0, 0]);
  });
});

describe('softmax kernels', () => {
  it('normalises each lane of [outer, size, inner] and log-softmax is its log', () => {
    // two lanes along the middle axis: inner 2
    const x = Float64Array.of(1, 0, 2, 0, 3, 0);
    const y = new Float64Array(6);
    b().softmax(x, 0, y, 1, 3, 2, false);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(y[0]).toBeCloseTo(Math.exp(1) / z, 15);
    expect(y[1]).toBeCloseTo(1 / 3, 15);
    const ly = new Float64Array(6);
    b().softmax(x, 0, ly, 1, 3, 2, true);
    ly.forEach((v, i) => {
      expect(v).toBeCloseTo(Math.log(y[i]), 14);
    });
  });

  it('backward is the Jacobian-vector product y ⊙ (dy − Σ dy⊙y)', () => {
    const x = Float64Array.of(0.3, -1, 2);
    const y = new Float64Array(3);
    b().softmax(x, 0, y, 1, 3, 1, false);
    const dy = Float64Array.of(1, -2, 0.5);
    const dx = new Float64Array(3);
    b().softmaxBackward(dy, y, dx, 1, 3, 1, false);
    const dot = dy.reduce((s, v, i) => s + v * y[i], 0);
    dx.forEach((v, i) => {
      expect(v).toBeCloseTo(y[i] * (dy[i] - dot), 15);
    });
    expect(dx.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 15);
  });
});
