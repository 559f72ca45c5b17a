// makemore part 3's deep tanh network as the `deep-mlp` family: the lecture's parameter counts, its
// initialisation, Tanh layers a forward hook can find, and eval-mode evaluation.
import { Generator } from '@llm-playground/core';
import { bundledNames, readWords } from '@llm-playground/data';
import { type BatchNorm1d, type Linear, Tanh } from '@llm-playground/nn';
import { noGrad, randn, type Tensor, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../../../tools/lecture-names.js';
import { prepareRun } from '../../prepare-run.js';
import { familyConfig } from '../catalog.js';
import { estimateSize } from '../family.js';
import { createModel, getFamily } from '../registry.js';
import { DeepMLP } from './deep-mlp.js';

const names = lectureNamesPath();
const SEED = 2147483647;
const lecture = (settings: Record<string, unknown> = {}) =>
  new DeepMLP(familyConfig('deep-mlp', settings, { vocabSize: 27 }), {
    generator: new Generator(SEED),
  });

describe('deep-mlp', () => {
  it("has the lecture's 47,024 parameters with BatchNorm, 46,497 without; the estimate agrees", () => {
    for (const [settings, count] of [
      [{}, 47024],
      [{ batchNorm: false }, 46497],
      [{ layers: 1, nHidden: 7 }, 27 * 10 + 30 * 7 + 2 * 7 + 7 * 27 + 2 * 27],
    ] as const) {
      const config = familyConfig('deep-mlp', settings, { vocabSize: 27 });
      const model = createModel(config);
      expect(model.numParameters()).toBe(count);
      const size = estimateSize(getFamily('deep-mlp'), config);
      expect(size.parameters).toBe(count);
      expect(size.tensors.map((t) => [t.name, t.shape])).toEqual(
        Object.entries(model.stateDict()).map(([name, t]) => [name, t.shape]),
      );
    }
  });

  it('initialises as the lecture: randn(fan_in, fan_out)/√fan_in from the stream, gain 5/3, last layer ×0.1', () => {
    const model = lecture();
    const generator = new Generator(SEED);
    const C = randn([27, 10], { generator }).data;
    const W0 = randn([30, 100], { generator }).data; // the first Linear, drawn [fan_in, fan_out]
    const embedding = model.layers[0] as unknown as { weight: Tensor };
    expect(embedding.weight.data[5]).toBe(C[5]);
    const first = model.layers[2] as Linear;
    expect(first.weight.shape).toEqual([100, 30]); // nn's [out, in]: the transpose
    const f = Math.fround;
    // weight[o][i] = lecture[i][o] = randn·(1/√30), then ·5/3 (float32 at each step).
    for (const [o, i] of [
      [0, 0],
      [3, 17],
      [99, 29],
    ]) {
      const expected = f(f(W0[i * 100 + o] / f(Math.sqrt(30))) * f(5 / 3));
      expect(first.weight.data[o * 30 + i]).toBe(expected);
    }
    expect(first.bias).toBeNull(); // bias=False before BatchNorm
    const lastBn = model.layers.at(-1) as BatchNorm1d;
    expect([...(lastBn.weight as Tensor).data].every((g) => g === f(0.1))).toBe(true);
    // Without BatchNorm: biases 0, the output Linear ×0.1 instead of the gain.
    const plain = lecture({ batchNorm: false, gain: 1 });
    const out = plain.layers.at(-1) as Linear;
    expect([...(out.bias as Tensor).data].every((b) => b === 0)).toBe(true);
    const std = (t: Tensor) => t.std().item();
    expect(std(out.weight)).toBeCloseTo(0.1 / Math.sqrt(100), 2);
    expect(std((plain.layers[2] as Linear).weight)).toBeCloseTo(1 / Math.sqrt(30), 2);
  });

  it("init 'randn': every Linear plain N(0, 1) (the same draws ×√fan_in, gain ignored); lastLayerFix off: no ×0.1", () => {
    const f = Math.fround;
    // The defaults spelled out build the same model, bit for bit.
    const explicit = lecture({ init: 'kaiming', lastLayerFix: true }).stateDict();
    for (const [name, t] of Object.entries(lecture().stateDict())) {
      expect([...explicit[name].data]).toEqual([...t.data]);
    }
    const generator = new Generator(SEED);
    randn([27, 10], { generator }); // C
    const W0 = randn([30, 100], { generator }).data;
    for (const settings of [{}, { gain: 3 }]) {
      const plain = lecture({ init: 'randn', batchNorm: false, ...settings });
      const first = plain.layers[2] as Linear;
      for (const [o, i] of [
        [0, 0],
        [3, 17],
        [99, 29],
      ]) {
        // randn/√30 then ×√30 in float32: the draw back, to float32 rounding.
        const back = f(f(W0[i * 100 + o] / f(Math.sqrt(30))) * f(Math.sqrt(30)));
        expect(first.weight.data[o * 30 + i]).toBe(back);
        expect(back).toBeCloseTo(W0[i * 100 + o], 5);
      }
      const std = (t: Tensor) => t.std().item();
      expect(std((plain.layers[4] as Linear).weight)).toBeCloseTo(1, 1);
      // The fix still applies to the output Linear: randn ×0.1.
      expect(std((plain.layers.at(-1) as Linear).weight)).toBeCloseTo(0.1, 2);
    }
    const unfixed = lecture({ init: 'randn', batchNorm: false, lastLayerFix: false });
    expect(((unfixed.layers.at(-1) as Linear).weight as Tensor).std().item()).toBeCloseTo(1, 1);
    // With BatchNorm the fix is on the last γ: 0.1 with it, 1 without.
    const lastGamma = (settings: Record<string, unknown>) =>
      ((lecture(settings).layers.at(-1) as BatchNorm1d).weight as Tensor).data[0];
    expect(lastGamma({ init: 'randn' })).toBe(f(0.1));
    expect(lastGamma({ lastLayerFix: false })).toBe(1);
    expect(() => familyConfig('deep-mlp', { init: 'xavier' }, { vocabSize: 27 })).toThrow(
      /deep-mlp config: init \(--init\) must be one of/,
    );
    expect(
      () => new DeepMLP({ kind: 'deep-mlp', vocabSize: 27, blockSize: 3, init: 'xavier' }),
    ).toThrow("deep-mlp config: init must be 'kaiming' or 'randn', got \"xavier\"");
  });

  it('first losses on the bundled names: plain randn 19.92, no fix 3.689, the fix 3.349 (no BatchNorm)', () => {
    const { words } = bundledNames();
    const first = (rawConfig: Record<string, unknown>) =>
      prepareRun({ family: 'deep-mlp', rawConfig, words, seed: SEED, run: { steps: 1 } })
        .createTrainer()
        .run().losses[0];
    // The lecture's first net: every tanh saturated, confidently wrong.
    expect(first({ batchNorm: false, init: 'randn', lastLayerFix: false })).toBeCloseTo(19.922, 2);
    expect(first({ batchNorm: false, lastLayerFix: false })).toBeCloseTo(3.6892, 3);
    // With the fix the first loss is near ln 28 = 3.332 (the bundled names have 28 tokens).
    expect(first({ batchNorm: false })).toBeCloseTo(3.3491, 3);
    expect(first({})).toBeCloseTo(3.3602, 3);
    expect(first({ lastLayerFix: false })).toBeCloseTo(4.0314, 3);
  });

  it('names its Tanh layers for forward hooks, and runs [B, 3] → [B, 27]', () => {
    const model = lecture();
    expect(model.tanhLayers().map(([name]) => name)).toEqual([
      'layers.4',
      'layers.7',
      'layers.10',
      'layers.13',
      'layers.16',
    ]);
    const seen: number[][] = [];
    for (const [, layer] of model.tanhLayers()) {
      expect(layer).toBeInstanceOf(Tanh);
      layer.registerForwardHook((_m, _inputs, out) => {
        seen.push([...(out as Tensor).shape]);
      });
    }
    const X = tensor([
      [0, 0, 1],
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(noGrad(() => model.logits(X)).shape).toEqual([4, 27]);
    expect(seen).toEqual(Array(5).fill([4, 100]));
    // Without BatchNorm nothing depends on the mode: train and eval give the same logits, bit for bit.
    const plain = lecture({ batchNorm: false });
    const trained = noGrad(() => plain.logits(X)).data;
    plain.eval();
    expect(noGrad(() => plain.logits(X)).data).toEqual(trained);
    expect(() => model.logits(tensor([[0, 0]]))).toThrow(
      'deep-mlp.logits: contexts must be int32 [B, 3] (blockSize 3), got [1, 2]',
    );
  });

  it('refuses invalid sizes with the flag and range', () => {
    expect(() => familyConfig('deep-mlp', { layers: 0 }, { vocabSize: 27 })).toThrow(
      'deep-mlp config: layers (--layers) must be an integer in [1, 32], got 0',
    );
    expect(() => familyConfig('deep-mlp', { nHidden: '1.5' }, { vocabSize: 27 })).toThrow(
      "deep-mlp config: nHidden (--n-hidden) must be an integer in [1, 4096], got '1.5'",
    );
    expect(
      () => new DeepMLP({ kind: 'deep-mlp', vocabSize: 27, blockSize: 3, nHidden: 0 }),
    ).toThrow('deep-mlp config: nHidden must be a positive integer, got 0');
  });

  it('trains on the bundled names (loss falls) with the default 75% decay, and evaluates in eval mode', () => {
    const { words } = bundledNames();
    const run = prepareRun({
      family: 'deep-mlp',
      rawConfig: { nHidden: 32, layers: 3 },
      words,
      seed: SEED,
      run: { steps: 80 },
      evalBatches: 2, // estimated on batches: the task's own loop, not evaluate()
    });
    expect(run.settings.schedule).toEqual({
      kind: 'PiecewiseConstantLR',
      boundaries: [60],
      values: [0.1, 0.01],
    });
    const bn = (run.model as DeepMLP).layers[3] as BatchNorm1d;
    const modes: boolean[] = [];
    bn.registerForwardHook((module) => {
      modes.push(module.training); // runs eagerly: the first (captured) step and the evaluations
    });
    let evaluations = 0;
    const progress = run.createTrainer({ evalEvery: 40, onEval: () => evaluations++ }).run();
    const average = (xs: ArrayLike<number>) =>
      Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
    expect(average(progress.losses.slice(-10))).toBeLessThan(
      average(progress.losses.slice(0, 10)) - 0.2,
    );
    // The evaluations ran in eval mode: the running stats saw the 80 training batches only.
    expect(evaluations).toBe(2);
    expect(bn.numBatchesTracked?.item()).toBe(80);
    expect(modes.filter((training) => !training)).toHaveLength(2 * 2 * 2); // 2 evals × train, dev × 2 batches
    expect(run.model.training).toBe(true); // and training resumed
  });

  it.skipIf(names === null)(
    "names.txt: the lecture's first loss, 3.2870 (gain 1, BatchNorm)",
    () => {
      const words = readWords(names as string).words;
      const first = prepareRun({
        family: 'deep-mlp',
        rawConfig: { gain: 1 },
        words,
        seed: SEED,
        run: { steps: 1 },
      })
        .createTrainer()
        .run().losses[0];
      // nn's BatchNorm1d normalises with the biased variance, the lecture's with the unbiased: 3.2868.
      expect(Math.abs(first - 3.287)).toBeLessThan(0.001);
    },
  );
});
