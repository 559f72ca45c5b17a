// A real, seeded training run: micrograd's demo.ipynb in TypeScript, and the README's example.
// One generator seeded 1337 (micrograd's demo seed) makes the data, then the weights; 100
// full-batch SGD steps with the max-margin loss, L2 regularization and micrograd's decaying rate.
import { readFileSync } from 'node:fs';
import { Generator } from '@llm-playground/core';
import { makeMoons } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import {
  binaryAccuracy,
  l2Regularization,
  linearSchedule,
  MLP,
  maxMarginLoss,
  SGD,
} from './index.js';

describe("micrograd's moons demo (the README example)", () => {
  it('MLP(2, [16, 16, 1]) reaches 100% training accuracy in 100 steps (seed 1337)', () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const losses: number[] = [];
    const accuracies: number[] = [];

    // ---- the README example, verbatim but for console.log → log --------------------------------
    const generator = new Generator(1337);
    const { X, y } = makeMoons(100, { noise: 0.1, generator });
    const labels = y.map((label) => label * 2 - 1); // 0/1 → −1/+1 for the max-margin loss
    const model = new MLP(2, [16, 16, 1], { generator });
    const optimizer = new SGD(model.parameters(), { lr: linearSchedule(1.0, 0.1, 100) });
    log(`${model.numParameters()} parameters`);

    for (let k = 0; k < 100; k++) {
      const scores = X.map((point) => model.forward(point)[0]);
      const loss = maxMarginLoss(scores, labels).add(l2Regularization(model.parameters(), 1e-4));
      const accuracy = binaryAccuracy(scores, labels);
      model.zeroGrad();
      loss.backward();
      optimizer.step();
      if (k % 20 === 0 || k === 99) {
        log(`step ${k} loss ${loss.data.toFixed(4)}, accuracy ${(accuracy * 100).toFixed(0)}%`);
      }
      // ---- (end of the README example) ---------------------------------------------------------
      losses.push(loss.data);
      accuracies.push(accuracy);
    }

    // Measured (Node 20): step 0 loss 0.8071 at 66%; 100% on every step from 70 on; step 99 loss 0.01715.
    expect(losses[0]).toBeCloseTo(0.807066, 5);
    expect(accuracies[0]).toBe(0.66);
    expect(losses[99]).toBeLessThan(0.02);
    expect(accuracies.slice(70)).toEqual(Array(30).fill(1));
    const final = X.map((point) => model.forward(point)[0]);
    expect(binaryAccuracy(final, labels)).toBe(1);

    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`\`\`text\n${lines.join('\n')}\n\`\`\``);
  });
});
