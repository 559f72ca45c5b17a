import { describe, expect, it } from 'vitest';
import { getBackend } from '../backend.js';

/** Cross-entropy of rows of logits against int targets, by the definition (float64, no fusion). */
function reference(x: number[][], t: number[], eps = 0): { losses: number[]; grads: number[][] } {
  const losses: number[] = [];
  const grads: number[][] = [];
  x.forEach((row, i) => {
    const C = row.length;
    const z = row.reduce((s, v) => s + Math.exp(v), 0);
    const p = row.map((v) => Math.exp(v) / z);
    const q = row.map((_, c) => (1 - eps) * (c === t[i] ? 1 : 0) + eps / C);
    losses.push(-q.reduce((s, qc, c) => s + qc * Math.log(p[c]), 0));
    grads.push(p.map((pc, c) => pc - q[c]));
  });
  return { losses, grads };
}

function run(x: number[][], t: number[], eps: number, ignoreIndex = -100) {
  const rows = x.length;
  const C = x[0].length;
  const flat = Float64Array.from(x.flat());
  const targets = Int32Array.from(t);
  const saved = { expShifted: new Float64Array(rows * C), inverseSum: new Float64Array(rows) };
  const perRow = new Float64Array(rows);
  const backend = getBackend();
  const { total, count } = backend.crossEntropyForward(
    flat,
    rows,
    C,
    targets,
    ignoreIndex,
    eps,
    saved,
    perRow,
  );
  const dx = new Float64Array(rows * C);
  backend.crossEntropyBackward(
    Float64Array.of(1),
    false,
    count,
    rows,
    C,
    targets,
    ignoreIndex,
    eps,
    saved,
    dx,
  );
  return { total, count, perRow, dx };
}

describe('crossEntropy kernels', () => {
  const x = [
    [2, 1, 0.1],
    [0.5, 2.5, 0.3],
  ];

  it('forward is −log softmax at the target; backward is (softmax − onehot) / N', () => {
    const { total, count, perRow, dx } = run(x, [0, 1], 0);
    const ref = reference(x, [0, 1]);
    expect(count).toBe(2);
    expect(total / count).toBeCloseTo(0.3185397696, 9); // PyTorch's F.cross_entropy
    ref.losses.forEach((l, i) => {
      expect(perRow[i]).toBeCloseTo(l, 12);
    });
    ref.grads.flat().forEach((g, k) => {
      expect(dx[k]).toBeCloseTo(g / 2, 12);
    });
  });

  it('label smoothing mixes the uniform distribution into the target', () => {
    const { perRow, dx, count } = run(x, [2, 0], 0.2);
    const ref = reference(x, [2, 0], 0.2);
    ref.losses.forEach((l, i) => {
      expect(perRow[i]).toBeCloseTo(l, 12);
    });
    ref.grads.flat().forEach((g, k) => {
      expect(dx[k]).toBeCloseTo(g / count, 12);
    });
  });

  it('skips ignored rows and divides by the rows that count', () => {
    const { total, count, dx } = run(x, [1, -100], 0);
    expect(count).toBe(1);
    expect(total).toBeCloseTo(reference([x[0]], [1]).losses[0], 12);
    expect(Array.from(dx.slice(3))).toEqual([0, 0, 0]);
  });

  it('is stable for huge logits', () => {
    const { total } = run([[1000, 0, -1000]], [2], 0);
    expect(total).toBe(2000);
  });
});
