import { Generator } from '@llm-playground/core';
import { bundledBook, bundledNames } from '@llm-playground/data';
import { BpeTextTokenizer, generate } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import type { Inspection } from './lm-inspect.js';
import {
  type CallError,
  encodePrompt,
  type GenerateChunk,
  type LmEvaluation,
  LmSessionTrainer,
  type LmSettings,
} from './lm-kind.js';

const TEXT = 'the cat sat on the mat. the dog sat on the log.\n'.repeat(40);
const settings: LmSettings = {
  model: { architecture: 'blocks', blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 1, dropout: 0 },
  lr: 1e-2,
  steps: 60,
  batchSize: 16,
  seed: 1337,
  evalEvery: 30,
};

function gpt() {
  return new LmSessionTrainer({ family: 'gpt', settings, text: TEXT, textLabel: 'cats.txt' });
}

describe('LmSessionTrainer (gpt on a text)', () => {
  it('trains: the loss falls from ln V, evaluations carry train/val losses and a sample', () => {
    const trainer = gpt();
    // '\n', ' ', '.' and 12 letters.
    expect(trainer.info.vocabSize).toBe(15);
    expect(trainer.info.train).toBe(Math.floor(TEXT.length * 0.9));
    const slice = trainer.runSlice({ maxSteps: 60, maxMillis: Number.POSITIVE_INFINITY });
    const losses = slice.series.loss;
    expect(losses.length).toBe(60);
    expect(losses[0]).toBeCloseTo(Math.log(15), 1);
    expect(losses[59]).toBeLessThan(losses[0] - 0.8);
    const events = slice.events as LmEvaluation[];
    expect(events.map((e) => e.step)).toEqual([30, 60]);
    expect(events[1].dev).toBeLessThan(events[0].dev);
    expect(events[1].sample.length).toBe(200);
    expect(trainer.stop?.reason).toBe('done');
  });

  it('streams a generation in chunks that equal one generate() call with the same seed', () => {
    const trainer = gpt();
    trainer.runSlice({ maxSteps: 20, maxMillis: Number.POSITIVE_INFINITY });
    const args = { prompt: 'the ', maxNewTokens: 120, temperature: 0.8, topK: 5, seed: 7 };
    let chunk = trainer.call('generate', args).value as GenerateChunk;
    let text = chunk.text;
    while (!chunk.done) {
      chunk = trainer.call('generate-more', { id: chunk.id }).value as GenerateChunk;
      text += chunk.text;
    }
    const ids = generate(trainer.model as never, encodePrompt(trainer.tokenizer, 'the '), {
      maxNewTokens: 120,
      temperature: 0.8,
      topK: 5,
      generator: new Generator(7),
    });
    expect(text).toBe(trainer.tokenizer.decode(ids.subarray(4)));
    expect(text.length).toBe(120);
  });

  it('answers bad prompts with a message and keeps the model', () => {
    const trainer = gpt();
    trainer.runSlice({ maxSteps: 5, maxMillis: Number.POSITIVE_INFINITY });
    const empty = trainer.call('generate', { prompt: '' }).value as CallError;
    expect(empty.error).toMatch(/^The prompt is empty/);
    const unknown = trainer.call('generate', { prompt: 'The Cat!' }).value as CallError;
    expect(unknown.error).toBe(
      `"T", "C", "!" are not in the model's vocabulary of 15 characters (those of its training text): remove or replace them`,
    );
    expect((trainer.call('inspect', { prompt: '' }).value as CallError).error).toMatch(/prompt/);
    expect(trainer.step).toBe(5);
  });

  it('settings the text cannot take throw, and the model stays', () => {
    const trainer = gpt();
    trainer.runSlice({ maxSteps: 3, maxMillis: Number.POSITIVE_INFINITY });
    const model = trainer.model;
    const tooLong = { ...settings, model: { ...settings.model, blockSize: 500 } };
    expect(() => trainer.configure(tooLong)).toThrow(
      'blockSize (--block-size) 500 is too large for the text: its validation part has 192 characters (of 1920, split 90/10)',
    );
    expect(trainer.model).toBe(model);
    expect(trainer.step).toBe(3);
    expect(trainer.configure(settings)).toBe('live');
  });

  it('looks inside: every head a T×T causal attention whose rows sum to 1', () => {
    const trainer = gpt();
    trainer.runSlice({ maxSteps: 10, maxMillis: Number.POSITIVE_INFINITY });
    const view = trainer.call('inspect', { prompt: 'the cat sat', topK: 3 }).value as Inspection;
    // 11 characters, block 8: the last 8 are read.
    expect(view.tokens.join('')).toBe(' cat sat');
    expect(view.droppedCharacters).toBe(3);
    expect(view.layers.length).toBe(1);
    expect(view.layers[0].heads.length).toBe(2);
    for (const head of view.layers[0].heads) {
      head.forEach((row, q) => {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        for (let k = q + 1; k < row.length; k++) expect(row[k]).toBe(0);
      });
    }
    expect(view.topK[0].length).toBe(3);
    expect(view.residualNorms.length).toBe(2);
  });
});

describe('LmSessionTrainer (gpt on BPE tokens)', () => {
  it('trains a 300-token BPE first: vocab 300, loss ≈ ln 300 at init, loss per character = per token × tokens/char', async () => {
    const text = (await bundledBook()).text.slice(0, 30_000);
    const init = { family: 'gpt', settings: { ...settings, bpeVocabSize: 300 }, text };
    const trainer = new LmSessionTrainer(init);
    const bpe = trainer.tokenizer as BpeTextTokenizer;
    expect(bpe).toBeInstanceOf(BpeTextTokenizer);
    expect([trainer.info.vocabSize, trainer.info.chars.length]).toEqual([300, 300]);
    expect(trainer.info.bpeSeconds).toBeGreaterThan(0);
    // The factor: tokens / characters of the validation part (the split is 90/10 in tokens).
    const ids = bpe.encodeText(text);
    const n = Math.floor(0.9 * ids.length);
    const factor = (ids.length - n) / [...bpe.decode(ids.slice(n))].length;
    expect(trainer.info.tokensPerCharacter).toBeCloseTo(factor, 12);
    expect(factor).toBeGreaterThan(0.4);
    expect(factor).toBeLessThan(0.7);
    expect(trainer.info.train).toBe(n);
    const slice = trainer.runSlice({ maxSteps: 30, maxMillis: Number.POSITIVE_INFINITY });
    expect(slice.series.loss[0]).toBeCloseTo(Math.log(300), 1);
    const [evaluation] = slice.events as LmEvaluation[];
    expect(evaluation.devPerCharacter).toBeCloseTo(evaluation.dev * factor, 10);
    expect(evaluation.devPerCharacter).toBeLessThan(evaluation.dev);
    // A change of rate builds a new model on the same BPE (not trained again).
    const seconds = trainer.info.bpeSeconds;
    expect(trainer.configure({ ...init.settings, lr: 3e-3 })).toBe('restart');
    expect(trainer.info.bpeSeconds).toBe(seconds);
  });

  it('streams whole characters (a token can end inside one) and opens its own checkpoint', async () => {
    const text = (await bundledBook()).text.slice(0, 30_000);
    const trainer = new LmSessionTrainer({
      family: 'gpt',
      settings: { ...settings, bpeVocabSize: 300 },
      text,
    });
    trainer.runSlice({ maxSteps: 5, maxMillis: Number.POSITIVE_INFINITY });
    // Any text encodes (bytes): an emoji prompt, and the raw bytes of 300 random tokens.
    const args = { prompt: 'Ahab 😀', maxNewTokens: 300, temperature: 2, seed: 3 };
    let chunk = trainer.call('generate', args).value as GenerateChunk;
    let streamed = chunk.text;
    while (!chunk.done) {
      chunk = trainer.call('generate-more', { id: chunk.id }).value as GenerateChunk;
      streamed += chunk.text;
    }
    const prompt = encodePrompt(trainer.tokenizer, 'Ahab 😀');
    expect(trainer.tokenizer.decode(prompt)).toBe('Ahab 😀');
    const all = generate(trainer.model as never, prompt, {
      maxNewTokens: 300,
      temperature: 2,
      generator: new Generator(3),
    });
    const bpe = trainer.tokenizer as BpeTextTokenizer;
    expect(streamed).toBe(new TextDecoder().decode(bpe.decodeBytes(all.subarray(prompt.length))));

    const files = trainer.call('save', {}).value as Record<string, string | Uint8Array>;
    const chars = gpt();
    expect(chars.info.tokensPerCharacter).toBe(1);
    chars.call('load', { files: { 'model.safetensors': files['model.safetensors'] } });
    expect(chars.info.vocabSize).toBe(300);
    expect(chars.tokenizer).toBeInstanceOf(BpeTextTokenizer);
    expect(chars.step).toBe(5);
  });
});

describe('LmSessionTrainer checkpoints', () => {
  it('saves the CLI checkpoint and opens it: same weights, same step, same next losses', () => {
    const trainer = gpt();
    trainer.runSlice({ maxSteps: 12, maxMillis: Number.POSITIVE_INFINITY });
    const saved = trainer.call('save', {});
    const files = saved.value as { 'checkpoint.json': string; 'model.safetensors': Uint8Array };
    expect(JSON.parse(files['checkpoint.json']).config.kind).toBe('gpt');
    expect(saved.transfer).toEqual([files['model.safetensors'].buffer]);
    const next = trainer.runSlice({ maxSteps: 3, maxMillis: Number.POSITIVE_INFINITY });

    const other = gpt(); // a fresh model at step 0
    // model.safetensors alone carries its checkpoint.json.
    const opened = other.call('load', {
      files: { 'model.safetensors': files['model.safetensors'].slice() },
      fileName: 'model.safetensors',
    });
    expect(opened.restarted).toBe(true);
    expect(other.step).toBe(12);
    expect(other.info.loadedFrom).toBe('model.safetensors');
    const resumed = other.runSlice({ maxSteps: 3, maxMillis: Number.POSITIVE_INFINITY });
    expect(resumed.firstStep).toBe(12);
    expect(Array.from(resumed.series.loss)).toEqual(Array.from(next.series.loss));
  });

  it('refuses a checkpoint of another family or a broken file, and keeps the model', () => {
    const rnn = new LmSessionTrainer({
      family: 'rnn',
      words: bundledNames().words.slice(0, 100),
      settings: { ...settings, model: { nEmbd: 4, nEmbd2: 4 } },
    });
    const files = rnn.call('save', {}).value as Record<string, string | Uint8Array>;
    const trainer = gpt();
    trainer.runSlice({ maxSteps: 4, maxMillis: Number.POSITIVE_INFINITY });
    const before = trainer.model;
    const wrong = trainer.call('load', { files });
    expect(wrong.restarted).toBeUndefined();
    expect((wrong.value as CallError).error).toBe(
      'this checkpoint is a rnn model; the GPT page opens gpt checkpoints',
    );
    const broken = trainer.call('load', {
      files: { 'model.safetensors': new Uint8Array([1, 2, 3]) },
    });
    expect((broken.value as CallError).error).toMatch(/safetensors/);
    const none = trainer.call('load', { files: { 'checkpoint.json': '{}' } });
    expect((none.value as CallError).error).toMatch(/^choose the model.safetensors file/);
    expect(trainer.model).toBe(before);
    expect(trainer.step).toBe(4);
  });
});

describe('LmSessionTrainer (the zoo on names)', () => {
  it('an RNN: trains, samples names, and its hidden state has one row per character', () => {
    const words = bundledNames().words.slice(0, 400);
    const trainer = new LmSessionTrainer({
      family: 'rnn',
      words,
      settings: {
        ...settings,
        model: { nEmbd: 8, nEmbd2: 12 },
        lr: 5e-3,
        steps: 40,
        evalEvery: 40,
      },
    });
    expect(trainer.info.config.blockSize).toBe(Math.max(...words.map((w) => w.length)) + 1);
    const slice = trainer.runSlice({ maxSteps: 40, maxMillis: Number.POSITIVE_INFINITY });
    expect((slice.events as LmEvaluation[])[0].sample.split(' ').length).toBe(8);
    const hidden = trainer.call('hidden', { prompt: 'emma' }).value as {
      tokens: string[];
      states: number[][];
    };
    expect(hidden.tokens).toEqual(['.', 'e', 'm', 'm', 'a']);
    expect(hidden.states.length).toBe(5);
    expect(hidden.states[0].length).toBe(12);
    // tanh: every unit in (−1, 1).
    expect(hidden.states.flat().every((x) => Math.abs(x) < 1)).toBe(true);
  });

  it('a transformer: attention over a name (4 layers of 4 heads); an RNN refuses it by name', () => {
    const words = bundledNames().words.slice(0, 200);
    const trainer = new LmSessionTrainer({
      family: 'transformer',
      words,
      settings: { ...settings, model: { nEmbd: 16, nLayer: 4, nHead: 4 }, steps: 5 },
    });
    trainer.runSlice({ maxSteps: 5, maxMillis: Number.POSITIVE_INFINITY });
    const view = trainer.call('inspect', { prompt: '.emma' }).value as Inspection;
    expect(view.tokens).toEqual(['.', 'e', 'm', 'm', 'a']);
    expect(view.layers.map((l) => l.heads.length)).toEqual([4, 4, 4, 4]);
    expect(view.layers[3].heads[2][4].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const rnn = new LmSessionTrainer({
      family: 'rnn',
      words,
      settings: { ...settings, model: { nEmbd: 4, nEmbd2: 4 } },
    });
    expect((rnn.call('inspect', { prompt: '.emma' }).value as CallError).error).toMatch(
      /this is a rnn model; inspectAttention reads gpt and transformer models/,
    );
  });
});
