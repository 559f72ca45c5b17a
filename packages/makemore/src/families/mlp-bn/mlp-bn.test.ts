// makemore part 3 on the MLP, the `mlp-bn` family: the initial-loss fix, the tanh fixes and the
// lecture's hand-written BatchNorm as settings; with all three off it is the `mlp`, bit for bit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, readWords } from '@llm-playground/data';
import { noGrad, ShapeError, Tensor, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { lectureNamesPath } from '../../../../../tools/lecture-names.js';
import { loadCheckpoint, saveCheckpoint } from '../../checkpoint.js';
import { evaluate } from '../../evaluate.js';
import { prepareRun } from '../../prepare-run.js';
import { sample } from '../../sample.js';
import { familyConfig } from '../catalog.js';
import { estimateSize } from '../family.js';
import { MLP } from '../mlp/mlp.js';
import { createModel, getFamily } from '../registry.js';

const names = lectureNamesPath();
const { words } = bundledNames();
const tokenizer = CharTokenizer.fromWords(words);
const V = tokenizer.vocabSize; // 28: '.', '-' and a–z
const SEED = 2147483647;
/** The part 2 MLP: every fix off. */
const OFF = { fixInitialLoss: false, fixTanh: 'none', batchNorm: false };

/** The loss of the untrained model on the first 4,096 contexts of the bundled names. */
function initialLoss(settings: Record<string, unknown>): number {
  const config = familyConfig('mlp-bn', { ...OFF, ...settings }, { vocabSize: V });
  const model = createModel(config, { generator: new Generator(SEED) });
  return evaluate(model, buildContexts(words.slice(0, 600), tokenizer, 3));
}

describe('mlp-bn: part 3 settings', () => {
  it('with every fix off it is the part 2 mlp: same weights, same losses', () => {
    const losses = (family: string, rawConfig: Record<string, unknown>) => {
      const run = prepareRun({ family, rawConfig, words, seed: SEED, run: { steps: 30 } });
      return { losses: run.createTrainer().run().losses, state: run.model.stateDict() };
    };
    const mlp = losses('mlp', {});
    const off = losses('mlp-bn', OFF);
    expect(off.losses).toEqual(mlp.losses);
    expect(Object.keys(off.state)).toEqual(['C', 'W1', 'b1', 'W2', 'b2']);
    expect(off.state.W2.data).toEqual(mlp.state.W2.data);
  });

  it('fixInitialLoss brings the first loss from ~27 to the uniform guess −ln(1/V)', () => {
    const uniform = Math.log(V); // 3.3322 for 28 tokens (the lecture's 27: 3.2958)
    const before = initialLoss({});
    const after = initialLoss({ fixInitialLoss: true });
    expect(before).toBeGreaterThan(15); // confidently wrong: randn logits of std ≈ √200·1
    // W2·0.01: logits of std ≈ 0.14 around 0; the loss exceeds ln V by about var/2 ≈ 0.01.
    expect(after).toBeGreaterThan(uniform - 0.02);
    expect(after).toBeLessThan(uniform + 0.05);
    for (const fixTanh of ['scale', 'kaiming'] as const) {
      const loss = initialLoss({ fixInitialLoss: true, fixTanh });
      expect(Math.abs(loss - uniform)).toBeLessThan(0.05);
    }
  });

  it('scales the lecture draws: W2·0.01, b2·0, W1·0.2 or ·(5/3)/√30, b1·0.01', () => {
    const draw = (settings: Record<string, unknown>) =>
      new MLP(
        { kind: 'mlp', vocabSize: 27, blockSize: 3, ...settings },
        { generator: new Generator(SEED) },
      );
    const plain = draw({});
    const fixed = draw({ fixInitialLoss: true, fixTanh: 'scale' });
    const kaiming = draw({ fixTanh: 'kaiming' });
    const f = Math.fround;
    expect(fixed.C.data).toEqual(plain.C.data); // same stream, C untouched
    // As PyTorch, `t * s` rounds s to float32 first, then the product.
    const times = (x: number, s: number) => f(x * f(s));
    for (const k of [0, 7, 5399]) expect(fixed.W2.data[k]).toBe(times(plain.W2.data[k], 0.01));
    expect([...fixed.b2.data].every((x) => x === 0)).toBe(true);
    for (const k of [0, 123]) {
      expect(fixed.W1.data[k]).toBe(times(plain.W1.data[k], 0.2));
      expect(fixed.b1.data[k]).toBe(times(plain.b1.data[k], 0.01));
      expect(kaiming.W1.data[k]).toBe(f(plain.W1.data[k] * (5 / 3 / Math.sqrt(30))));
    }
    expect(kaiming.W2.data).toEqual(plain.W2.data);
  });

  it('batchNorm: 12,297 parameters, buffers, and the size estimate agrees', () => {
    const config = familyConfig('mlp-bn', {}, { vocabSize: 27 });
    const model = createModel(config) as MLP;
    // 11,897 + bngain 200 + bnbias 200 (the video keeps b1; the notebook's last cell prints 12,097 without it).
    expect(model.numParameters()).toBe(12297);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'C',
      'W1',
      'b1',
      'W2',
      'b2',
      'bngain',
      'bnbias',
    ]);
    expect(model.namedBuffers().map(([n]) => n)).toEqual(['bnmean_running', 'bnstd_running']);
    const size = estimateSize(getFamily('mlp-bn'), config);
    expect(size.parameters).toBe(12297);
    expect(size.tensors.map((t) => t.name)).toEqual(Object.keys(model.stateDict()));
  });

  it('batchNorm trains with the batch std (unbiased, no eps) and evaluates with the running stats', () => {
    const model = new MLP(
      { kind: 'mlp', vocabSize: 27, blockSize: 3, nHidden: 4, batchNorm: true },
      { generator: new Generator(1) },
    );
    const X = tensor([
      [0, 0, 1],
      [0, 1, 2],
      [1, 2, 3],
      [5, 9, 26],
    ]);
    const before = noGrad(() => model.preActivation(X));
    // Training: every unit has mean 0 and unbiased std 1 over the batch (bngain 1, bnbias 0).
    const h = before.data;
    for (let j = 0; j < 4; j++) {
      const col = [0, 1, 2, 3].map((i) => h[i * 4 + j]);
      const mean = col.reduce((a, b) => a + b) / 4;
      const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 4);
    }
    // Running stats moved by 0.001 of the batch's: 0.999·0 + 0.001·mean, 0.999·1 + 0.001·std.
    const raw = noGrad(() => {
      const emb = model.C.index(X).view(4, 30);
      return emb.matmul(model.W1).add(model.b1);
    });
    const batchMean = raw.mean(0);
    const batchStd = raw.std(0);
    const runningMean = model.bnmean_running as Tensor;
    const runningStd = model.bnstd_running as Tensor;
    for (let j = 0; j < 4; j++) {
      expect(runningMean.data[j]).toBeCloseTo(0.001 * batchMean.data[j], 6);
      expect(runningStd.data[j]).toBeCloseTo(0.999 + 0.001 * batchStd.data[j], 6);
    }
    // Eval: the same formula on the running stats; the outputs differ from training only by BN.
    runningMean.data.set(batchMean.data);
    runningStd.data.set(batchStd.data);
    model.eval();
    const evaluated = noGrad(() => model.preActivation(X));
    for (let k = 0; k < 16; k++) expect(evaluated.data[k]).toBeCloseTo(h[k], 5);
    // One context is fine in eval mode, refused in training (the batch std of one value is undefined).
    expect(model.logits(tensor([[0, 0, 0]])).shape).toEqual([1, 27]);
    model.train();
    expect(() => model.logits(tensor([[0, 0, 0]]))).toThrow(ShapeError);
    expect(() => model.logits(tensor([[0, 0, 0]]))).toThrow(
      'Expected more than 1 value per channel when training, got input size [1, 4]',
    );
  });

  it('a run keeps the running stats in step, captured or eager; they survive a checkpoint', () => {
    const rawConfig = { nHidden: 50, fixInitialLoss: true, fixTanh: 'kaiming', batchNorm: true };
    const run = (capture: boolean) => {
      const prepared = prepareRun({
        family: 'mlp-bn',
        rawConfig,
        words,
        seed: SEED,
        run: { steps: 60 },
      });
      const progress = prepared.createTrainer({ capture }).run();
      return { prepared, progress };
    };
    const captured = run(true);
    const eager = run(false);
    expect(captured.progress.losses).toEqual(eager.progress.losses);
    const model = captured.prepared.model as MLP;
    const mean = (model.bnmean_running as Tensor).data;
    expect(mean).toEqual((eager.prepared.model as MLP).bnmean_running?.data);
    expect(mean.some((x) => x !== 0)).toBe(true);
    const average = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const losses = Array.from(captured.progress.losses);
    expect(average(losses.slice(-10))).toBeLessThan(average(losses.slice(0, 10)) - 0.1);
    // Sampling and evaluation run in eval mode (one context at a time) and leave the model training.
    const samples = sample(model, captured.prepared.tokenizer, {
      count: 3,
      generator: new Generator(3),
    });
    expect(samples.words).toHaveLength(3);
    expect(Number.isFinite(evaluate(model, captured.prepared.data.dev))).toBe(true);
    expect(model.training).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'mlp-bn-'));
    try {
      saveCheckpoint(dir, {
        config: model.config,
        tokenizer: captured.prepared.tokenizer,
        model,
        step: 60,
      });
      const loaded = loadCheckpoint(dir);
      const restored = loaded.model as MLP;
      expect(restored.config.batchNorm).toBe(true);
      expect(restored.bnmean_running?.data).toEqual(mean);
      expect(restored.bnstd_running?.data).toEqual(model.bnstd_running?.data);
      const X = new Tensor(captured.prepared.data.dev.X.subarray(0, 30), [10, 3]);
      model.eval();
      restored.eval();
      expect(restored.logits(X).data).toEqual(model.logits(X).data);
      model.train();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad fixTanh in the config, naming the choices', () => {
    expect(() => familyConfig('mlp-bn', { fixTanh: 'xavier' }, { vocabSize: 27 })).toThrow(
      "mlp-bn config: fixTanh (--fix-tanh) must be one of 'none', 'scale', 'kaiming', got 'xavier'",
    );
  });

  it.skipIf(names === null)(
    "names.txt: the lecture's first losses, 27.8817 → 3.3221 with the softmax fix",
    () => {
      const lectureWords = readWords(names as string).words;
      const first = (rawConfig: Record<string, unknown>) =>
        prepareRun({
          family: 'mlp-bn',
          rawConfig: { ...OFF, ...rawConfig },
          words: lectureWords,
          seed: SEED,
          run: { steps: 1 },
        })
          .createTrainer()
          .run().losses[0];
      expect(first({}).toFixed(4)).toBe('27.8817');
      // The video prints 3.3221 after `W2 * 0.01, b2 * 0`; −ln(1/27) = 3.2958.
      expect(first({ fixInitialLoss: true }).toFixed(4)).toBe('3.3221');
    },
  );
});
