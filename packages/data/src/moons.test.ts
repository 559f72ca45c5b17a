import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { makeMoons } from './moons.js';

/** Distance of a point from the center of its (noise-free) arc; exactly 1 on the arc. */
function radius([a, b]: [number, number], label: number): number {
  return label === 0 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
}

describe('makeMoons', () => {
  it('has the right shapes and label balance (floor(n/2) upper, the rest lower)', () => {
    for (const n of [1, 2, 7, 100]) {
      const { X, y } = makeMoons(n, { noise: 0.1, generator: new Generator(1) });
      expect(X).toHaveLength(n);
      expect(y).toHaveLength(n);
      for (const point of X) expect(point).toHaveLength(2);
      expect(y.filter((label) => label === 0)).toHaveLength(Math.floor(n / 2));
      expect(y.filter((label) => label === 1)).toHaveLength(n - Math.floor(n / 2));
    }
  });

  it('without noise puts every point exactly on its arc, with the arcs’ end points', () => {
    const { X, y } = makeMoons(100, { generator: new Generator(3) });
    for (let i = 0; i < X.length; i++) {
      expect(radius(X[i], y[i])).toBeCloseTo(1, 14);
      // Upper moon above its center line, lower moon below.
      if (y[i] === 0) expect(X[i][1]).toBeGreaterThanOrEqual(0);
      else expect(X[i][1]).toBeLessThanOrEqual(0.5 + 1e-15);
    }
    const ordered = makeMoons(6, { shuffle: false });
    expect(ordered.y).toEqual([0, 0, 0, 1, 1, 1]);
    // linspace(0, π, 3) = [0, π/2, π]: (1, 0), (0, 1), (−1, 0) and (0, 0.5), (1, −0.5), (2, 0.5).
    const expected = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, 0.5],
      [1, -0.5],
      [2, 0.5],
    ];
    ordered.X.forEach((point, i) => {
      expect(point[0]).toBeCloseTo(expected[i][0], 15);
      expect(point[1]).toBeCloseTo(expected[i][1], 15);
    });
  });

  it('matches the documented example', () => {
    const { X, y } = makeMoons(4, { shuffle: false });
    const text = X.map(([a, b]) => [a.toFixed(2), b.toFixed(2)].join(' ')).join(', ');
    expect(text).toBe('1.00 0.00, -1.00 0.00, 0.00 0.50, 2.00 0.50');
    expect(y).toEqual([0, 0, 1, 1]);
  });

  it('shuffles with one randperm and then adds noise of the requested std', () => {
    const n = 2000;
    const clean = makeMoons(n, { shuffle: false });
    const shuffled = makeMoons(n, { generator: new Generator(5) });
    const permutation = new Generator(5).randperm(n);
    for (let i = 0; i < n; i++) {
      expect(shuffled.X[i]).toEqual(clean.X[permutation[i]]);
      expect(shuffled.y[i]).toBe(clean.y[permutation[i]]);
    }
    const noisy = makeMoons(n, { noise: 0.1, generator: new Generator(5) });
    const residuals = noisy.X.flatMap((point, i) => [
      point[0] - shuffled.X[i][0],
      point[1] - shuffled.X[i][1],
    ]);
    const mean = residuals.reduce((s, r) => s + r, 0) / residuals.length;
    const std = Math.sqrt(residuals.reduce((s, r) => s + (r - mean) ** 2, 0) / residuals.length);
    expect(Math.abs(mean)).toBeLessThan(0.01); // 4000 samples: std of the mean ≈ 0.0016
    expect(std).toBeGreaterThan(0.095);
    expect(std).toBeLessThan(0.105);
    // Noise is drawn row-major: x then y of each point, the same stream as randn after randperm.
    const generator = new Generator(5);
    generator.randperm(n);
    expect(residuals[0]).toBeCloseTo(generator.randn(0, 0.1), 15);
    expect(residuals[1]).toBeCloseTo(generator.randn(0, 0.1), 15);
  });

  it('is deterministic per seed (and by default), and differs between seeds', () => {
    const a = makeMoons(50, { noise: 0.1, generator: new Generator(7) });
    const b = makeMoons(50, { noise: 0.1, generator: new Generator(7) });
    const c = makeMoons(50, { noise: 0.1, generator: new Generator(8) });
    expect(a).toEqual(b);
    expect(a.X).not.toEqual(c.X);
    expect(makeMoons(50, { noise: 0.1 })).toEqual(makeMoons(50, { noise: 0.1 }));
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => makeMoons(0)).toThrow(
      "Argument 'nSamples' passed to 'makeMoons' must be a positive integer, got 0",
    );
    expect(() => makeMoons(2.5)).toThrow('got 2.5');
    expect(() => makeMoons(10, { noise: -1 })).toThrow(
      "Argument 'noise' passed to 'makeMoons' must be a finite number >= 0, got -1",
    );
    expect(() => makeMoons(10, { noise: Number.NaN })).toThrow('got NaN');
  });
});
