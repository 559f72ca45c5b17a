import { Generator } from '@llm-playground/core';
import { buildContexts, bundledNames, CharTokenizer, splitWords } from '@llm-playground/data';
import { F, Linear, type Module, Sequential, SGD, Tanh } from '@llm-playground/nn';
import { noGrad, randint, randn, type Tensor, tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { familyConfig } from '../families/registry.js';
import { MLP } from '../mlp.js';
import { languageModelTask } from '../tasks/language-model.js';
import { Trainer, type TrainingTask } from '../trainer.js';
import {
  Diagnostics,
  formatActivation,
  formatSnapshot,
  formatWeightGradient,
} from './diagnostics.js';

/** A task over any module: `loss(model.forward(x))` on a fixed input, plain SGD. */
function moduleTask(model: Module, input: Tensor, loss: (out: Tensor) => Tensor): TrainingTask {
  const params = model.parameters();
  return {
    name: 'module',
    uniformLoss: 100,
    forward() {
      const value = loss(model.forward(input));
      return { loss: value.item(), backward: () => value.backward() };
    },
    createOptimizer: (settings) => new SGD(params, { lr: settings.lr }),
    saveWeights: () => params.map((p) => p.data.slice()),
    loadWeights: () => {},
  };
}

/** Mean and unbiased std, in float64 (the reference). */
function stats(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

describe('Diagnostics', () => {
  it('matches the closed forms on Linear(1, 2) + Tanh with known weights (float64)', () => {
    const linear = new Linear(1, 2, { bias: false, dtype: 'float64' });
    noGrad(() => linear.weight.copy_(tensor([[1], [2]], { dtype: 'float64' })));
    const model = new Sequential(linear, new Tanh());
    const xs = [0, 0.5, 1, 2];
    const input = tensor(
      xs.map((x) => [x]),
      { dtype: 'float64' },
    );
    const lr = 0.1;
    const diagnostics = new Diagnostics(model, { every: 1 });
    expect(diagnostics.layers.map(([name]) => name)).toEqual(['layers.1']);
    const task = moduleTask(model, input, (out) => out.sum()); // dL/dt = 1 for every activation
    new Trainer(task, { steps: 1, optimizer: { kind: 'sgd', lr }, observer: diagnostics }).run();
    const snapshot = diagnostics.latest;
    if (!snapshot) throw new Error('no snapshot');
    expect(snapshot.step).toBe(0);

    // Activations t = tanh(w·x) for w ∈ {1, 2}: only tanh(4) = 0.99933 is above 0.97.
    const t = xs.flatMap((x) => [Math.tanh(x), Math.tanh(2 * x)]);
    const [activation] = snapshot.activations;
    expect(activation.name).toBe('layers.1');
    expect(activation.type).toBe('Tanh');
    expect(activation.shape).toEqual([4, 2]);
    expect(activation.mean).toBeCloseTo(stats(t).mean, 14);
    expect(activation.std).toBeCloseTo(stats(t).std, 14);
    expect(activation.saturated).toBe(1 / 8);
    expect(formatActivation(activation)).toBe(
      `layers.1 (Tanh): mean +${stats(t).mean.toFixed(2)}, std ${stats(t).std.toFixed(2)}, saturated 12.50%`,
    );
    const { hist, binEdges } = activation.histogram;
    expect(hist.length).toBe(100);
    expect(binEdges[0]).toBe(0);
    expect(binEdges[100]).toBeCloseTo(Math.tanh(4), 15);
    let integral = 0;
    for (let k = 0; k < 100; k++) integral += hist[k] * (binEdges[k + 1] - binEdges[k]);
    expect(integral).toBeCloseTo(1, 12);

    // The activations' gradient is 1 everywhere: mean 1, std 0, all the density in one bin.
    const [gradient] = snapshot.gradients;
    expect(gradient.mean).toBe(1);
    expect(gradient.std).toBe(0);
    expect(Math.max(...gradient.histogram.hist)).toBeCloseTo(100, 10); // 1 / width 0.01

    // dL/dw_j = Σ_i (1 − tanh²(w_j x_i)) x_i; grad:data = std(grad) / std(w after the update).
    const grad = [1, 2].map((w) => xs.reduce((a, x) => a + (1 - Math.tanh(w * x) ** 2) * x, 0));
    const after = [1, 2].map((w, j) => w - lr * grad[j]);
    const [weight] = snapshot.weights;
    expect(weight.name).toBe('layers.0.weight');
    expect(weight.shape).toEqual([2, 1]);
    expect(weight.mean).toBeCloseTo(stats(grad).mean, 14);
    expect(weight.std).toBeCloseTo(stats(grad).std, 14);
    expect(weight.gradToData).toBeCloseTo(stats(grad).std / stats(after).std, 13);
    expect(formatWeightGradient(weight)).toMatch(
      /^layers\.0\.weight \(2, 1\) \| mean \+\d\.\d{6} \| std \d\.\d{6}e-0\d \| grad:data ratio \d\.\d{6}e-0\d$/,
    );
    // The lecture's ud: log10(lr·std(grad) / std(data)), data after the update.
    expect(diagnostics.updateRatios.names).toEqual(['layers.0.weight']);
    expect(diagnostics.updateRatios.steps).toEqual([0]);
    expect(diagnostics.updateRatios.values[0][0]).toBeCloseTo(
      Math.log10((lr * stats(grad).std) / stats(after).std),
      13,
    );
  });

  it('watches every `every`-th step and the last, on every Tanh of a deep net; remove() unhooks', () => {
    const generator = new Generator(7);
    const model = new Sequential(
      new Linear(4, 16, { generator }),
      new Tanh(),
      new Linear(16, 16, { generator }),
      new Tanh(),
      new Linear(16, 3, { generator }),
    );
    const input = randn([32, 4], { generator });
    const target = randint(0, 3, [32], { generator });
    const seen: number[] = [];
    const diagnostics = new Diagnostics(model, {
      every: 4,
      onSnapshot: (snapshot) => seen.push(snapshot.step),
    });
    const task = moduleTask(model, input, (out) => F.crossEntropy(out, target));
    new Trainer(task, {
      steps: 10,
      optimizer: { kind: 'sgd', lr: 0.1 },
      observer: diagnostics,
    }).run();
    expect(seen).toEqual([0, 4, 8, 9]);
    const snapshot = diagnostics.latest;
    if (!snapshot) throw new Error('no snapshot');
    expect(snapshot.activations.map((a) => a.name)).toEqual(['layers.1', 'layers.3']);
    expect(snapshot.gradients.map((g) => g.name)).toEqual(['layers.1', 'layers.3']);
    expect(snapshot.weights.map((w) => `${w.name} ${w.shape}`)).toEqual([
      'layers.0.weight 16,4',
      'layers.2.weight 16,16',
      'layers.4.weight 3,16',
    ]);
    expect(diagnostics.missingLayers).toBeNull();
    expect(diagnostics.updateRatios.steps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const series of diagnostics.updateRatios.values) {
      expect(series.every((v) => v > -6 && v < 0)).toBe(true);
    }
    const lines = formatSnapshot(snapshot);
    expect(lines).toHaveLength(2 + 2 + 3);
    expect(lines[0]).toMatch(
      /^layers\.1 \(Tanh\): mean [+-]\d\.\d\d, std \d\.\d\d, saturated \d+\.\d\d%$/,
    );
    diagnostics.remove();
    new Trainer(task, { steps: 2, optimizer: { kind: 'sgd', lr: 0.1 } }).run();
    expect(seen).toEqual([0, 4, 8, 9]);
  });

  it('does not change a captured run: same losses and weights; the same ratios as an eager run', () => {
    const words = bundledNames().words.filter((_, i) => i % 40 === 0);
    const tokenizer = CharTokenizer.fromWords(words);
    const data = buildContexts(splitWords(words).train, tokenizer, 3);
    const config = familyConfig('mlp', { nHidden: 32 }, { vocabSize: tokenizer.vocabSize });
    const run = (observe: boolean, capture: boolean) => {
      const model = new MLP(config, { generator: new Generator(2147483647) });
      const diagnostics = observe ? new Diagnostics(model, { every: 7 }) : undefined;
      const trainer = new Trainer(languageModelTask(model, data), {
        steps: 30,
        optimizer: { kind: 'sgd', lr: 0.1 },
        generator: new Generator(42),
        observer: diagnostics,
        capture,
      });
      expect(trainer.captured).toBe(capture);
      const losses = Array.from(trainer.run().losses);
      return { losses, weights: Array.from(model.W1.data), diagnostics };
    };
    const plain = run(false, true);
    const watched = run(true, true);
    const eager = run(true, false);
    expect(watched.losses).toEqual(plain.losses);
    expect(watched.weights).toEqual(plain.weights);
    expect(eager.losses).toEqual(plain.losses);
    // The ratios of captured steps (read from the replay's gradients) equal the eager run's.
    expect(watched.diagnostics?.updateRatios).toEqual(eager.diagnostics?.updateRatios);
    expect(watched.diagnostics?.latest).toEqual(eager.diagnostics?.latest);
    expect(watched.diagnostics?.latest?.step).toBe(29);
  });

  it('on a model without Tanh layers: says so, and still follows the weights', () => {
    const model = new MLP({ kind: 'mlp', vocabSize: 5, blockSize: 2, nEmbd: 2, nHidden: 8 });
    const diagnostics = new Diagnostics(model);
    expect(diagnostics.layers).toEqual([]);
    expect(diagnostics.missingLayers).toBe(
      'no Tanh layer in this MLP model: the activation and gradient distributions watch Tanh modules (nn.Tanh in a Sequential); this model computes its tanh inline, so only the weight gradients and the update:data ratios are shown',
    );
    expect(diagnostics.parameters.map(([name]) => name)).toEqual(['C', 'W1', 'W2']);
  });

  it('rejects bad options and a model that is not a Module', () => {
    const model = new Sequential(new Tanh());
    expect(() => new Diagnostics(model, { every: 0 })).toThrow(
      new ConfigError('Diagnostics: every must be an integer ≥ 1, got 0'),
    );
    expect(() => new Diagnostics(model, { saturation: -1 })).toThrow(
      'Diagnostics: saturation must be a number ≥ 0, got -1',
    );
    expect(() => new Diagnostics({} as Module)).toThrow(
      'Diagnostics: the model must be an nn.Module (its layers are found with namedModules()), got object',
    );
  });
});
