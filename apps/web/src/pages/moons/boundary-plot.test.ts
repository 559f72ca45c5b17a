import { describe, expect, it } from 'vitest';
import { signChanges } from './boundary-plot.js';

describe('signChanges (the decision boundary of the moons picture)', () => {
  it('marks the cells whose sign differs from the right or lower neighbour', () => {
    expect(signChanges(new Float32Array([1, -1, 1, 1]), { nx: 2, ny: 2 })).toEqual([0, 1]);
    // A vertical boundary between columns 1 and 2 of a 4×3 grid: column 1 in every row.
    const grid = new Float32Array(12).map((_, cell) => (cell % 4 < 2 ? -1 : 1));
    expect(signChanges(grid, { nx: 4, ny: 3 })).toEqual([1, 5, 9]);
    // 0 counts as positive (score ≥ 0 is class +1, as the colours).
    expect(signChanges(new Float32Array([0, 0, -0.5, 0]), { nx: 2, ny: 2 })).toEqual([0, 2]);
    expect(signChanges(new Float32Array(9).fill(2), { nx: 3, ny: 3 })).toEqual([]);
  });
});
