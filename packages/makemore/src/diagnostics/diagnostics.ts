/**
 * The network's vital signs (makemore part 3): a collector that a `Trainer` calls around its steps
 * (`TrainerOptions.observer`), for any model that is an `nn.Module` and any of its layers.
 *
 * Every `every` steps (and on the run's last step) it watches one step: forward hooks on the chosen
 * layers (default: every `Tanh`, the lecture's) keep each output and `retainGrad()` it, and after
 * the update it summarises
 *   - each layer's activations: mean, std, the share saturated (|t| > 0.97) and a density histogram;
 *   - the gradient of each layer's output: mean, std and a density histogram;
 *   - each chosen parameter's gradient (default: the 2-d ones, the lecture's `p.ndim == 2`): mean,
 *     std, the grad:data ratio std(grad)/std(data) and a density histogram.
 * On every step (`updateEvery`) it records the update:data ratio of each chosen parameter,
 * log10(lr·std(grad)/std(data)) after the update — the lecture's `ud` list, whose guide line is
 * −3 (updates of about 1/1000 of the data).
 *
 * NOTE: like the lecture, the update is taken to be lr·grad, which is SGD's (without momentum or
 * weight decay); for Adam the real step is normalised per element and the ratio is only indicative.
 * NOTE: unlike the lecture's notebook, which reads the last step of a finished run, a snapshot is
 * of the step it watched; std is PyTorch's `t.std()` (unbiased, n − 1) throughout.
 */
import { Module, Tanh } from '@llm-playground/nn';
import type { Tensor } from '@llm-playground/tensor';
import { ConfigError } from '../errors.js';
import type { LanguageModel } from '../model.js';
import type { StepObserver, StepRecord } from '../trainer.js';
import { type Histogram, histogram } from './histogram.js';

/** Options of `Diagnostics`. */
export interface DiagnosticsOptions {
  /** Watch a step every this many steps (default 100), and the run's last step. */
  every?: number;
  /** Which modules' outputs to watch (default: `Tanh` layers). */
  layers?: (name: string, module: Module) => boolean;
  /** Which parameters to follow (default: the 2-d ones, as the lecture plots). */
  parameters?: (name: string, parameter: Tensor) => boolean;
  /** Histogram bins (default 100, `torch.histogram`'s default the lecture used). */
  bins?: number;
  /** |t| above this counts as saturated (default 0.97, the lecture's). */
  saturation?: number;
  /** Record the update:data ratios every this many steps (default 1: every step, as the lecture). */
  updateEvery?: number;
  /** Called with each snapshot as it is taken (a web page's live plots). */
  onSnapshot?: (snapshot: DiagnosticsSnapshot) => void;
}

/** Mean, std (unbiased) and a density histogram of one tensor's values. */
export interface TensorSummary {
  mean: number;
  std: number;
  histogram: Histogram;
}

/** A watched layer's output: which layer, its statistics, the share of |t| above the threshold. */
export interface ActivationSummary extends TensorSummary {
  /** The module's name in `namedModules()` (`layers.2`). */
  name: string;
  /** Its class (`Tanh`). */
  type: string;
  shape: number[];
  /** The fraction (0–1) of values with |t| > `saturation`. */
  saturated: number;
}

/** The gradient of a watched layer's output. */
export interface GradientSummary extends TensorSummary {
  name: string;
  type: string;
}

/** A parameter's gradient, with std(grad)/std(data). */
export interface WeightGradientSummary extends TensorSummary {
  /** Its name in `namedParameters()` (`W1`, `layers.0.weight`). */
  name: string;
  shape: number[];
  /** std(grad) / std(data). */
  gradToData: number;
}

/** What one watched step showed. */
export interface DiagnosticsSnapshot {
  /** The step watched (its activations are the forward pass of this step; data after its update). */
  step: number;
  activations: ActivationSummary[];
  gradients: GradientSummary[];
  weights: WeightGradientSummary[];
}

/** The update:data ratios over time: `values[i][k]` is parameter `names[i]` at `steps[k]`. */
export interface UpdateRatios {
  names: string[];
  steps: number[];
  /** log10(lr·std(grad)/std(data)); NaN without a gradient. */
  values: number[][];
}

/** Mean and unbiased std in float64 (std NaN for a single value, as PyTorch). */
function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(squares / (n - 1)) };
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      `Diagnostics: ${name} must be an integer ≥ 1, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * The lecture's diagnostics as a `Trainer` observer (see the file comment). Build it over the
 * model, pass it as `observer`, read `latest` and `updateRatios` (or `onSnapshot`), and call
 * `remove()` to take its hooks off the model.
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'mlp', vocabSize: 3, blockSize: 2, nEmbd: 2, nHidden: 4 }, { generator: new Generator(1) });
 * const data = { X: new Int32Array([0, 1, 1, 2, 2, 0, 0, 0]), Y: new Int32Array([2, 0, 1, 1]), length: 4, blockSize: 2 };
 * const diagnostics = new Diagnostics(model, { every: 10 });
 * new Trainer(languageModelTask(model, data, { batchSize: 2 }), { steps: 25, observer: diagnostics }).run();
 * diagnostics.latest?.step; // 24
 * diagnostics.latest?.weights.map((w) => w.name); // ['C', 'W1', 'W2']
 * diagnostics.updateRatios.steps.length; // 25
 * diagnostics.missingLayers; // 'no Tanh layer in this MLP model...
 * ```
 */
export class Diagnostics implements StepObserver {
  /** The watched layers `[name, module]`, in `namedModules()` order. */
  readonly layers: readonly (readonly [string, Module])[];
  /** The followed parameters `[name, tensor]`. */
  readonly parameters: readonly (readonly [string, Tensor])[];
  /** The update:data ratios recorded so far. */
  readonly updateRatios: UpdateRatios;
  /** The last snapshot (null before the first watched step). */
  latest: DiagnosticsSnapshot | null = null;
  private readonly every: number;
  private readonly updateEvery: number;
  private readonly bins: number;
  private readonly saturation: number;
  private readonly onSnapshot?: (snapshot: DiagnosticsSnapshot) => void;
  private readonly handles: { remove(): void }[];
  /** The outputs of the step being watched, by layer index (null when not watching). */
  private outputs: (Tensor | undefined)[] | null = null;
  private readonly modelName: string;

  /** `model`: any `nn.Module` (every model family's model is one). */
  constructor(model: Module | LanguageModel, options: DiagnosticsOptions = {}) {
    if (!(model instanceof Module)) {
      throw new ConfigError(
        `Diagnostics: the model must be an nn.Module (its layers are found with namedModules()), got ${model === null ? 'null' : typeof model}`,
      );
    }
    this.every = positiveInteger(options.every ?? 100, 'every');
    this.updateEvery = positiveInteger(options.updateEvery ?? 1, 'updateEvery');
    this.bins = positiveInteger(options.bins ?? 100, 'bins');
    this.saturation = options.saturation ?? 0.97;
    if (!(this.saturation >= 0)) {
      throw new ConfigError(`Diagnostics: saturation must be a number ≥ 0, got ${this.saturation}`);
    }
    this.onSnapshot = options.onSnapshot;
    this.modelName = model.constructor.name;
    const pickLayer = options.layers ?? ((_name: string, module: Module) => module instanceof Tanh);
    const pickParameter = options.parameters ?? ((_name: string, p: Tensor) => p.ndim === 2);
    this.layers = model.namedModules().filter(([name, module]) => pickLayer(name, module));
    this.parameters = model.namedParameters().filter(([name, p]) => pickParameter(name, p));
    this.updateRatios = {
      names: this.parameters.map(([name]) => name),
      steps: [],
      values: this.parameters.map(() => []),
    };
    // Hooks stay on (a captured replay runs no JavaScript; an eager step not watched returns at once).
    this.handles = this.layers.map(([, module], index) =>
      module.registerForwardHook((_module, _inputs, output: unknown) => {
        if (this.outputs === null || !isTensor(output)) return;
        if (output.requiresGrad) output.retainGrad();
        this.outputs[index] = output;
      }),
    );
  }

  /**
   * Why the activation and gradient parts are empty, or null when there are layers to watch:
   * "no Tanh layer in this MLP model: …".
   */
  get missingLayers(): string | null {
    if (this.layers.length > 0) return null;
    return `no Tanh layer in this ${this.modelName} model: the activation and gradient distributions watch Tanh modules (nn.Tanh in a Sequential); this model computes its tanh inline, so only the weight gradients and the update:data ratios are shown`;
  }

  /** `StepObserver`: watch every `every`-th step and the run's last. */
  beforeStep(step: number, steps: number): boolean {
    const watch = step % this.every === 0 || step === steps - 1;
    this.outputs = watch ? [] : null;
    return watch;
  }

  /** `StepObserver`: the update:data ratios, and the snapshot of a watched step. */
  afterStep(record: StepRecord): void {
    if (record.step % this.updateEvery === 0) this.recordUpdateRatios(record);
    const outputs = this.outputs;
    this.outputs = null;
    if (outputs === null) return;
    const snapshot = this.summarize(record.step, outputs);
    this.latest = snapshot;
    this.onSnapshot?.(snapshot);
  }

  /** Takes the forward hooks off the model. */
  remove(): void {
    for (const handle of this.handles) handle.remove();
  }

  private summary(values: ArrayLike<number>): TensorSummary {
    return {
      ...meanStd(values),
      histogram: histogram(values, { bins: this.bins, density: true }),
    };
  }

  private recordUpdateRatios(record: StepRecord): void {
    this.updateRatios.steps.push(record.step);
    this.parameters.forEach(([, p], i) => {
      const grad = p.grad === null ? null : meanStd(p.grad.data).std;
      const value =
        grad === null ? Number.NaN : Math.log10((record.lr * grad) / meanStd(p.data).std);
      this.updateRatios.values[i].push(value);
    });
  }

  private summarize(step: number, outputs: (Tensor | undefined)[]): DiagnosticsSnapshot {
    const activations: ActivationSummary[] = [];
    const gradients: GradientSummary[] = [];
    this.layers.forEach(([name, module], index) => {
      const output = outputs[index];
      if (output === undefined) return; // not run in this step
      const type = module.constructor.name;
      const values = output.data;
      let saturated = 0;
      for (let i = 0; i < values.length; i++)
        if (Math.abs(values[i]) > this.saturation) saturated++;
      activations.push({
        name,
        type,
        shape: [...output.shape],
        ...this.summary(values),
        saturated: saturated / values.length,
      });
      if (output.grad) gradients.push({ name, type, ...this.summary(output.grad.data) });
    });
    const weights: WeightGradientSummary[] = [];
    for (const [name, p] of this.parameters) {
      if (p.grad === null) continue;
      const grad = this.summary(p.grad.data);
      weights.push({
        name,
        shape: [...p.shape],
        ...grad,
        gradToData: grad.std / meanStd(p.data).std,
      });
    }
    return { step, activations, gradients, weights };
  }
}

function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && 'retainGrad' in value && 'shape' in value;
}

/** Python's `%e`: `3.099640e-03`. */
function exponential(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(digits).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** `%+f` / `%+.2f`: the sign always shown. */
function signed(x: number, digits: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
}

/**
 * A watched layer in one line, as the lecture prints it:
 * `layers.2 (Tanh): mean -0.02, std 0.75, saturated 20.25%`.
 */
export function formatActivation(a: ActivationSummary): string {
  return `${a.name} (${a.type}): mean ${signed(a.mean, 2)}, std ${a.std.toFixed(2)}, saturated ${(a.saturated * 100).toFixed(2)}%`;
}

/** `layers.2 (Tanh): mean +0.000000, std 3.099640e-03`. */
export function formatGradient(g: GradientSummary): string {
  return `${g.name} (${g.type}): mean ${signed(g.mean, 6)}, std ${exponential(g.std)}`;
}

/** `W1 (30, 200) | mean +0.000000 | std 1.190e-03 | grad:data ratio 1.189e-03`. */
export function formatWeightGradient(w: WeightGradientSummary): string {
  return `${w.name} (${w.shape.join(', ')}) | mean ${signed(w.mean, 6)} | std ${exponential(w.std)} | grad:data ratio ${exponential(w.gradToData)}`;
}

/**
 * A snapshot as the lecture's printed lines: the activations, the gradients of the activations,
 * the weights' gradients.
 */
export function formatSnapshot(snapshot: DiagnosticsSnapshot): string[] {
  return [
    ...snapshot.activations.map(formatActivation),
    ...snapshot.gradients.map(formatGradient),
    ...snapshot.weights.map(formatWeightGradient),
  ];
}
