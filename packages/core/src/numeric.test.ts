import { describe, expect, it } from 'vitest';
import { GradcheckError } from './errors.js';
import { assertGradcheck, derivative, gradcheck, partialDerivatives } from './numeric.js';
import { Value } from './value.js';

const f = (x: number) => 3 * x ** 2 - 4 * x + 5;

describe('derivative', () => {
  it("3x² − 4x + 5 at x = 3 is 14 (the lecture's first example)", () => {
    expect(derivative(f, 3)).toBeCloseTo(14, 8);
    // The lecture: h = 0.0001, forward difference → 14.000300000063248 (error 3h, O(h)).
    expect(derivative(f, 3, { h: 0.0001, method: 'forward' })).toBeCloseTo(14.0003, 8);
    expect(derivative(f, -3)).toBeCloseTo(-22, 8);
    expect(derivative(f, 2 / 3)).toBeCloseTo(0, 8);
  });

  it('central differences are exact on quadratics up to rounding; forward are not', () => {
    const central = derivative(f, 3, { h: 0.01 });
    const forward = derivative(f, 3, { h: 0.01, method: 'forward' });
    expect(Math.abs(central - 14)).toBeLessThan(1e-10);
    expect(forward - 14).toBeCloseTo(0.03, 10); // f''/2 · h = 3h
  });

  it('bad arguments', () => {
    const bad = (x: unknown) => x as never;
    expect(() => derivative(f, 3, { h: 0 })).toThrow(
      /Argument 'h' passed to 'derivative' must be a positive number, got 0/,
    );
    expect(() => derivative(f, 3, { method: bad('backward') })).toThrow(
      /'method' passed to 'derivative' must be 'central' or 'forward', got backward/,
    );
    expect(() => derivative(bad(3), 3)).toThrow(
      /Argument 'f' passed to 'derivative' must be a function/,
    );
    expect(() => derivative(f, bad('3'))).toThrow(/Argument 'x' passed to 'derivative'/);
  });
});

describe('partialDerivatives', () => {
  it('d = a*b + c at a=2, b=-3, c=10: ∂d/∂a = b = -3, ∂d/∂b = a = 2, ∂d/∂c = 1', () => {
    const d = (a: number, b: number, c: number) => a * b + c;
    const partials = partialDerivatives(d, [2, -3, 10]);
    expect(partials).toHaveLength(3);
    expect(partials[0]).toBeCloseTo(-3, 8);
    expect(partials[1]).toBeCloseTo(2, 8);
    expect(partials[2]).toBeCloseTo(1, 8);
  });

  it('does not modify its input and nudges one input at a time', () => {
    const xs = [1, 2];
    const seen: number[][] = [];
    partialDerivatives(
      (x, y) => {
        seen.push([x, y]);
        return x * y;
      },
      xs,
      { h: 0.5 },
    );
    expect(xs).toEqual([1, 2]);
    expect(seen).toEqual([
      [1.5, 2],
      [0.5, 2],
      [1, 2.5],
      [1, 1.5],
    ]);
  });

  it('bad arguments', () => {
    expect(() => partialDerivatives((x) => x, [1, Number.NaN])).toThrow(
      /'xs' passed to 'partialDerivatives' must hold finite numbers, got NaN at index 1/,
    );
  });
});

/**
 * A deliberately wrong op: forward x², backward 0.5·x instead of 2x. `x.mul(c)` with the constant
 * c = 0.5·x.data gives 0.5·x² whose gradient only sees one factor of x; adding the constant 0.5·x²
 * restores the value but not the gradient.
 */
function wrongSquare(x: Value): Value {
  return x.mul(0.5 * x.data).add(0.5 * x.data * x.data);
}

describe('gradcheck', () => {
  it('passes for a correct backward and reports both gradients', () => {
    const result = gradcheck(([x, y]) => x.mul(y).tanh(), [0.5, -1.5]);
    const t = Math.tanh(-0.75);
    expect(result.ok).toBe(true);
    expect(result.analytic[0]).toBeCloseTo((1 - t * t) * -1.5, 14);
    expect(result.analytic[1]).toBeCloseTo((1 - t * t) * 0.5, 14);
    expect(result.numeric[0]).toBeCloseTo(result.analytic[0], 8);
    expect(result.maxAbsError).toBeLessThan(1e-8);
    expect([0, 1]).toContain(result.worstIndex);
  });

  it('catches a deliberately wrong backward', () => {
    const result = gradcheck(([x, y]) => wrongSquare(x).add(y), [3, 1]);
    expect(result.ok).toBe(false);
    expect(result.analytic[0]).toBeCloseTo(1.5, 12); // the wrong 0.5·x
    expect(result.numeric[0]).toBeCloseTo(6, 6); // the true 2x
    expect(result.analytic[1]).toBe(1);
    expect(result.worstIndex).toBe(0);
    expect(result.maxAbsError).toBeCloseTo(4.5, 6);
  });

  it('assertGradcheck throws a readable GradcheckError listing only the mismatches', () => {
    let error: unknown;
    try {
      assertGradcheck(([x, y]) => wrongSquare(x).add(y), [3, 1]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradcheckError);
    const message = (error as GradcheckError).message;
    expect(message).toMatch(
      /^gradcheck failed for 1 of 2 inputs at point \[3, 1\] \(h=0\.000001, atol=0\.00001, rtol=0\.001\):\n/,
    );
    expect(message).toMatch(
      /input 0 \(x=3\): analytic 1\.5, numeric 6\.0000\d*, \|difference\| 4\.5\d* > tolerance 0\.006\d*/,
    );
    expect(message).not.toMatch(/input 1/);
    expect((error as GradcheckError).result.ok).toBe(false);
    expect(assertGradcheck(([x]) => x.pow(3), [1.5]).ok).toBe(true);
  });

  it('catches a kink: relu at 0', () => {
    expect(() => assertGradcheck(([x]) => x.relu(), [0])).toThrow(GradcheckError);
  });

  it('tolerances: a loose atol accepts the wrong backward', () => {
    expect(gradcheck(([x]) => wrongSquare(x), [3], { atol: 5 }).ok).toBe(true);
    expect(gradcheck(([x]) => wrongSquare(x), [3], { atol: 0, rtol: 0.8 }).ok).toBe(true);
    expect(gradcheck(([x]) => wrongSquare(x), [3], { atol: 0, rtol: 0.7 }).ok).toBe(false);
  });

  it('NaN gradients fail with an infinite error', () => {
    const result = gradcheck(([x]) => x.log(), [-1]);
    expect(result.ok).toBe(false);
    expect(result.maxAbsError).toBe(Number.POSITIVE_INFINITY);
  });

  it('no inputs: ok, worstIndex -1', () => {
    expect(gradcheck(() => new Value(1), [])).toEqual({
      ok: true,
      analytic: [],
      numeric: [],
      maxAbsError: 0,
      worstIndex: -1,
    });
  });

  it('bad arguments', () => {
    const bad = (x: unknown) => x as never;
    expect(() => gradcheck(() => bad(3), [1])).toThrow(
      /Argument 'f' passed to 'gradcheck' must return a Value, got number/,
    );
    expect(() => gradcheck(([x]) => x, bad('12'))).toThrow(
      /Argument 'point' passed to 'gradcheck' must be an array of numbers, got string/,
    );
    expect(() => gradcheck(([x]) => x, [1], { rtol: -1 })).toThrow(
      /'rtol' passed to 'gradcheck' must be a non-negative number, got -1/,
    );
  });
});
