import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { type BackendName, getBackend, setBackend } from '@llm-playground/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { familyConfig, getFamily } from './families/registry.js';
import { MLP } from './mlp.js';
import { languageModelTask } from './tasks/language-model.js';
import { moonsTask } from './tasks/moons.js';
import { Trainer } from './trainer.js';

const words = bundledNames().words.filter((_, i) => i % 20 === 0);
const tokenizer = CharTokenizer.fromWords(words);
const data = buildContexts(splitWords(words).train, tokenizer, 3);
// The lecture's MLP: context 3, embedding 10, hidden 200.
const config = familyConfig('mlp', {}, { vocabSize: tokenizer.vocabSize });
const initial = getBackend().name as BackendName;
afterAll(() => {
  setBackend(initial);
});

/** A run of `steps` steps, eager or captured: its losses and final weights. */
function run(capture: boolean, steps: number, kind: 'sgd' | 'adamw', batchSize = 32) {
  const generator = new Generator(2147483647);
  const model = new MLP(config, { generator });
  const lr = kind === 'sgd' ? 0.1 : 0.01;
  const trainer = new Trainer(languageModelTask(model, data, { batchSize }), {
    steps,
    optimizer: { kind, lr },
    // The lecture's decay at half the run: the replays must read the scheduler's new rate.
    schedule: getFamily('mlp').defaults.schedule({ lr, steps }),
    generator, // initialised the weights, then draws the batches (as the lecture does)
    capture,
  });
  expect(trainer.captured).toBe(capture);
  const progress = trainer.run();
  expect(progress.stoppedBecause).toBe('done');
  const weights = model.namedParameters().map(([name, p]) => [name, Array.from(p.data)]);
  return { losses: Array.from(progress.losses), weights, lr: trainer.lr, generator };
}

describe.each(['js', 'wasm'] as const)('captured Trainer steps on the %s backend', (backend) => {
  it('300 lecture-MLP steps (SGD, lr decay at 150): losses and weights equal eager ones bit for bit', () => {
    setBackend(backend);
    const eager = run(false, 300, 'sgd');
    const captured = run(true, 300, 'sgd');
    expect(captured.losses).toEqual(eager.losses);
    expect(captured.weights).toEqual(eager.weights);
    expect(captured.lr).toBe(0.01);
    // The same random stream: both generators end in the same state.
    expect(captured.generator.getState()).toEqual(eager.generator.getState());
    // It trained (the first loss of the lecture's init on this data is 29.0933), far below it.
    expect(eager.losses[0]).toBeCloseTo(29.0933, 3);
    const last = eager.losses.slice(-50);
    expect(last.reduce((a, b) => a + b, 0) / last.length).toBeLessThan(8);
  });

  it('AdamW, batch 64: equal too', () => {
    setBackend(backend);
    const eager = run(false, 60, 'adamw', 64);
    const captured = run(true, 60, 'adamw', 64);
    expect(captured.losses).toEqual(eager.losses);
    expect(captured.weights).toEqual(eager.weights);
  });
});

describe('Trainer capture option', () => {
  it('defaults to captured for language models, eager for Value tasks and the full-batch objective', () => {
    const model = new MLP(config, { generator: new Generator(1) });
    expect(new Trainer(languageModelTask(model, data), { steps: 1 }).captured).toBe(true);
    expect(new Trainer(languageModelTask(model, data), { steps: 1, capture: false }).captured).toBe(
      false,
    );
    const moons = moonsTask({ ...moonsTaskDefaults(), steps: 2 });
    expect(new Trainer(moons, { ...moons.trainerOptions(), capture: true }).captured).toBe(false);
  });

  it('a resumed captured run continues bit for bit after resetCapture()', () => {
    const generator = new Generator(2147483647);
    const model = new MLP(config, { generator });
    const trainer = new Trainer(languageModelTask(model, data), {
      steps: 40,
      optimizer: { kind: 'sgd', lr: 0.1 },
      schedule: getFamily('mlp').defaults.schedule({ lr: 0.1, steps: 40 }),
      generator,
    });
    const first = trainer.runSlice({ maxSteps: 20 });
    trainer.resetCapture(); // the next step captures again: nothing may change
    const rest = trainer.run();
    const straight = run(true, 40, 'sgd');
    expect([...first.losses, ...rest.losses]).toEqual(straight.losses);
  });
});

function moonsTaskDefaults() {
  return {
    samples: 20,
    noise: 0.1,
    hidden: [4],
    steps: 2,
    lr: 1,
    alpha: 1e-4,
    batchSize: 0,
    seed: 1,
  };
}
