import { Generator } from '@llm-playground/core';
import {
  captureStep,
  getBackend,
  memoryInfo,
  randint,
  type Tensor,
  tidy,
} from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { Embedding } from './embedding.js';
import { crossEntropy } from './functional/cross-entropy.js';
import { Linear } from './linear.js';
import { Adam } from './optim/adam.js';
import { StepLR } from './optim/lr-scheduler.js';
import type { Optimizer } from './optim/optimizer.js';
import { SGD } from './optim/sgd.js';

// The lecture MLP from nn's modules, its fused crossEntropy and an optimizer: a captured step replays
// the same losses and parameters, bit for bit, as eager steps — with a scheduler changing the rate.
function model(kind: 'sgd' | 'adam') {
  const g = new Generator(2147483647);
  const emb = new Embedding(27, 10, { generator: g });
  const l1 = new Linear(30, 200, { generator: g });
  const l2 = new Linear(200, 27, { generator: g });
  const params = [emb.weight, ...l1.parameters(), ...l2.parameters()];
  const optimizer: Optimizer =
    kind === 'sgd' ? new SGD(params, { lr: 0.1, momentum: 0.9 }) : new Adam(params, { lr: 0.01 });
  const scheduler = new StepLR(optimizer, { stepSize: 10, gamma: 0.5 });
  const step = (X: Tensor, Y: Tensor) => {
    optimizer.zeroGrad();
    const h = l1.forward(emb.forward(X).view(-1, 30)).tanh();
    const loss = crossEntropy(l2.forward(h), Y, { ignoreIndex: 0 });
    loss.backward();
    optimizer.step();
    return loss;
  };
  return { params, scheduler, step };
}

function batches(count: number): [Tensor, Tensor][] {
  const g = new Generator(7);
  return Array.from({ length: count }, () => [
    randint(0, 27, [32, 3], { generator: g }),
    randint(0, 27, [32], { generator: g }),
  ]);
}

describe(`captured nn training steps on the ${getBackend().name} backend`, () => {
  for (const kind of ['sgd', 'adam'] as const) {
    it(`${kind}: 50 replayed steps equal 50 eager steps bit for bit (StepLR, ignoreIndex)`, () => {
      const data = batches(50);
      const eager = model(kind);
      const eagerLosses = data.map(([X, Y]) => {
        const loss = eager.step(X, Y).item();
        eager.scheduler.step();
        return loss;
      });
      const replayed = model(kind);
      const captured = captureStep(replayed.step, data[0]);
      replayed.scheduler.step();
      const losses = [captured.output.item()];
      for (const [X, Y] of data.slice(1)) {
        losses.push(captured.replay(X, Y).item());
        replayed.scheduler.step();
      }
      expect(losses).toEqual(eagerLosses);
      expect(losses.every(Number.isFinite)).toBe(true);
      replayed.params.forEach((p, i) => {
        expect(Array.from(p.data)).toEqual(Array.from(eager.params[i].data));
      });
    });
  }

  it('validates the targets again on every replay', () => {
    const { step } = model('sgd');
    const [[X, Y]] = batches(1);
    const captured = captureStep(step, [X, Y]);
    const bad = Y.clone();
    bad.storage[3] = 27;
    expect(() => captured.replay(X, bad)).toThrow('Target 27 is out of bounds.');
  });

  it('eager steps in tidy equal plain eager steps, and keep the optimizer state alive', () => {
    const data = batches(30);
    for (const kind of ['sgd', 'adam'] as const) {
      const plain = model(kind);
      const scoped = model(kind);
      const plainLosses = data.map(([X, Y]) => plain.step(X, Y).item());
      let live = -1;
      const scopedLosses = data.map(([X, Y], i) => {
        const loss = tidy(() => scoped.step(X, Y).item());
        // On wasm the pool holds the same bytes after every step from the second on (flat).
        if (i === 1) live = memoryInfo().liveBytes;
        if (i > 1) expect(memoryInfo().liveBytes).toBe(live);
        return loss;
      });
      expect(scopedLosses).toEqual(plainLosses);
      scoped.params.forEach((p, i) => {
        expect(Array.from(p.data)).toEqual(Array.from(plain.params[i].data));
      });
    }
  });
});
