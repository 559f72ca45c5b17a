import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { describe, expect, it } from 'vitest';
import { checkpointChecksum, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import { familyConfig, getFamily } from './families/registry.js';
import { MLP } from './mlp.js';
import { runSettings } from './run-settings.js';
import { languageModelTask } from './tasks/language-model.js';
import { moonsTask } from './tasks/moons.js';
import { Trainer, type TrainerState } from './trainer.js';

const words = bundledNames().words.filter((_, i) => i % 10 === 0);
const tokenizer = CharTokenizer.fromWords(words);
const data = buildContexts(splitWords(words).train, tokenizer, 3);
const config = familyConfig('mlp', { nHidden: 24 }, { vocabSize: tokenizer.vocabSize });
const newModel = () => new MLP(config, { generator: new Generator(2147483647) });
const tempDir = () => join(mkdtempSync(join(tmpdir(), 'trainer-ckpt-')), 'run');

function settings(kind: 'sgd' | 'adamw') {
  const lr = kind === 'sgd' ? 0.1 : 0.01;
  const s = runSettings(getFamily('mlp'), { optimizer: kind, lr, steps: 300 });
  return { steps: s.steps, optimizer: s.optimizer, schedule: s.schedule };
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

describe('checkpoint ⇄ Trainer', () => {
  for (const kind of ['sgd', 'adamw'] as const) {
    it(`300 steps straight = 150 + save + load + resume 150, bit for bit (mlp, ${kind})`, () => {
      const straightModel = newModel();
      const straight = new Trainer(languageModelTask(straightModel, data), {
        ...settings(kind),
        generator: new Generator(42),
      }).run();
      expect(straight.losses.length).toBe(300);

      const model = newModel();
      const first = new Trainer(languageModelTask(model, data), {
        ...settings(kind),
        generator: new Generator(42),
      });
      const half = first.runSlice({ maxSteps: 150 });
      const dir = tempDir();
      saveCheckpoint(dir, {
        config,
        tokenizer,
        model,
        step: first.step,
        trainerState: first.state(),
      });

      const loaded = loadCheckpoint(dir);
      expect(loaded.step).toBe(150);
      expect(loaded.trainerState?.step).toBe(150);
      expect(loaded.trainerState?.optimizerSettings.kind).toBe(kind);
      // The old fields are there too, for readers that know only them.
      expect(loaded.optimizerState?.kind).toBe(kind === 'sgd' ? 'SGD' : 'AdamW');
      expect(loaded.generatorState?.mt).toEqual(first.generator.getState().mt);
      const resumed = Trainer.resume(
        languageModelTask(loaded.model, data),
        loaded.trainerState as TrainerState,
      );
      const rest = resumed.run();
      expect(rest.fromStep).toBe(150);
      expect([...half.losses, ...rest.losses]).toEqual(Array.from(straight.losses));
      const want = straightModel.stateDict();
      for (const [name, t] of Object.entries(loaded.model.stateDict())) {
        expect(sameBits(t.data as Float32Array, want[name].data as Float32Array), name).toBe(true);
      }
      // The lecture schedule's decay (at 150) is where the uninterrupted run has it.
      expect(resumed.lr).toBe(kind === 'sgd' ? 0.01 : 0.001);
    });
  }

  it('an old checkpoint (step + optimizerState + generatorState) resumes via startStep', () => {
    const straight = new Trainer(languageModelTask(newModel(), data), {
      ...settings('adamw'),
      generator: new Generator(42),
    }).run();
    const model = newModel();
    const first = new Trainer(languageModelTask(model, data), {
      ...settings('adamw'),
      generator: new Generator(42),
    });
    const half = first.runSlice({ maxSteps: 150 });
    const dir = tempDir();
    saveCheckpoint(dir, {
      config,
      tokenizer,
      model,
      step: first.step,
      optimizerState: first.optimizer.stateDict() as never,
      generatorState: first.generator.getState(),
    });
    const loaded = loadCheckpoint(dir);
    expect(loaded.trainerState).toBeUndefined();
    const generator = new Generator(0);
    generator.setState(loaded.generatorState as never);
    const resumed = new Trainer(languageModelTask(loaded.model, data), {
      ...settings('adamw'),
      generator,
      startStep: loaded.step,
      optimizerState: loaded.optimizerState,
    });
    const rest = resumed.run();
    // The divergence window restarts empty, which changes no loss of a healthy run.
    expect([...half.losses, ...rest.losses]).toEqual(Array.from(straight.losses));
    // The run's first loss is not in such a checkpoint: the reference is the first loss after
    // the resume (carried on by the trainer state from then on).
    expect(first.state().divergence.firstLoss).toBe(half.losses[0]);
    expect(resumed.state().divergence.firstLoss).toBe(rest.losses[0]);
  });

  it('an old checkpoint resumed at a rate that blows up: the bound comes from the first loss after the resume', () => {
    const model = newModel();
    const first = new Trainer(languageModelTask(model, data), {
      ...settings('sgd'),
      generator: new Generator(42),
    });
    const half = first.runSlice({ maxSteps: 150 });
    // The run started far above a uniform guess (the untrained MLP's 9.4 > 2·ln 27 = 6.6).
    expect(half.losses[0]).toBeGreaterThan(2 * Math.log(tokenizer.vocabSize));
    const dir = tempDir();
    saveCheckpoint(dir, {
      config,
      tokenizer,
      model,
      step: first.step,
      optimizerState: first.optimizer.stateDict() as never,
      generatorState: first.generator.getState(),
    });
    const loaded = loadCheckpoint(dir);
    const generator = new Generator(0);
    generator.setState(loaded.generatorState as never);
    const firstAfter: number[] = [];
    const resumed = new Trainer(languageModelTask(loaded.model, data), {
      steps: 2000,
      optimizer: { kind: 'sgd', lr: 8 },
      generator,
      startStep: loaded.step,
      optimizerState: loaded.optimizerState,
      divergence: { lrFinderSteps: 0 },
      onStep: (record) => firstAfter.length === 0 && firstAfter.push(record.loss),
    });
    const progress = resumed.run();
    expect(progress.stoppedBecause).toBe('diverged');
    const error = progress.diverged as NonNullable<typeof progress.diverged>;
    const lnV = Math.log(tokenizer.vocabSize);
    expect(firstAfter[0]).toBeLessThan(half.losses[0] / 2); // 150 steps trained already
    expect(resumed.state().divergence.firstLoss).toBe(firstAfter[0]);
    expect(error.bound).toBe(Math.max(2 * lnV, 1.5 * firstAfter[0]));
    // Not the looser bound the run's own first loss would give (1.5 × 9.4).
    expect(error.bound).toBeLessThan(1.5 * half.losses[0]);
  });

  it('moons: 300 steps straight = 150 + state through JSON + resume 150', () => {
    const options = { seed: 1337, steps: 300, samples: 40, batchSize: 10 };
    const whole = moonsTask(options);
    const straight = new Trainer(whole, whole.trainerOptions()).run();
    const first = moonsTask(options);
    const trainer = new Trainer(first, first.trainerOptions());
    const half = trainer.runSlice({ maxSteps: 150 });
    const saved = JSON.stringify({ state: trainer.state(), weights: first.saveWeights() });
    const { state, weights } = JSON.parse(saved);
    const second = moonsTask(options);
    second.loadWeights(weights);
    const rest = Trainer.resume(second, state).run();
    expect([...half.losses, ...rest.losses]).toEqual(Array.from(straight.losses));
    expect(second.saveWeights()).toEqual(whole.saveWeights());
  });

  it('refuses a damaged trainer state naming the field (checksum recomputed, as an editor would)', () => {
    const model = newModel();
    const trainer = new Trainer(languageModelTask(model, data), {
      ...settings('sgd'),
      generator: new Generator(42),
    });
    trainer.runSlice({ maxSteps: 30 });
    const dir = tempDir();
    saveCheckpoint(dir, { config, tokenizer, model, step: 30, trainerState: trainer.state() });
    const path = join(dir, 'checkpoint.json');
    const original = readFileSync(path, 'utf8');
    // biome-ignore lint/suspicious/noExplicitAny: the test edits arbitrary JSON fields
    const damage = (edit: (json: Record<string, any>) => void) => {
      const json = JSON.parse(original);
      edit(json);
      json.checksum = checkpointChecksum(json);
      writeFileSync(path, JSON.stringify(json));
      return () => loadCheckpoint(dir);
    };
    expect(damage((j) => (j.trainerState.divergence.recentLosses[0] = 'x'))).toThrow(
      /trainerState\.divergence/,
    );
    expect(damage((j) => (j.trainerState.scheduler = null))).toThrow(/trainerState\.scheduler/);
    expect(damage((j) => (j.trainerState.step = 29))).toThrow(/'trainerState\.step'/);
    expect(damage((j) => (j.optimizer = null))).toThrow(CheckpointError);
    // Without recomputing the checksum, any edit is refused by it.
    const json = JSON.parse(original);
    json.trainerState.steps = 5;
    writeFileSync(path, JSON.stringify(json));
    expect(() => loadCheckpoint(dir)).toThrow(/checksum does not match/);
    writeFileSync(path, original);
    expect(loadCheckpoint(dir).trainerState?.step).toBe(30);
  });

  it('saveCheckpoint refuses a step that is not the trainer state’s', () => {
    const model = newModel();
    const trainer = new Trainer(languageModelTask(model, data), settings('sgd'));
    trainer.runSlice({ maxSteps: 2 });
    expect(() =>
      saveCheckpoint(tempDir(), {
        config,
        tokenizer,
        model,
        step: 5,
        trainerState: trainer.state(),
      }),
    ).toThrow(/trainerState\.step is 2/);
  });
});
