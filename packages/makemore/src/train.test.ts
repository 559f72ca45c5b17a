import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { F } from '@llm-playground/nn';
import { Tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { BigramCounts } from './bigram-counts.js';
import { BigramNet } from './bigram-net.js';
import { TrainingDivergedError } from './errors.js';
import { evaluate } from './evaluate.js';
import { lrFinder } from './lr-finder.js';
import { MLP } from './mlp.js';
import { lectureLearningRate, MinibatchSampler, type TrainData, train } from './train.js';

const words = bundledNames().words;
const tokenizer = CharTokenizer.fromWords(words);
const split = splitWords(words);
const trainData = buildContexts(split.train, tokenizer, 3);
const devData = buildContexts(split.dev, tokenizer, 3);
const config = {
  kind: 'mlp' as const,
  vocabSize: tokenizer.vocabSize,
  blockSize: 3,
  nEmbd: 10,
  nHidden: 100,
};

const tiny: TrainData = {
  X: new Int32Array([0, 0, 0, 1, 1, 2, 2, 0]),
  Y: new Int32Array([1, 2, 2, 0]),
  length: 4,
  blockSize: 2,
};
const tinyConfig = { kind: 'mlp' as const, vocabSize: 3, blockSize: 2, nEmbd: 2, nHidden: 8 };

describe('train', () => {
  it('a seeded MLP run on the bundled names reaches the measured dev loss', () => {
    const g = new Generator(2147483647);
    const model = new MLP(config, { generator: g });
    const result = train(model, trainData, {
      steps: 2000,
      lr: (s) => (s < 1500 ? 0.1 : 0.01),
      generator: g,
    });
    expect(result.steps).toBe(2000);
    expect(result.losses.length).toBe(2000);
    expect(result.stoppedBecause).toBe('done');
    expect(result.losses[0]).toBeGreaterThan(15); // randn init: confidently wrong
    // Measured: train 2.825, dev 2.943 (8,422 bundled names, 28 tokens; seed 2147483647).
    const dev = evaluate(model, devData);
    expect(dev).toBeLessThan(2.96);
    expect(dev).toBeGreaterThan(2.5);
    expect(evaluate(model, trainData)).toBeLessThan(2.85);
  });

  it('draws minibatches with randint(0, N) from the generator, as torch.randint', () => {
    const g = new Generator(2147483647);
    const sampler = new MinibatchSampler(trainData, 4);
    sampler.next(g);
    const reference = new Generator(2147483647);
    const indices = Array.from({ length: 4 }, () => reference.randint(0, trainData.length));
    expect(Array.from(sampler.Y.data)).toEqual(indices.map((i) => trainData.Y[i]));
    expect(Array.from(sampler.X.data.subarray(3, 6))).toEqual(
      Array.from(trainData.X.subarray(indices[1] * 3, indices[1] * 3 + 3)),
    );
  });

  it('is deterministic, and resuming from a step with its optimizer state continues the same run', () => {
    const run = (stepsList: number[]) => {
      const g = new Generator(11);
      const model = new MLP(tinyConfig, { generator: g });
      let optimizerState: ReturnType<typeof train>['optimizerState'] | undefined;
      let start = 0;
      const losses: number[] = [];
      for (const steps of stepsList) {
        const result = train(model, tiny, {
          steps,
          startStep: start,
          optimizer: 'adam',
          lr: 0.01,
          batchSize: 2,
          generator: g,
          optimizerState,
        });
        optimizerState = result.optimizerState;
        start = result.steps;
        losses.push(...result.losses);
      }
      return { losses, W2: Array.from(model.W2.data) };
    };
    const straight = run([40]);
    const resumed = run([15, 40]);
    expect(resumed.losses).toEqual(straight.losses);
    expect(resumed.W2).toEqual(straight.W2);
    expect(straight.losses[39]).toBeLessThan(straight.losses[0]);
  });

  it('an explicit weightDecay wins over the one in a resumed optimizer state', () => {
    const model = new MLP(tinyConfig, { generator: new Generator(3) });
    const options = { optimizer: 'adamw' as const, lr: 0.01, batchSize: 2 };
    const first = train(model, tiny, { ...options, steps: 3, weightDecay: 0 });
    expect(first.optimizerState.groups[0].weightDecay).toBe(0);
    const resumed = train(model, tiny, {
      ...options,
      steps: 6,
      startStep: 3,
      weightDecay: 0.5,
      optimizerState: first.optimizerState,
    });
    expect(resumed.optimizerState.groups[0].weightDecay).toBe(0.5);
    // Without the option, the resumed state's decay is kept.
    const kept = train(model, tiny, {
      ...options,
      steps: 9,
      startStep: 6,
      optimizerState: resumed.optimizerState,
    });
    expect(kept.optimizerState.groups[0].weightDecay).toBe(0.5);
  });

  it('uses the learning rate schedule by global step, and reports progress and evaluations', () => {
    const seen: number[] = [];
    const evals: { step: number; train: number; dev?: number }[] = [];
    let progress = 0;
    const model = new MLP(tinyConfig, { generator: new Generator(1) });
    const result = train(model, tiny, {
      steps: 30,
      startStep: 10,
      lr: (step) => {
        seen.push(step);
        return 0.05;
      },
      dev: tiny,
      evalEvery: 10,
      onEval: (e) => evals.push(e),
      onProgress: (p) => {
        progress++;
        expect(p.steps).toBe(30);
        expect(p.lr).toBe(0.05);
      },
    });
    // The scheduler asks for the rate of every step run (10…29), and of the next one (30).
    expect([...new Set(seen)].filter((s) => s >= 10 && s < 30)).toEqual(
      Array.from({ length: 20 }, (_, i) => 10 + i),
    );
    expect(Math.max(...seen)).toBe(30);
    expect(result.steps).toBe(30);
    expect(result.losses.length).toBe(20);
    expect(progress).toBeGreaterThanOrEqual(1);
    expect(evals.map((e) => e.step)).toEqual([20, 30]);
    expect(evals[1].train).toBeCloseTo(evaluate(model, tiny), 6);
    expect(evals[1].dev).toBeCloseTo(evals[1].train, 6);
    expect(lectureLearningRate(99_999)).toBe(0.1);
    expect(lectureLearningRate(100_000)).toBe(0.01);
  });

  it('evaluates on global steps that are multiples of evalEvery, so a resumed run matches a straight one', () => {
    const evalSteps = (slices: number[], evalEvery: number) => {
      const g = new Generator(4);
      const model = new MLP(tinyConfig, { generator: g });
      const evals: { step: number; train: number }[] = [];
      let start = 0;
      let optimizerState: ReturnType<typeof train>['optimizerState'] | undefined;
      for (const steps of slices) {
        const result = train(model, tiny, {
          steps,
          startStep: start,
          lr: 0.05,
          batchSize: 2,
          generator: g,
          evalEvery,
          onEval: (e) => evals.push(e),
          optimizerState,
        });
        start = result.steps;
        optimizerState = result.optimizerState;
      }
      return evals;
    };
    const straight = evalSteps([25], 10);
    expect(straight.map((e) => e.step)).toEqual([10, 20, 25]);
    // Resumed at 7 and 13: the scheduled evaluations still fall on 10 and 20 (plus one at each
    // slice's end), with the same losses as the uninterrupted run.
    const resumed = evalSteps([7, 13, 25], 10);
    expect(resumed.map((e) => e.step)).toEqual([7, 10, 13, 20, 25]);
    for (const step of [10, 20, 25]) {
      expect(resumed.find((e) => e.step === step)!.train).toBe(
        straight.find((e) => e.step === step)!.train,
      );
    }
    // A run that ends on a multiple evaluates there once.
    expect(evalSteps([3, 20], 10).map((e) => e.step)).toEqual([3, 10, 20]);
    // Stopped right after a scheduled evaluation: the final one is not repeated.
    const controller = new AbortController();
    const steps: number[] = [];
    const stopped = train(new MLP(tinyConfig, { generator: new Generator(4) }), tiny, {
      steps: 100,
      lr: 0.05,
      evalEvery: 10,
      signal: controller.signal,
      onEval: (e) => {
        steps.push(e.step);
        if (e.step === 20) controller.abort();
      },
    });
    expect(stopped.stoppedBecause).toBe('aborted');
    expect(steps).toEqual([10, 20]);
  });

  it('stops on time or abort and says why', () => {
    const model = new MLP(tinyConfig);
    const timed = train(model, tiny, { steps: 1_000_000, maxSeconds: 0, lr: 0.01 });
    expect(timed.stoppedBecause).toBe('time');
    expect(timed.steps).toBe(1);
    const controller = new AbortController();
    controller.abort();
    const aborted = train(model, tiny, { steps: 10, signal: controller.signal });
    expect(aborted.stoppedBecause).toBe('aborted');
    expect(aborted.steps).toBe(0);
    expect(aborted.losses.length).toBe(0);
    expect(Number.isNaN(aborted.finalLoss)).toBe(true);
  });

  it('throws TrainingDivergedError naming the step and suggesting a lower learning rate', () => {
    // λ·mean(W²) overflows float32 once W reaches ~1e19: the loss becomes Infinity.
    const model = new BigramNet(
      { kind: 'bigram-net', vocabSize: 3, blockSize: 1 },
      { generator: new Generator(2) },
    );
    const pairs = {
      X: new Int32Array([0, 1, 2]),
      Y: new Int32Array([1, 2, 0]),
      length: 3,
      blockSize: 1,
    };
    let caught: unknown;
    try {
      train(model, pairs, { steps: 100, lr: 1e35, batchSize: Infinity });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TrainingDivergedError);
    const error = caught as TrainingDivergedError;
    expect(error.step).toBeGreaterThan(0);
    expect(error.message).toMatch(
      /^Training diverged at step \d+: the loss became (NaN|Infinity) with learning rate 1e\+35; the learning-rate finder suggests [\d.e+-]+ \(a sweep from the starting weights\); train again with that rate$/,
    );
    // The suggestion trains: the same run at that rate does not diverge.
    expect(error.suggestedLr).toBeLessThan(1e3);
    const again = new BigramNet(
      { kind: 'bigram-net', vocabSize: 3, blockSize: 1 },
      { generator: new Generator(2) },
    );
    const fixed = train(again, pairs, { steps: 100, lr: error.suggestedLr, batchSize: Infinity });
    expect(fixed.finalLoss).toBeLessThan(fixed.losses[0]);
  });

  it('rejects bad arguments by name', () => {
    const model = new MLP(tinyConfig);
    expect(() => train(model, tiny, { steps: -1 })).toThrow(
      /'steps' passed to 'train' must be an integer ≥ 0, got -1/,
    );
    expect(() => train(model, tiny, { steps: 1, batchSize: 0 })).toThrow(/'batchSize'/);
    expect(() =>
      train(model, { ...tiny, blockSize: 1, X: tiny.X.subarray(0, 4) }, { steps: 1 }),
    ).toThrow(/has blockSize 1 but the model's blockSize is 2/);
    expect(() => train(model, tiny, { steps: 1, optimizer: 'lbfgs' as 'sgd' })).toThrow(
      /'sgd', 'adam' or 'adamw', got 'lbfgs'/,
    );
    const counts = BigramCounts.fromWords(['ab'], CharTokenizer.fromWords(['ab']));
    const bigramData = { X: new Int32Array([0]), Y: new Int32Array([1]), length: 1, blockSize: 1 };
    expect(() => train(counts, bigramData, { steps: 1 })).toThrow(
      /no trainable parameters.*fit by counting/,
    );
  });
});

describe('evaluate', () => {
  it('is the mean cross-entropy over all examples, whatever the chunk size', () => {
    const model = new MLP(config, { generator: new Generator(3) });
    const X = new Tensor(devData.X, [devData.length, 3]);
    const Y = new Tensor(devData.Y, [devData.length]);
    const whole = F.crossEntropy(model.logits(X), Y).item();
    expect(evaluate(model, devData)).toBeCloseTo(whole, 4);
    expect(evaluate(model, devData, { batchSize: 1000 })).toBeCloseTo(whole, 4);
    expect(() => evaluate(model, devData, { batchSize: 0 })).toThrow(
      /'batchSize' passed to 'evaluate'/,
    );
  });
});

describe('lrFinder', () => {
  it("sweeps 10^linspace(-3, 0), restores the weights, and suggests about the lecture's 0.1", () => {
    const model = new MLP(config, { generator: new Generator(2147483647) });
    const before = model.parameters().map((p) => Array.from(p.data));
    const { lrs, losses, suggestion } = lrFinder(model, trainData, { generator: new Generator(1) });
    expect(lrs.length).toBe(1000);
    expect(lrs[0]).toBeCloseTo(0.001, 12);
    expect(lrs[999]).toBeCloseTo(1, 12);
    expect(lrs[500] / lrs[499]).toBeCloseTo(lrs[1] / lrs[0], 12);
    expect(losses.every(Number.isFinite)).toBe(true);
    // Measured: 0.090 on the bundled names.
    expect(suggestion).toBeGreaterThan(0.03);
    expect(suggestion).toBeLessThan(0.3);
    model.parameters().forEach((p, i) => {
      expect(Array.from(p.data)).toEqual(before[i]);
    });
    expect(model.C.grad).toBeNull();
  });
});
