import { Generator } from '@llm-playground/core';
import { micro } from '@llm-playground/nn';
import { describe, expect, it } from 'vitest';
import {
  cellCenter,
  decisionGrid,
  gridSpecFor,
  scoreSnapshot,
  snapshotMLP,
} from './mlp-snapshot.js';

describe('plain-number MLP forward', () => {
  for (const activation of ['relu', 'tanh', 'sigmoid'] as const) {
    it(`equals the Value forward pass bit for bit (${activation} hidden layers)`, () => {
      const model = new micro.MLP(2, [16, 16, 1], { generator: new Generator(7), activation });
      // Non-zero biases, so their place in the sum is checked too.
      model.parameters().forEach((p, i) => {
        if (p.data === 0) p.data = 0.01 * (i % 7) - 0.03;
      });
      const snapshot = snapshotMLP(model);
      const generator = new Generator(1);
      for (let n = 0; n < 50; n++) {
        const x = [generator.uniform(-2, 3), generator.uniform(-1.5, 2)];
        expect(scoreSnapshot(snapshot, x)).toBe(model.forward(x)[0].data);
      }
    });
  }

  it('decisionGrid scores every cell center, top row first', () => {
    const model = new micro.MLP(2, [8, 1], { generator: new Generator(3) });
    const snapshot = snapshotMLP(model);
    const spec = gridSpecFor(
      [
        [-1, -0.5],
        [2, 1.5],
      ],
      0.25,
      7,
      5,
    );
    expect(spec).toEqual({ xMin: -1.25, xMax: 2.25, yMin: -0.75, yMax: 1.75, nx: 7, ny: 5 });
    const grid = decisionGrid(snapshot, spec);
    expect(grid).toHaveLength(35);
    expect(cellCenter(spec, 0, 0)).toEqual([-1, 1.5]);
    for (const [i, k] of [
      [0, 0],
      [6, 4],
      [3, 2],
    ]) {
      const score = model.forward(cellCenter(spec, i, k))[0].data;
      expect(grid[k * 7 + i]).toBe(Math.fround(score));
    }
  });
});
