// The GPT lecture's model as the `gpt` family: text windows with shifted targets, the ladder's
// architectures and parameter counts (gpt.py's 10,788,929), loss at init = ln V, causal masking,
// presets, a short run on a text, dropout in eager mode, checkpoints, and bad input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { bundledBook, bundledNames, CharTokenizer } from '@llm-playground/data';
import { type Embedding, F } from '@llm-playground/nn';
import { noGrad, Tensor, tensor } from '@llm-playground/tensor';
import { expectClose } from '@llm-playground/tensor/testing';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../checkpoint.js';
import { evaluate } from '../../evaluate.js';
import { generate } from '../../generate.js';
import { prepareRun } from '../../prepare-run.js';
import { MinibatchSampler } from '../../tasks/minibatch-sampler.js';
import { textData } from '../../training-data.js';
import { familyConfig } from '../catalog.js';
import { estimateSize } from '../family.js';
import { createModel, getFamily } from '../registry.js';
import type { GPT } from './gpt.js';
import { GPT_ARCHITECTURES, gptPresets } from './schema.js';

const TEXT = bundledNames().words.join('\n');
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const gpt = (settings: Record<string, unknown>, vocabSize = 65) =>
  createModel(familyConfig('gpt', settings, { vocabSize }), {
    generator: new Generator(1337),
  }) as GPT;

describe('gpt', () => {
  it("uses the lecture's vocabulary (data's CharTokenizer.fromText): newline = id 0", () => {
    const run = prepareRun({
      family: 'gpt',
      text: TEXT,
      rawConfig: { blockSize: 8 },
      run: { steps: 1 },
    });
    expect(run.tokenizer.itos.join('')).toBe('\n-abcdefghijklmnopqrstuvwxyz');
    expect(run.config.vocabSize).toBe(28);
  });

  it("draws the lecture's get_batch: random windows, targets shifted by one, 90/10 split", () => {
    const tokenizer = CharTokenizer.fromText(TEXT);
    const tokens = tokenizer.encodeText(TEXT);
    const { train, dev } = textData(TEXT, tokenizer, 8);
    const n = Math.floor(0.9 * tokens.length);
    expect([train.length, dev.length]).toEqual([n - 8, tokens.length - n - 8]);
    expect(dev.X[0]).toBe(tokens[n]);
    const sampler = new MinibatchSampler(train, 4);
    sampler.next(new Generator(1337));
    expect([sampler.X.shape, sampler.Y.shape]).toEqual([
      [4, 8],
      [4, 8],
    ]);
    const x = sampler.X.tolist() as number[][];
    const y = sampler.Y.tolist() as number[][];
    for (let b = 0; b < 4; b++) {
      expect(y[b].slice(0, 7)).toEqual(x[b].slice(1));
      // the window's start i: the text continues after it
      const start = tokens.findIndex((_, i) => x[b].every((t, k) => tokens[i + k] === t));
      expect(y[b][7]).toBe(tokens[start + 8]);
    }
  });

  it("counts the ladder's parameters (gpt.py: 10,788,929); the estimate lists the state dict", () => {
    expect(gpt({ architecture: 'bigram', blockSize: 8 }).numParameters()).toBe(65 * 65);
    const lecture = { blockSize: 256, nEmbd: 384, nHead: 6, nLayer: 6, dropout: 0.2 };
    expect(
      estimateSize(getFamily('gpt'), familyConfig('gpt', lecture, { vocabSize: 65 })).parameters,
    ).toBe(10_788_929);
    const shapes = (entries: [string, readonly number[]][]) =>
      entries.map(([n, s]) => `${n} [${s}]`).sort();
    for (const architecture of GPT_ARCHITECTURES) {
      const model = gpt({ architecture, blockSize: 8, nEmbd: 32, nHead: 4, nLayer: 2 });
      const size = estimateSize(getFamily('gpt'), model.config);
      expect(size.parameters).toBe(model.numParameters());
      expect(shapes(size.tensors.map((t) => [t.name, t.shape]))).toEqual(
        shapes(Object.entries(model.stateDict()).map(([k, t]) => [k, t.shape])),
      );
    }
    // one head of 32: token 65·32 + position 8·32 + k, q, v 3·32·32 + head 32·65 + 65
    expect(gpt({ architecture: 'one-head', blockSize: 8, nEmbd: 32 }).numParameters()).toBe(
      65 * 32 + 8 * 32 + 3 * 32 * 32 + 32 * 65 + 65,
    );
  });

  it('starts at loss ln V (N(0, 0.02) weights) and is causal at every rung', () => {
    const V = 65;
    const generator = new Generator(7);
    const X = new Tensor(
      Int32Array.from({ length: 4 * 8 }, () => generator.randint(0, V)),
      [4, 8],
    );
    const Y = new Tensor(
      Int32Array.from({ length: 4 * 8 }, () => generator.randint(0, V)),
      [4, 8],
    );
    for (const architecture of GPT_ARCHITECTURES.filter((a) => a !== 'bigram')) {
      const model = gpt({ architecture, blockSize: 8, nEmbd: 32, nHead: 4, nLayer: 2 });
      // logits of spread σ ≈ 0.02·√32 ≈ 0.11 give ln V + σ²/2; 32 random targets add ±0.02.
      expect(Math.abs(noGrad(() => model.loss(X, Y).item()) - Math.log(V))).toBeLessThan(0.05);
      const a = tensor([[1, 2, 3, 4, 5, 6, 7, 8]]);
      const b = tensor([[1, 2, 3, 4, 60, 6, 7, 8]]);
      const [x, y] = noGrad(() => [model.forward(a), model.forward(b)]);
      expect(Array.from(y.data.slice(0, 4 * V))).toEqual(Array.from(x.data.slice(0, 4 * V)));
      expect(y.data[4 * V]).not.toBe(x.data[4 * V]);
      // the attention weights: one [1, heads, 8, 8] per layer, causal rows summing to 1
      const layers = model.attentionWeights(a);
      const heads = architecture === 'one-head' ? 1 : 4;
      expect(layers.map((w) => w.shape)).toEqual(
        Array(architecture === 'blocks' ? 2 : 1).fill([1, heads, 8, 8]),
      );
      const w = layers[0].select(0, 0).select(0, 0).tolist() as number[][];
      w.forEach((row, t) => {
        expect(row.slice(t + 1).every((p) => p === 0)).toBe(true);
        expect(row.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 6);
      });
      expect(w[0][0]).toBe(1);
      if (model.saHead) {
        // the same weights as the head's forward: out = weights · v
        const x = noGrad(() =>
          (model.tokenEmbeddingTable.forward(a) as Tensor).add(
            (model.positionEmbeddingTable as Embedding).forward(tensor([0, 1, 2, 3, 4, 5, 6, 7])),
          ),
        );
        const head = model.saHead;
        const expected = noGrad(() => head.forward(x));
        const got = noGrad(() => layers[0].select(1, 0).matmul(head.value.forward(x)));
        expectClose(got, expected, { atol: 1e-6 });
      }
    }
  });

  it('trains on the bundled book with the nanoGPT CPU preset: vocab 83, 90/10 split, first loss ln 83', async () => {
    const { text } = await bundledBook();
    const preset = gptPresets['nanogpt-cpu'];
    const run = prepareRun({
      family: 'gpt',
      text,
      rawConfig: preset.config,
      run: { ...preset.run, steps: 1 },
    });
    expect(run.config.vocabSize).toBe(83);
    expect(run.splitFingerprint).toMatchObject({ train: 1_071_285, dev: 119_032 });
    // 83·128 + 64·128 + 4 · 197,888 per block + 256 (ln_f) + 128·83 + 83
    expect(run.model.numParameters()).toBe(821_331);
    expect(estimateSize(getFamily('gpt'), run.config).parameters).toBe(821_331);
    const loss = run.createTrainer().run().losses[0];
    expect(Math.abs(loss - Math.log(83))).toBeLessThan(0.05);
  });

  it("evaluates a text's windows once each: the mean cross-entropy over non-overlapping blocks", () => {
    const text = TEXT.slice(0, 2000);
    const tokenizer = CharTokenizer.fromText(text);
    const { dev } = textData(text, tokenizer, 8); // 200 characters: 192 windows
    const model = gpt({ blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1 }, tokenizer.vocabSize);
    const tokens = dev.X; // the validation text
    let total = 0;
    let count = 0;
    for (let start = 0; start + 1 < tokens.length; start += 8) {
      const T = Math.min(8, tokens.length - 1 - start);
      const x = new Tensor(tokens.slice(start, start + T), [1, T]);
      const y = Array.from(tokens.slice(start + 1, start + 1 + T));
      const logits = noGrad(() => model.forward(x)).view(T, -1);
      total += noGrad(() => F.crossEntropy(logits, tensor(y)).item()) * T;
      count += T;
    }
    expect(count).toBe(199);
    expect(evaluate(model, dev)).toBeCloseTo(total / count, 5);
  });

  it('presets parse as configs; nanoGPT CPU is block 64, batch 12, 4 layers, 4 heads, n_embd 128', () => {
    for (const [name, preset] of Object.entries(gptPresets)) {
      const config = familyConfig('gpt', preset.config, { vocabSize: 65, source: name });
      expect(config.architecture).toBe(preset.config.architecture);
    }
    const cpu = gptPresets['nanogpt-cpu'];
    expect([
      cpu.config.blockSize,
      cpu.run.batchSize,
      cpu.config.nLayer,
      cpu.config.nHead,
      cpu.config.nEmbd,
    ]).toEqual([64, 12, 4, 4, 128]);
    expect(gptPresets.dropout.config.dropout).toBe(0.2);
  });

  it('trains on a text (loss falls, captured), evaluates the validation split, round-trips a checkpoint', () => {
    const run = prepareRun({
      family: 'gpt',
      text: TEXT,
      rawConfig: { blockSize: 16, nEmbd: 32, nHead: 4, nLayer: 1 },
      run: { steps: 150, lr: 3e-3 },
    });
    expect(run.tokenizer.itos[0]).toBe('\n');
    expect(run.splitFingerprint.train + run.splitFingerprint.dev).toBe(TEXT.length);
    const trainer = run.createTrainer();
    expect(trainer.captured).toBe(true);
    const progress = trainer.run();
    const first = mean(progress.losses.slice(0, 10));
    expect(Math.abs(progress.losses[0] - Math.log(run.tokenizer.vocabSize))).toBeLessThan(0.05);
    expect(mean(progress.losses.slice(-10))).toBeLessThan(first - 0.35); // measured: 3.09 → 2.7
    const dev = evaluate(run.model, run.data.dev);
    // measured 2.83 (ln V = 3.33): non-overlapping windows, so contexts of 0–15 characters
    expect(dev).toBeLessThan(Math.log(run.tokenizer.vocabSize) - 0.4);
    expect(Number.isNaN(evaluate(run.model, run.data.test))).toBe(true);
    // generate.ts drives it (the growing text, cropped to the block): 40 new characters.
    const ids = generate(run.model as GPT, [0], { maxNewTokens: 40, generator: new Generator(1) });
    expect(ids.length).toBe(41);
    expect(run.tokenizer.decode(ids)).toMatch(/^\n[a-z\n-]{40}$/);
    const dir = mkdtempSync(join(tmpdir(), 'gpt-'));
    try {
      saveCheckpoint(dir, {
        config: run.config,
        tokenizer: run.tokenizer,
        model: run.model,
        step: 150,
      });
      const restored = loadCheckpoint(dir);
      expect(restored.tokenizer.itos).toEqual(run.tokenizer.itos);
      const X = new Tensor(run.data.dev.X.slice(0, 32), [2, 16]);
      expect(noGrad(() => (restored.model as GPT).forward(X)).data).toEqual(
        noGrad(() => (run.model as GPT).forward(X)).data,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains with dropout captured: the same masks and losses as eager steps, bit for bit; eval mode turns it off', () => {
    const options = {
      family: 'gpt',
      text: TEXT.slice(0, 20_000),
      rawConfig: { blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1, dropout: 0.2 },
      run: { steps: 12 },
    };
    const captured = prepareRun(options);
    const trainer = captured.createTrainer();
    expect(trainer.captured).toBe(true);
    const losses = Array.from(trainer.run().losses);
    const eager = prepareRun(options);
    const eagerTrainer = eager.createTrainer({ capture: false });
    expect(eagerTrainer.captured).toBe(false);
    expect(Array.from(eagerTrainer.run().losses)).toEqual(losses);
    const want = eager.model.stateDict();
    for (const [name, t] of Object.entries(captured.model.stateDict())) {
      expect(Array.from(t.data), name).toEqual(Array.from(want[name].data));
    }
    const X = new Tensor(captured.data.dev.X.slice(0, 8), [1, 8]);
    captured.model.eval();
    expect(noGrad(() => captured.model.logits(X)).data).toEqual(
      noGrad(() => captured.model.logits(X)).data,
    );
    captured.model.train();
    expect(noGrad(() => captured.model.logits(X)).data).not.toEqual(
      noGrad(() => captured.model.logits(X)).data,
    );
  });

  it('refuses a block larger than the text, heads that do not divide nEmbd, an empty or binary text, words', () => {
    expect(() =>
      prepareRun({ family: 'gpt', text: 'hello world, '.repeat(3), rawConfig: { blockSize: 40 } }),
    ).toThrow(
      'blockSize (--block-size) 40 is too large for the text: its training part has 35 characters (of 39, split 90/10), and a window needs blockSize + 1; use a block size below 35 or a longer text',
    );
    expect(() => familyConfig('gpt', { nEmbd: 30, nHead: 4 }, { vocabSize: 65 })).toThrow(
      'gpt config: embed_dim must be divisible by num_heads: nEmbd (--n-embd) 30 is not a multiple of nHead (--n-head) 4',
    );
    expect(
      familyConfig('gpt', { architecture: 'bigram', nEmbd: 30, nHead: 4 }, { vocabSize: 65 }).nHead,
    ).toBe(4);
    expect(() => prepareRun({ family: 'gpt', text: '' })).toThrow('the text is empty');
    expect(() => prepareRun({ family: 'gpt', text: 'ab\u0000cd' })).toThrow(
      'prepareRun: the text holds a NUL character at position 2: is it a binary file?',
    );
    expect(() => prepareRun({ family: 'gpt', words: ['emma'] })).toThrow(
      'prepareRun: gpt trains on a text: pass { text } (lmp: -i book.txt), got none',
    );
    expect(() => familyConfig('gpt', { architecture: 'rnn' }, { vocabSize: 65 })).toThrow(
      ConfigErrorLike,
    );
  });
});

const ConfigErrorLike =
  /architecture \(--architecture\) must be one of 'bigram', 'one-head', 'multi-head', 'feed-forward', 'blocks'/;
