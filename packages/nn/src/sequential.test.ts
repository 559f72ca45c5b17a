import { Generator } from '@llm-playground/core';
import { tensor } from '@llm-playground/tensor';
import { assertGradcheck, expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { Flatten, Tanh } from './activation-modules.js';
import { Embedding } from './embedding.js';
import { crossEntropy } from './functional/cross-entropy.js';
import { Linear } from './linear.js';
import { SGD } from './optim/sgd.js';
import { Sequential } from './sequential.js';

/** The lecture's first five names as (context of 3 letters → next letter) examples: 32 of them. */
function lectureExamples(words: string[], blockSize = 3) {
  const stoi = (ch: string) => (ch === '.' ? 0 : ch.charCodeAt(0) - 96);
  const X: number[][] = [];
  const Y: number[] = [];
  for (const word of words) {
    let context = new Array(blockSize).fill(0);
    for (const ch of `${word}.`) {
      X.push(context);
      Y.push(stoi(ch));
      context = [...context.slice(1), stoi(ch)];
    }
  }
  return { X: tensor(X), Y: tensor(Y) };
}

describe('Sequential', () => {
  it('chains its layers and passes gradcheck through all of them', () => {
    const model = new Sequential(
      new Linear(3, 4, { dtype: 'float64' }),
      new Tanh(),
      new Linear(4, 2, { dtype: 'float64' }),
    );
    const x = tensor(
      [
        [0.5, -1, 2],
        [1, 0.3, -0.7],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const [l1, , l2] = model.layers as [Linear, Tanh, Linear];
    const byHand = l2.forward(l1.forward(x).tanh());
    expectClose(model.forward(x), byHand, { atol: 1e-15 });
    assertGradcheck(
      (input, w1, b1, w2) => {
        l1.weight = w1;
        l1.bias = b1;
        l2.weight = w2;
        return model.forward(input);
      },
      [x, l1.weight, l1.bias!, l2.weight],
    );
    expect(() => new Sequential(new Tanh(), 3 as unknown as Tanh)).toThrow(
      'Sequential: argument 1 is not a Module',
    );
  });

  it("trains the lecture's MLP to overfit five names (seeded, full batch, fused cross-entropy)", () => {
    const { X, Y } = lectureExamples(['emma', 'olivia', 'ava', 'isabella', 'sophia']);
    expect(X.shape).toEqual([32, 3]);
    const generator = new Generator(2147483647);
    const model = new Sequential(
      new Embedding(27, 10, { generator }),
      new Flatten(),
      new Linear(30, 64, { generator }),
      new Tanh(),
      new Linear(64, 27, { generator }),
    );
    expect(model.numParameters()).toBe(4009);
    const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      const loss = crossEntropy(model.forward(X), Y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    // Measured: 3.2977 at step 0 (≈ ln 27 = 3.2958: small initial logits), 0.2550 at step 99. No model
    // can go below 5/32·ln 5 = 0.25149, since '...' is followed by e, o, a, i and s once each.
    expectClose(losses[0], 3.2977, { atol: 1e-3 });
    expect(losses[99]).toBeLessThan(0.26);
    expect(losses[99]).toBeGreaterThan((5 / 32) * Math.log(5));
    const predicted = model
      .forward(tensor([[0, 0, 5]]))
      .argmax(1)
      .item(); // '..e' → m
    expect(predicted).toBe(13);
  });
});
