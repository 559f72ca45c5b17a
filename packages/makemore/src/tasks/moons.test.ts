import { Generator } from '@llm-playground/core';
import {
  makeMoons,
  NumpyRandomState,
  PythonRandom,
  sampleBatch,
  sklearnMakeMoons,
} from '@llm-playground/data';
import { micro } from '@llm-playground/nn';
import { describe, expect, it } from 'vitest';
import { ConfigError, TrainingDivergedError } from '../errors.js';
import { Trainer } from '../trainer.js';
import { moonsLoss, moonsTask } from './moons.js';

/** The CLI's `trainMoons` loop before the redesign (its own SGD schedule), as the reference. */
function referenceRun(seed: number, steps: number, batchSize?: number) {
  const generator = new Generator(seed);
  const { X, y } = makeMoons(100, { noise: 0.1, generator });
  const labels = y.map((label) => label * 2 - 1);
  const model = new micro.MLP(2, [16, 16, 1], { generator });
  const parameters = model.parameters();
  const optimizer = new micro.SGD(parameters, { lr: micro.linearSchedule(1, 0.1, steps) });
  const out: { loss: number; accuracy: number; lr: number }[] = [];
  for (let k = 0; k < steps; k++) {
    const batch = batchSize === undefined ? undefined : sampleBatch(100, batchSize, { generator });
    const bx = batch ? Array.from(batch, (i) => X[i]) : X;
    const by = batch ? Array.from(batch, (i) => labels[i]) : labels;
    const scores = bx.map((p) => model.forward(p)[0]);
    const loss = micro.maxMarginLoss(scores, by).add(micro.l2Regularization(parameters, 1e-4));
    optimizer.zeroGrad();
    loss.backward();
    const lr = optimizer.currentLR();
    optimizer.step();
    out.push({ loss: loss.data, accuracy: micro.binaryAccuracy(scores, by), lr });
  }
  return out;
}

describe('moonsTask on the Trainer', () => {
  it("reproduces the CLI's and the web page's run bit for bit (seed 1337: 0.8071, 66% → 100%)", () => {
    const task = moonsTask({ seed: 1337 });
    const records: { loss: number; accuracy: number; lr: number }[] = [];
    const trainer = new Trainer(task, {
      ...task.trainerOptions(),
      onStep: (r) => records.push({ loss: r.loss, accuracy: r.metrics?.accuracy ?? NaN, lr: r.lr }),
    });
    const progress = trainer.run();
    expect(progress.stoppedBecause).toBe('done');
    expect(records).toEqual(referenceRun(1337, 100));
    expect(records[0].loss.toFixed(4)).toBe('0.8071');
    expect(records[0].accuracy).toBe(0.66);
    expect(records[99].loss.toFixed(4)).toBe('0.0172');
    expect(records[99].accuracy).toBe(1);
    expect(task.evaluate().accuracy).toBe(1);
  }, 60_000);

  it('minibatches come from the same generator, after the data and the weights', () => {
    const task = moonsTask({ seed: 7, steps: 20, batchSize: 10 });
    const trainer = new Trainer(task, task.trainerOptions());
    const progress = trainer.run();
    const reference = referenceRun(7, 20, 10);
    expect(Array.from(progress.losses)).toEqual(reference.map((r) => r.loss));
  });

  it("takes data and init from elsewhere: demo.ipynb's numpy moons and Python weights give its 0.8958441028683222", () => {
    const seed = 1337;
    const data = sklearnMakeMoons(100, 0.1, new NumpyRandomState(seed));
    const task = moonsTask(
      { seed },
      {
        data,
        init: (model) => {
          const python = new PythonRandom(seed);
          for (const layer of model.layers) {
            for (const neuron of layer.neurons) {
              for (const w of neuron.w) w.data = -1 + 2 * python.random();
              neuron.b.data = 0;
            }
          }
        },
      },
    );
    expect(task.X).toEqual(data.X);
    expect(task.X).not.toBe(data.X); // a copy: the caller's arrays are not the task's
    expect(task.labels.slice(0, 4)).toEqual([-1, -1, 1, -1]);
    const history = new Trainer(task, task.trainerOptions()).run();
    expect(history.losses[0]).toBe(0.8958441028683222); // demo.ipynb's step 0, bit for bit
    expect(task.evaluate().accuracy).toBe(1);
  });

  it('with data given, the generator draws the weights first; init runs after them', () => {
    const data = makeMoons(30, { noise: 0.1, generator: new Generator(5) });
    let seen: micro.MLP | undefined;
    const task = moonsTask({ seed: 9, hidden: [4] }, { data, init: (model) => (seen = model) });
    expect(seen).toBe(task.model);
    expect(task.config.samples).toBe(30);
    const fresh = new micro.MLP(2, [4, 1], { generator: new Generator(9) });
    expect(task.model.parameters().map((p) => p.data)).toEqual(
      fresh.parameters().map((p) => p.data),
    );
    expect(() => moonsTask({ samples: 40 }, { data })).toThrow(
      'moonsTask: config.samples is 40 but the data given has 30 points; give one or the other',
    );
    expect(() => moonsTask({}, { data: { X: data.X, y: data.y.map((v) => v * 2 - 1) } })).toThrow(
      'moonsTask: data.y[0] must be 0 or 1, got -1',
    );
    expect(() => moonsTask({}, { data: { X: data.X.slice(1), y: data.y } })).toThrow(ConfigError);
  });

  it('a resumed run (state through JSON) continues exactly', () => {
    const straight = moonsTask({ seed: 3, steps: 30, batchSize: 20 });
    const all = new Trainer(straight, straight.trainerOptions()).run().losses;
    const first = moonsTask({ seed: 3, steps: 30, batchSize: 20 });
    const trainer = new Trainer(first, first.trainerOptions());
    trainer.runSlice({ maxSteps: 12 });
    const state = JSON.parse(JSON.stringify(trainer.state()));
    const weights = first.saveWeights();
    const second = moonsTask({ seed: 3, steps: 30, batchSize: 20 });
    second.loadWeights(weights);
    const rest = Trainer.resume(second, state).run();
    expect(rest.fromStep).toBe(12);
    expect(Array.from(rest.losses)).toEqual(Array.from(all.slice(12)));
  });

  it('lr 100 diverges with a message naming the step and a rate the LR finder found, which trains', () => {
    const task = moonsTask({ seed: 1337, lr: 100, samples: 30 });
    const progress = new Trainer(task, task.trainerOptions()).run();
    expect(progress.stoppedBecause).toBe('diverged');
    const error = progress.diverged as TrainingDivergedError;
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error.message).toMatch(
      /^Training diverged at step \d+: the mean loss of the last 20 steps, [\d.]+e\+\d+, is above [\d.]+ \(2× the uniform-guess loss 1, or 1\.5× the first loss\) with learning rate [\d.]+; /,
    );
    expect(error.message).toContain(`the learning-rate finder suggests ${error.suggestedLr}`);
    expect(error.suggestedLr).toBeLessThan(100);
    const retry = moonsTask({ seed: 1337, lr: error.suggestedLr, samples: 30 });
    const again = new Trainer(retry, retry.trainerOptions()).run();
    expect(again.stoppedBecause).toBe('done');
    expect(retry.evaluate().loss).toBeLessThan(again.losses[0]);
  }, 60_000);

  it('squared error at lr 1 (1e16+ losses on the old page) stops as diverged', () => {
    const task = moonsTask({ seed: 1337, loss: 'mse', samples: 30 });
    const progress = new Trainer(task, task.trainerOptions()).run();
    expect(progress.stoppedBecause).toBe('diverged');
    expect(progress.diverged?.suggestedLr).toBeLessThan(1);
  }, 60_000);

  it('moonsLoss is each loss of the margin', () => {
    expect(moonsLoss('max-margin', [2, 0.5], [1, -1]).data).toBe(0.75);
    expect(moonsLoss('mse', [2, 0.5], [1, -1]).data).toBe(1.625);
    expect(moonsLoss('cross-entropy', [0], [1]).data).toBeCloseTo(Math.LN2, 12);
    expect(() => moonsTask({ loss: 'hinge' as 'mse' })).toThrow(
      'moons loss must be one of max-margin, mse, cross-entropy, got hinge',
    );
  });
});
