// makemore part 5's hierarchical model as the `wavenet` family: the lecture's 76,579 parameters,
// the shapes through the hierarchy, the blockSize rule, eval mode, and a checkpoint's running stats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { bundledNames, readWords } from '@llm-playground/data';
import { type BatchNorm1d, FlattenConsecutive, type Linear, Tanh } from '@llm-playground/nn';
import { noGrad, randn, type Tensor, Tensor as TensorClass, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../../../tools/lecture-names.js';
import { loadCheckpoint, saveCheckpoint } from '../../checkpoint.js';
import { ConfigError } from '../../errors.js';
import { evaluate } from '../../evaluate.js';
import { prepareRun } from '../../prepare-run.js';
import { sample } from '../../sample.js';
import { familyConfig } from '../catalog.js';
import { checkModelSize, estimateSize } from '../family.js';
import { createModel, getFamily } from '../registry.js';
import { WaveNet } from './wavenet.js';

const names = lectureNamesPath();
const config = (settings: Record<string, unknown> = {}) =>
  familyConfig('wavenet', settings, { vocabSize: 27 });

describe('wavenet', () => {
  it("has the lecture's 76,579 parameters; flatten = blockSize is the flat baseline", () => {
    for (const [settings, count] of [
      [{}, 76579], // n_embd 24, n_hidden 128, context 8, pairs
      [{ blockSize: 3, flatten: 3, nEmbd: 10, nHidden: 200 }, 12097], // part 5's "12K" baseline
      [{ blockSize: 8, flatten: 8, nEmbd: 10, nHidden: 200 }, 22097], // context 8, flat ("22K")
      [{ blockSize: 8, flatten: 2, nEmbd: 10, nHidden: 68 }, 22397], // hierarchical ("22K")
    ] as const) {
      const full = config(settings);
      const model = createModel(full);
      expect(model.numParameters()).toBe(count);
      const size = estimateSize(getFamily('wavenet'), full);
      expect(size.parameters).toBe(count);
      expect(size.tensors.map((t) => [t.name, t.shape])).toEqual(
        Object.entries(model.stateDict()).map(([name, t]) => [name, t.shape]),
      );
    }
  });

  it('merges pairs level by level: [B, 8, 24] → [B, 4, 48] → [B, 2, 256] → [B, 256], Tanh outputs [B, ·, 128]', () => {
    const model = new WaveNet(config(), { generator: new Generator(42) });
    expect(model.levels).toBe(3);
    const shapes: string[] = [];
    for (const [name, layer] of model.namedModules()) {
      if (!(layer instanceof FlattenConsecutive || layer instanceof Tanh)) continue;
      layer.registerForwardHook((_m, _inputs, out) => {
        shapes.push(`${name} [${(out as Tensor).shape}]`);
      });
    }
    const X = tensor([
      [0, 0, 0, 0, 0, 1, 2, 3],
      [0, 0, 0, 5, 1, 14, 14, 1],
      [1, 2, 3, 4, 5, 6, 7, 8],
    ]);
    expect(noGrad(() => model.logits(X)).shape).toEqual([3, 27]);
    expect(shapes).toEqual([
      'layers.1 [3,4,48]',
      'layers.4 [3,4,128]',
      'layers.5 [3,2,256]',
      'layers.8 [3,2,128]',
      'layers.9 [3,256]',
      'layers.12 [3,128]',
    ]);
    expect(model.tanhLayers().map(([name]) => name)).toEqual(['layers.4', 'layers.8', 'layers.12']);
  });

  it("initialises from torch.manual_seed(42)'s stream: Embedding, then each Linear randn(in, out)/√in; last ×0.1, bias 0", () => {
    const model = new WaveNet(config(), { generator: new Generator(42) });
    const generator = new Generator(42);
    const C = randn([27, 24], { generator }).data;
    const W1 = randn([48, 128], { generator }).data;
    expect((model.layers[0] as unknown as { weight: Tensor }).weight.data.slice(0, 4)).toEqual(
      C.slice(0, 4),
    );
    const first = model.layers[2] as Linear;
    const f = Math.fround;
    for (const [o, i] of [
      [0, 0],
      [5, 47],
      [127, 13],
    ]) {
      expect(first.weight.data[o * 48 + i]).toBe(f(W1[i * 128 + o] / f(Math.sqrt(48))));
    }
    const last = model.layers.at(-1) as Linear;
    expect([...(last.bias as Tensor).data].every((b) => b === 0)).toBe(true);
    expect(last.weight.std().item()).toBeCloseTo(0.1 / Math.sqrt(128), 3);
    expect((model.layers[3] as BatchNorm1d).channelsLast).toBe(true);
  });

  it('blockSize must be a power of flatten: a ConfigError in strict mode, the power below in clamp mode', () => {
    expect(() => config({ blockSize: 6 })).toThrow(ConfigError);
    expect(() => config({ blockSize: 6 })).toThrow(
      'wavenet config: blockSize (--block-size) must be a power of flatten (2) — 2, 4, 8, 16, 32 or 64 — got 6',
    );
    expect(() => config({ blockSize: 8, flatten: 3 })).toThrow(
      'must be a power of flatten (3) — 3, 9 or 27 — got 8',
    );
    const adjusted: string[] = [];
    const clamped = familyConfig(
      'wavenet',
      { blockSize: '12' },
      {
        vocabSize: 27,
        mode: 'clamp',
        onAdjust: (field, given, used) => adjusted.push(`${field.name} ${given} → ${used}`),
      },
    );
    expect(clamped.blockSize).toBe(8);
    expect(adjusted).toEqual(['blockSize 12 → 8']);
    expect(config({ blockSize: 9, flatten: 3 }).blockSize).toBe(9);
    expect(() => config({ nHidden: 0 })).toThrow(
      'wavenet config: nHidden (--n-hidden) must be an integer in [1, 4096], got 0',
    );
    expect(() => config({ flatten: 1 })).toThrow(
      'flatten (--flatten) must be an integer in [2, 64], got 1',
    );
    expect(() => new WaveNet({ kind: 'wavenet', vocabSize: 27, blockSize: 5 })).toThrow(
      ConfigError,
    );
    expect(() =>
      checkModelSize(getFamily('wavenet'), config({ nHidden: 4096, nEmbd: 1024 }), {
        maxBytes: 1e6,
      }),
    ).toThrow(/lower --n-hidden or --flatten/);
  });

  it('trains on the bundled names (loss falls), evaluates and samples in eval mode, keeps its running stats in a checkpoint', () => {
    const { words } = bundledNames();
    const run = prepareRun({
      family: 'wavenet',
      rawConfig: { nEmbd: 8, nHidden: 24 },
      words,
      seed: 42,
      run: { steps: 120 },
    });
    expect(run.settings.schedule).toEqual({
      kind: 'PiecewiseConstantLR',
      boundaries: [90],
      values: [0.1, 0.01],
    });
    const progress = run.createTrainer().run();
    const average = (xs: ArrayLike<number>) =>
      Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
    expect(average(progress.losses.slice(-20))).toBeLessThan(
      average(progress.losses.slice(0, 20)) - 0.2,
    );
    const model = run.model as WaveNet;
    const bn = model.layers[3] as BatchNorm1d;
    expect(bn.numBatchesTracked?.item()).toBe(120);
    // One context at a time (a batch of 1): only eval mode can, and evaluate/sample switch to it.
    const one = {
      X: run.data.dev.X.slice(0, 8),
      Y: run.data.dev.Y.slice(0, 1),
      length: 1,
      blockSize: 8,
    };
    expect(Number.isFinite(evaluate(model, one))).toBe(true);
    expect(
      sample(model, run.tokenizer, { count: 2, generator: new Generator(1) }).words,
    ).toHaveLength(2);
    expect(model.training).toBe(true);
    expect(bn.numBatchesTracked?.item()).toBe(120); // evaluation did not move the running stats

    const dir = mkdtempSync(join(tmpdir(), 'wavenet-'));
    try {
      saveCheckpoint(dir, { config: model.config, tokenizer: run.tokenizer, model, step: 120 });
      const restored = loadCheckpoint(dir).model as WaveNet;
      const restoredBn = restored.layers[3] as BatchNorm1d;
      expect(restoredBn.runningMean?.data).toEqual(bn.runningMean?.data);
      expect(restoredBn.runningVar?.data).toEqual(bn.runningVar?.data);
      expect(restoredBn.numBatchesTracked?.item()).toBe(120);
      const X = new TensorClass(run.data.dev.X.subarray(0, 80), [10, 8]);
      model.eval();
      restored.eval();
      expect(restored.logits(X).data).toEqual(model.logits(X).data);
      model.train();
      expect(() => model.logits(new TensorClass(one.X, [1, 8]))).toThrow(
        'Expected more than 1 value per channel when training, got input size [1, 24]',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(names === null)("names.txt, seed 42: the lecture's first loss 3.3167", () => {
    const words = readWords(names as string).words;
    const first = prepareRun({ family: 'wavenet', words, seed: 42, run: { steps: 1 } })
      .createTrainer()
      .run().losses[0];
    // nn's BatchNorm1d normalises with the biased variance, the lecture's with the unbiased: 3.3169.
    expect(Math.abs(first - 3.3167)).toBeLessThan(0.001);
  });
});
