// makemore.py's sequence families (bow, rnn, gru, transformer): makemore's parameter counts,
// sequences with −1 targets, causal masking, loss at init ≈ ln V, a short run's loss falls,
// sampling from the growing sequence, checkpoints, and bad settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { bundledNames, CharTokenizer, readWords } from '@llm-playground/data';
import { F } from '@llm-playground/nn';
import { noGrad, Tensor, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../../tools/lecture-names.js';
import { loadCheckpoint, saveCheckpoint } from '../checkpoint.js';
import { ConfigError } from '../errors.js';
import { evaluate } from '../evaluate.js';
import { prepareRun } from '../prepare-run.js';
import { sample } from '../sample.js';
import { languageModelTask } from '../tasks/language-model.js';
import { wordSequences } from '../training-data.js';
import { familyConfig } from './catalog.js';
import { checkModelSize, estimateSize } from './family.js';
import { createModel, getFamily } from './registry.js';
import type { SequenceModel } from './sequence-model.js';

const ZOO = ['bow', 'rnn', 'gru', 'transformer'] as const;
// makemore.py's "number of parameters" on names.txt (vocab 27, block 16).
const MAKEMORE_COUNTS = { bow: 12827, rnn: 11803, gru: 28315, transformer: 204544 };
const names = lectureNamesPath();
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

function model(kind: string, settings: Record<string, unknown> = {}, seed = 42): SequenceModel {
  const config = familyConfig(kind, settings, { vocabSize: 27 });
  return createModel(config, { generator: new Generator(seed) }) as SequenceModel;
}

describe('makemore.py zoo', () => {
  it("has makemore.py's parameter counts at vocab 27, block 16; estimates list the state dict", () => {
    for (const kind of ZOO) {
      const m = model(kind);
      expect(m.config.blockSize).toBe(16);
      expect(m.numParameters()).toBe(MAKEMORE_COUNTS[kind]);
      const size = estimateSize(getFamily(kind), m.config);
      expect(size.parameters).toBe(MAKEMORE_COUNTS[kind]);
      const shapes = (entries: [string, readonly number[]][]) =>
        entries.map(([n, s]) => `${n} [${s}]`).sort();
      expect(shapes(size.tensors.map((t) => [t.name, t.shape]))).toEqual(
        shapes(Object.entries(m.stateDict()).map(([n, t]) => [n, t.shape])),
      );
    }
  });

  it.skipIf(names === null)(
    'names.txt: block size = longest word + 1 = 16, vocab 27, same counts',
    () => {
      const words = readWords(names as string).words;
      for (const kind of ZOO) {
        const run = prepareRun({ family: kind, words, run: { steps: 1 } });
        expect([run.config.blockSize, run.config.vocabSize]).toEqual([16, 27]);
        expect(run.model.numParameters()).toBe(MAKEMORE_COUNTS[kind]);
      }
    },
  );

  it("builds makemore.py's CharDataset: x = [0, w…] padded with 0, y = [w…, 0] padded with −1", () => {
    const tokenizer = CharTokenizer.fromWords(['emma', 'ava']);
    const data = wordSequences(['emma', 'ava'], tokenizer, 6);
    expect(Array.from(data.X)).toEqual([0, 2, 3, 3, 1, 0, 0, 1, 4, 1, 0, 0]);
    expect(Array.from(data.Y)).toEqual([2, 3, 3, 1, 0, -1, 1, 4, 1, 0, -1, -1]);
    expect(() => wordSequences(['emma'], tokenizer, 4)).toThrow(
      "the word 'emma' has 4 characters: blockSize (--block-size) must be at least 5 (the longest word + 1), got 4",
    );
  });

  it('forward gives [B, T, V] at any T ≤ blockSize; logits the last position; too long is refused', () => {
    const idx = tensor([
      [0, 5, 13, 13],
      [0, 1, 22, 1],
    ]);
    for (const kind of ZOO) {
      const m = model(kind);
      const out = noGrad(() => m.forward(idx));
      expect(out.shape).toEqual([2, 4, 27]);
      const last = noGrad(() => m.logits(idx));
      expect(last.shape).toEqual([2, 27]);
      expect(Array.from(last.data)).toEqual(Array.from(out.select(1, 3).contiguous().data));
      expect(() => m.forward(tensor([Array(17).fill(0)]))).toThrow(
        'Cannot forward sequence of length 17, block size is only 16',
      );
    }
  });

  it('is causal: changing token t changes no logit before t', () => {
    const a = tensor([[0, 5, 13, 13, 1, 0, 3, 7]]);
    const b = tensor([[0, 5, 13, 13, 9, 2, 3, 7]]);
    for (const kind of ZOO) {
      const m = model(kind);
      const [x, y] = noGrad(() => [m.forward(a), m.forward(b)]);
      const V = 27;
      const before = (t: Tensor) => Array.from(t.data.slice(0, 4 * V));
      expect(before(y)).toEqual(before(x));
      expect(Math.abs(y.data[4 * V] - x.data[4 * V])).toBeGreaterThan(1e-6);
    }
  });

  it('loss at init ≈ ln 27 and ignores −1 targets (= the mean over the other positions)', () => {
    const { words } = bundledNames();
    const tokenizer = CharTokenizer.fromWords(words);
    const V = tokenizer.vocabSize;
    const data = wordSequences(words.slice(0, 64), tokenizer, 16);
    const X = new Tensor(data.X, [64, 16]);
    const Y = new Tensor(data.Y, [64, 16]);
    const initial: Record<string, number> = {};
    for (const kind of ZOO) {
      const m = createModel(familyConfig(kind, {}, { vocabSize: V }), {
        generator: new Generator(1),
      }) as SequenceModel;
      const loss = noGrad(() => m.loss(X, Y).item());
      // PyTorch's default inits (makemore.py has no init of its own): the logits start with a
      // spread σ, so the loss is about ln V + σ²/2 — near ln V behind a LayerNorm (transformer),
      // above it where N(0, 1) embeddings reach the head through residuals (bow: 4.25).
      initial[kind] = loss;
      const logits = noGrad(() => m.forward(X)).view(-1, V);
      const rows = Array.from(data.Y)
        .map((y, i) => [y, i])
        .filter(([y]) => y !== -1);
      const kept = noGrad(() =>
        F.crossEntropy(
          logits.index(tensor(rows.map(([, i]) => i))),
          tensor(rows.map(([y]) => y)),
        ).item(),
      );
      expect(loss).toBeCloseTo(kept, 5);
    }
    const lnV = Math.log(V);
    expect(Math.abs(initial.rnn - lnV)).toBeLessThan(0.06);
    expect(Math.abs(initial.gru - lnV)).toBeLessThan(0.06);
    // LayerNorm → head U(±1/8) over 64 inputs: logit variance 64 · (1/8)²/3 = 1/3, so ln V + 1/6.
    expect(Math.abs(initial.transformer - (lnV + 1 / 6))).toBeLessThan(0.05);
    expect(initial.bow).toBeGreaterThan(lnV + 0.5);
    expect(initial.bow).toBeLessThan(lnV + 1.2);
  });

  it('trains on the bundled names (AdamW, loss falls), evaluates, samples from the growing sequence, round-trips a checkpoint', () => {
    const { words } = bundledNames();
    for (const kind of ZOO) {
      const rawConfig: Record<string, unknown> =
        kind === 'transformer' ? { nEmbd: 16, nLayer: 1, nHead: 2 } : { nEmbd: 16, nEmbd2: 16 };
      const run = prepareRun({
        family: kind,
        rawConfig,
        words,
        seed: 42,
        run: { steps: 80, lr: 1e-2 },
      });
      expect(run.settings.optimizer).toEqual({
        kind: 'adamw',
        lr: 1e-2,
        weightDecay: 0.01,
        betas: [0.9, 0.99],
      });
      expect(run.data.train.layout).toBe('sequences');
      const trainer = run.createTrainer();
      const progress = trainer.run();
      expect(trainer.captured).toBe(true);
      expect(mean(progress.losses.slice(-10))).toBeLessThan(
        mean(progress.losses.slice(0, 10)) - 0.4,
      );
      const dev = evaluate(run.model, run.data.dev);
      expect(dev).toBeGreaterThan(1.5);
      expect(dev).toBeLessThan(mean(progress.losses.slice(0, 10)));
      const { words: samples } = sample(run.model, run.tokenizer, {
        count: 5,
        generator: new Generator(3),
        maxLength: 40,
      });
      expect(samples).toHaveLength(5);
      expect(samples.every((w) => /^[a-z-]*$/.test(w) && w.length <= 40)).toBe(true);
      const dir = mkdtempSync(join(tmpdir(), `${kind}-`));
      try {
        saveCheckpoint(dir, {
          config: run.config,
          tokenizer: run.tokenizer,
          model: run.model,
          step: 80,
        });
        const restored = loadCheckpoint(dir).model as SequenceModel;
        const X = new Tensor(run.data.dev.X.subarray(0, 10 * 16), [10, 16]);
        expect(noGrad(() => restored.forward(X)).data).toEqual(
          noGrad(() => (run.model as SequenceModel).forward(X)).data,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('estimates an edited nLayer: 1e9 at once (blocks past 64 in one entry) and refuses it', () => {
    const config = familyConfig('transformer', {}, { vocabSize: 27 });
    const huge = { ...config, nLayer: 1e9 };
    const size = estimateSize(getFamily('transformer'), huge);
    expect(size.tensors.length).toBeLessThan(1000);
    // 4,224 outside the blocks (wte, wpe, ln_f, lm_head) + 49,984 per block.
    expect(size.parameters).toBe(1728 + 1024 + 128 + 1728 + 1e9 * 49984);
    expect(size.largest?.name).toBe('h.64…999999999');
    expect(() => checkModelSize(getFamily('transformer'), huge)).toThrow(/lower --n-embd/);
  });

  it('resumes bit for bit through a checkpoint: 40 steps straight = 20 + save + load + 20 (gru, AdamW betas 0.9/0.99)', () => {
    const words = bundledNames().words.slice(0, 500);
    const options = {
      family: 'gru',
      rawConfig: { nEmbd: 8, nEmbd2: 8 },
      words,
      seed: 7,
      run: { steps: 40, lr: 1e-2 },
    };
    const straight = prepareRun(options);
    const losses = Array.from(straight.createTrainer().run().losses);
    const first = prepareRun(options);
    const trainer = first.createTrainer();
    // makemore.py's AdamW(betas=(0.9, 0.99), weight_decay=0.01) reaches nn's optimizer
    expect(trainer.optimizer.paramGroups[0]).toMatchObject({
      betas: [0.9, 0.99],
      weightDecay: 0.01,
    });
    const half = Array.from(trainer.runSlice({ maxSteps: 20 }).losses);
    const dir = mkdtempSync(join(tmpdir(), 'gru-resume-'));
    try {
      saveCheckpoint(dir, {
        config: first.config,
        tokenizer: first.tokenizer,
        model: first.model,
        step: trainer.step,
        trainerState: trainer.state(),
      });
      const loaded = loadCheckpoint(dir);
      expect(loaded.trainerState?.optimizerSettings.betas).toEqual([0.9, 0.99]);
      const resumed = prepareRun({ ...options, resume: loaded }).createTrainer();
      const rest = Array.from(resumed.run().losses);
      expect([...half, ...rest]).toEqual(losses);
      const want = straight.model.stateDict();
      for (const [name, t] of Object.entries(loaded.model.stateDict())) {
        expect(Array.from(t.data), name).toEqual(Array.from(want[name].data));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("samples as makemore.py's generate: the boundary token, then the word so far (no left padding)", () => {
    const m = model('gru');
    const tokenizer = CharTokenizer.fromWords(['abcdefghijklmnopqrstuvwxyz']);
    const greedy: number[] = [];
    for (let step = 0; step < 30; step++) {
      const idx = [0, ...greedy].slice(-16);
      const next = noGrad(() =>
        m
          .forward(tensor([idx]))
          .select(1, idx.length - 1)
          .argmax()
          .item(),
      );
      if (next === 0) break;
      greedy.push(next);
    }
    const { words } = sample(m, tokenizer, { count: 1, temperature: 0, maxLength: 30 });
    expect(words[0]).toBe(tokenizer.decode(greedy));
    expect(words[0].length).toBeGreaterThan(0);
  });

  it('refuses nEmbd not divisible by nHead (PyTorch’s words), a block shorter than the longest word', () => {
    expect(() => familyConfig('transformer', { nEmbd: 10, nHead: 3 }, { vocabSize: 27 })).toThrow(
      'transformer config: embed_dim must be divisible by num_heads: nEmbd (--n-embd) 10 is not a multiple of nHead (--n-head) 3',
    );
    const { words } = bundledNames();
    expect(() => prepareRun({ family: 'rnn', rawConfig: { blockSize: 5 }, words })).toThrow(
      /has \d+ characters: blockSize \(--block-size\) must be at least \d+ \(the longest word \+ 1\), got 5/,
    );
    expect(() =>
      languageModelTask(model('rnn'), {
        X: new Int32Array(16),
        Y: new Int32Array(1),
        length: 1,
        blockSize: 16,
        layout: 'sequences',
      }),
    ).toThrow(TypeError);
    expect(() => prepareRun({ family: 'bow', text: 'abc' })).toThrow(ConfigError);
  });
});
