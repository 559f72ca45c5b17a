import { describe, expect, it } from 'vitest';
import { BatchNorm1d } from './batch-norm.js';
import { Dropout } from './dropout.js';
import { pythonFloat } from './python-repr.js';

describe('pythonFloat', () => {
  it("prints what Python's repr(float) prints", () => {
    // each pair checked against CPython 3.11's repr()
    const cases: [number, string][] = [
      [0, '0.0'],
      [-0, '-0.0'],
      [1, '1.0'],
      [-3, '-3.0'],
      [0.1, '0.1'],
      [0.0001, '0.0001'],
      [0.00009, '9e-05'],
      [1e-5, '1e-05'],
      [-2.5e-7, '-2.5e-07'],
      [4.656612873077393e-10, '4.656612873077393e-10'],
      [1e-100, '1e-100'],
      [123456.5, '123456.5'],
      [1e15, '1000000000000000.0'],
      [1e16, '1e+16'],
      [1.5e300, '1.5e+300'],
      [Number.NaN, 'nan'],
      [Number.POSITIVE_INFINITY, 'inf'],
      [Number.NEGATIVE_INFINITY, '-inf'],
    ];
    for (const [x, repr] of cases) expect(pythonFloat(x)).toBe(repr);
  });
  it('formats the eps, momentum and p of the nn modules', () => {
    expect(new BatchNorm1d(3, { eps: 0, momentum: 1 }).toString()).toBe(
      'BatchNorm1d(3, eps=0.0, momentum=1.0, affine=True, track_running_stats=True)',
    );
    expect(String(new Dropout(1e-5))).toBe('Dropout(p=1e-05, inplace=False)');
    expect(String(new Dropout(1))).toBe('Dropout(p=1.0, inplace=False)');
  });
});
