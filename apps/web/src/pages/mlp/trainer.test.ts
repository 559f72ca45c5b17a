import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { createModel, train } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  devEvalExamples,
  divergenceMessage,
  MlpTrainer,
  needsReset,
  type TrainerConfig,
} from './trainer.js';

const words = bundledNames().words;
const small: TrainerConfig = { ...DEFAULT_CONFIG, nHidden: 64, steps: 400, evalEvery: 200 };
const mean = (xs: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i];
  return s / (to - from);
};

describe('MlpTrainer', () => {
  it("takes the same steps as makemore's train() with the same seed (same init, minibatches and losses)", () => {
    const config = { ...DEFAULT_CONFIG, steps: 20 };
    const trainer = new MlpTrainer(words, config);
    const slice = trainer.advance(20);
    const tokenizer = CharTokenizer.fromWords(words);
    const split = splitWords(words, { seed: 42 });
    const g = new Generator(config.seed);
    const model = createModel(
      { kind: 'mlp', vocabSize: tokenizer.vocabSize, blockSize: 3 },
      { generator: g },
    );
    const reference = train(model, buildContexts(split.train, tokenizer, 3), {
      steps: 20,
      lr: 0.1,
      generator: g,
    });
    expect(Array.from(slice.losses)).toEqual(Array.from(reference.losses));
    expect(trainer.info).toMatchObject({
      vocabSize: 28,
      numParameters: 12108,
      words: 8422,
      trainWords: 6737,
    });
  });

  it('is seeded: two trainers with the same config give identical losses, another seed differs', () => {
    const a = new MlpTrainer(words, small).advance(30).losses;
    const b = new MlpTrainer(words, small).advance(30).losses;
    const c = new MlpTrainer(words, { ...small, seed: 1 }).advance(30).losses;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('the loss falls, and the dev loss is evaluated every evalEvery steps and at the end', () => {
    const trainer = new MlpTrainer(words, small);
    expect(trainer.play()).toBe(true);
    const slice = trainer.advance(Number.POSITIVE_INFINITY);
    expect(trainer.status).toBe('done');
    expect(trainer.step).toBe(400);
    expect(slice.losses.length).toBe(400);
    // From ~20 (random init, huge logits) to below 3.5 on average over the last 50 steps.
    expect(mean(slice.losses, 0, 10)).toBeGreaterThan(10);
    expect(mean(slice.losses, 350, 400)).toBeLessThan(5);
    expect(slice.evaluations.map((e) => e.step)).toEqual([200, 400]);
    const [first, last] = slice.evaluations;
    expect(last.dev).toBeLessThan(first.dev);
    expect(last.dev).toBeGreaterThan(2);
    expect(last.dev).toBeLessThan(5);
    // Evaluating again gives the same numbers (no randomness, no training).
    expect(trainer.evaluate()).toEqual(last);
    expect(trainer.play()).toBe(false);
  });

  // Issue 10: the overfitting link evaluates every 100 steps; on the whole dev split that would
  // cost more than the training in between, so frequent evaluations use a prefix of it.
  it('frequent evaluations average over the first 4096 dev examples, rare ones over all', () => {
    const often = new MlpTrainer(words, { ...small, evalEvery: 100 });
    expect(often.evaluate().devExamples).toBe(4096);
    expect(devEvalExamples(100, 22_655)).toBe(4096);
    expect(devEvalExamples(1000, 22_655)).toBe(22_655);
    expect(devEvalExamples(10, 300)).toBe(300);
    const rare = new MlpTrainer(words, { ...small, evalEvery: 1000 });
    expect(rare.evaluate().devExamples).toBe(rare.info.devExamples);
    // A live change of the interval switches too.
    rare.configure({ ...rare.config, evalEvery: 100 });
    expect(rare.evaluate().devExamples).toBe(4096);
  });

  it('pause/step semantics: step advances a paused run; steps never pass the target; done resumes when steps grow', () => {
    const trainer = new MlpTrainer(words, { ...small, steps: 10 });
    expect(trainer.status).toBe('paused');
    expect(trainer.advance(3).losses.length).toBe(3);
    expect(trainer.step).toBe(3);
    expect(trainer.status).toBe('paused');
    trainer.play();
    trainer.pause();
    expect(trainer.status).toBe('paused');
    expect(trainer.advance(100).losses.length).toBe(7);
    expect(trainer.status).toBe('done');
    expect(trainer.advance(5).losses.length).toBe(0);
    expect(trainer.configure({ ...small, steps: 12 })).toBe(false);
    expect(trainer.status).toBe('paused');
    expect(trainer.advance(5).firstStep).toBe(10);
    expect(trainer.step).toBe(12);
  });

  it('stops a slice at the deadline', () => {
    const trainer = new MlpTrainer(words, small);
    trainer.play();
    let clock = 0;
    const slice = trainer.advance(Number.POSITIVE_INFINITY, 5, () => clock++);
    // The clock is read every 8 steps: 0,1,…,5 → stops after 6·8 steps.
    expect(slice.losses.length).toBe(48);
    expect(trainer.status).toBe('running');
  });

  it('detects divergence: a huge learning rate pauses with an explanation and keeps the finite weights', () => {
    const trainer = new MlpTrainer(words, { ...small, lr: 1e4, schedule: 'constant' });
    trainer.play();
    const slice = trainer.advance(Number.POSITIVE_INFINITY);
    expect(trainer.status).toBe('diverged');
    expect(slice.divergence).toBeDefined();
    const d = slice.divergence!;
    // tanh bounds the hidden layer, so the loss explodes to ~8e3 at step 1 but stays finite.
    expect(d.loss).toBeGreaterThan(1000);
    expect(d.step).toBe(1);
    expect(slice.losses.length).toBe(1);
    expect(d.lr).toBe(1e4);
    expect(d.message).toMatch(
      /^Training diverged: the loss jumped to 8\.\d\de\+3 \(above 1000\) at step 1 with learning rate 1e\+4\./,
    );
    expect(d.message).toContain('lower learning rate (for example 1000)');
    expect(Array.from(slice.losses).every(Number.isFinite)).toBe(true);
    expect(trainer.play()).toBe(false);
    expect(trainer.advance(10).losses.length).toBe(0);
    trainer.reset({ ...small, lr: 0.1 });
    expect(trainer.status).toBe('paused');
    expect(trainer.step).toBe(0);
  });

  it('live settings apply without a reset; structural ones start over', () => {
    const trainer = new MlpTrainer(words, small);
    trainer.advance(5);
    expect(trainer.configure({ ...small, lr: 0.05, batchSize: 8 })).toBe(false);
    expect(trainer.step).toBe(5);
    expect(trainer.currentLr()).toBe(0.05);
    expect(trainer.advance(2).losses.length).toBe(2);
    expect(trainer.configure({ ...small, lr: 0.05, batchSize: 8, nEmbd: 2 })).toBe(true);
    expect(trainer.step).toBe(0);
    expect(needsReset(small, { ...small, trainWords: 10 })).toBe(true);
    expect(needsReset(small, { ...small, steps: 10, evalEvery: 7 })).toBe(false);
  });

  it('uses only N training words when asked, and then overfits: train loss falls below dev loss', () => {
    const trainer = new MlpTrainer(words, {
      ...small,
      trainWords: 50,
      schedule: 'constant',
      steps: 1500,
      evalEvery: 1500,
    });
    expect(trainer.info.trainWords).toBe(50);
    expect(trainer.trainSet.size).toBeLessThanOrEqual(50);
    const [evaluation] = trainer.advance(Number.POSITIVE_INFINITY).evaluations;
    expect(evaluation.train).toBeLessThan(2);
    expect(evaluation.dev - evaluation.train).toBeGreaterThan(0.7);
  });

  it('gives the embedding (first two dims of C) and marked samples', () => {
    const trainer = new MlpTrainer(words, small);
    const { x, y } = trainer.embedding();
    expect(x.length).toBe(28);
    expect(x[1]).toBe(trainer.model.C.data[10]);
    expect(y[1]).toBe(trainer.model.C.data[11]);
    trainer.advance(300);
    const samples = trainer.sample({ count: 20, temperature: 1, seed: 7 });
    expect(samples).toHaveLength(20);
    for (const s of samples) {
      expect(s.mark).toBe(
        trainer.trainSet.has(s.word) ? 'train' : trainer.allWords.has(s.word) ? 'held-out' : 'new',
      );
    }
    expect(trainer.sample({ count: 20, temperature: 1, seed: 7 })).toEqual(samples);
  });

  it('finds a learning rate on a fresh model without touching the trained one', () => {
    const trainer = new MlpTrainer(words, small);
    trainer.advance(3);
    const before = Float32Array.from(trainer.model.W1.data as Float32Array);
    const { lrs, losses, suggestion } = trainer.findLearningRate(200);
    expect(lrs[0]).toBeCloseTo(1e-3, 12);
    expect(lrs[199]).toBeCloseTo(1, 12);
    expect(losses.length).toBe(200);
    expect(suggestion).toBeGreaterThan(1e-3);
    expect(suggestion).toBeLessThan(1);
    expect(Array.from(trainer.model.W1.data)).toEqual(Array.from(before));
  });

  it('says NaN/Infinity in the message when the loss is not finite', () => {
    expect(divergenceMessage(12, Number.NaN, 0.5)).toMatch(
      /^Training diverged: the loss became NaN at step 12 with learning rate 0\.5\./,
    );
    expect(divergenceMessage(1200, Number.POSITIVE_INFINITY, 10)).toContain(
      'the loss became Infinity at step 1,200',
    );
  });

  it('names the argument when the list is too short', () => {
    expect(() => new MlpTrainer(['ab', 'c'], small)).toThrow(
      "Argument 'words' passed to 'MlpTrainer' must hold at least 3 words",
    );
  });
});
