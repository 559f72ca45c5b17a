/**
 * The one training loop. A `Trainer` runs a `TrainingTask` (a language model on contexts, the
 * micrograd moons classifier, any future task) with an optimizer and an nn scheduler:
 *
 *   each step:  lr = scheduler's rate → task.forward(generator) → divergence rule →
 *               optimizer.zeroGrad() → backward → optimizer.step() → scheduler.step()
 *               → checkpoint callback (every N steps / M seconds / on request) → evaluation callback
 *
 * A task with `sampleBatch` / `lossOf` (the language models) runs captured by default: the batch is
 * drawn in JavaScript, then one `compileStep` replay does forward, zeroGrad and backward (recorded
 * once, replayed without per-op overhead), then the divergence rule and the optimizer's step. Same
 * random stream, same kernels, same order: the losses and weights equal the eager path's bit for bit
 * (tested on both backends). `{ capture: false }` keeps the eager path (teaching, comparisons).
 *
 * It stops at `steps`, after `maxSeconds`, on an `AbortSignal`, or when the divergence rule fires;
 * it runs in one go (`run`), in slices for a web worker (`runSlice`), or in slices that yield to
 * the event loop so signal handlers run (`runAsync`, the CLI's). `state()` / `Trainer.resume`
 * continue a run exactly where it stopped (same losses as an uninterrupted run).
 */
import { Generator, type GeneratorState } from '@llm-playground/core';
import {
  createScheduler,
  type LRScheduler,
  type LRSchedulerState,
  type SchedulableOptimizer,
  type SchedulerConfig,
} from '@llm-playground/nn';
import { type CompiledStep, compileStep, type Tensor, tidy } from '@llm-playground/tensor';
import { ConfigError, TrainingDivergedError } from './errors.js';
import { inEvalMode } from './evaluate.js';
import { lrSweep, suggestLearningRate } from './lr-finder.js';
import { DEFAULT_SEED } from './util.js';

// ---- the task contract ------------------------------------------------------------------------

/** The optimizer side a `Trainer` needs (nn's `SGD`/`Adam`/`AdamW`, micrograd's `micro.SGD`). */
export interface TrainerOptimizer extends SchedulableOptimizer {
  zeroGrad(): void;
  step(): void;
  stateDict(): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: each optimizer takes its own state type
  loadStateDict(state: any): void;
}

/** Which optimizer, at which starting rate (the scheduler moves it from there). */
export interface OptimizerSettings {
  /** `'sgd'`, `'adam'`, `'adamw'` for tensor tasks; `'sgd'` for micrograd tasks. */
  kind: string;
  lr: number;
  /** Weight decay (AdamW: decoupled). Given explicitly, it wins over a resumed optimizer state's. */
  weightDecay?: number;
  /** Adam/AdamW's betas (default PyTorch's 0.9, 0.999). */
  betas?: [number, number];
}

/** One forward pass on one batch: its loss, extra numbers to record, and how to backpropagate. */
export interface TaskStep {
  loss: number;
  /** Per-step numbers besides the loss (`{ accuracy: 0.66 }`). */
  metrics?: Record<string, number>;
  backward(): void;
}

/**
 * What the `Trainer` trains. A task owns the model and the data; the trainer owns the loop, the
 * optimizer, the schedule, the random stream and the stopping rules.
 */
export interface TrainingTask {
  /** For messages (`'mlp'`, `'moons'`). */
  readonly name: string;
  /**
   * The loss a model that has learned nothing gets, or worse: `ln V` for a language model (a
   * uniform guess), 1 for a hinge loss at score 0. The divergence rule's bound is derived from it.
   */
  readonly uniformLoss: number;
  /** Draws the next batch from `generator` and runs forward (no update). */
  forward(generator: Generator): TaskStep;
  /** A fresh optimizer over the task's parameters. */
  createOptimizer(settings: OptimizerSettings): TrainerOptimizer;
  /** A copy of the trainable weights, and putting one back (for the LR finder's sweep). */
  saveWeights(): unknown;
  loadWeights(weights: unknown): void;
  /**
   * Evaluation at global step `step` (e.g. `{ train: 2.31, dev: 2.35 }`); deterministic per step.
   * `context` carries what the trainer measured on the way (the recent training losses), for a
   * task that reports those instead of measuring again (`languageModelTask`'s `evaluate: 'dev'`).
   */
  evaluate?(step: number, context?: EvaluationContext): Record<string, number>;
  /** The model, if any: `evaluate` runs with it in eval mode (`inEvalMode`), then back in training. */
  readonly model?: unknown;
  /**
   * For captured steps (with `lossOf`): draws the next batch from `generator` — the same draws, in
   * the same order, as `forward` — and returns it as tensors of a fixed shape (reused buffers are fine:
   * a captured step copies its inputs). A wrapper task that overrides `forward` (to add metrics, say)
   * must override these two accordingly or leave them out, or its trainer runs with `capture: false`:
   * a captured step never calls `forward`.
   */
  sampleBatch?(generator: Generator): Tensor[];
  /**
   * The loss of a batch from `sampleBatch`: forward only, a 0-d tensor, the same computation as
   * `forward`'s. It runs inside a captured step: no random draws, no `item()` inside.
   */
  lossOf?(...batch: Tensor[]): Tensor;
}

// ---- options, records, state ------------------------------------------------------------------

/** What the trainer hands `TrainingTask.evaluate` besides the step. */
export interface EvaluationContext {
  /**
   * The mean minibatch loss of the last `evalEvery` steps this trainer ran (fewer at its start;
   * all of its steps without `evalEvery`), NaN before its first step. Free (the steps computed
   * it), but a running figure over changing weights — Keras' and Lightning's epoch `loss` — not a
   * measurement of the weights at `step`.
   */
  recentLoss: number;
}

/** The divergence rule's knobs (the rule itself is fixed; see `Trainer`). */
export interface DivergenceOptions {
  /** The rule compares the mean loss of the last `patience` steps with the bound (default 20). */
  patience?: number;
  /**
   * The bound is max(`uniformFactor`·uniformLoss, `initialFactor`·first loss) (defaults 2 and 1.5).
   * The first loss is the run's (kept in `TrainerState`), or the first after a `startStep` resume.
   */
  uniformFactor?: number;
  initialFactor?: number;
  /** Steps of the LR finder's sweep on divergence (default 200; 0 = no suggestion). */
  lrFinderSteps?: number;
}

/** One step as reported to `onStep`. */
export interface StepRecord {
  /** The global step (0-based) this record is for (measured before its update). */
  step: number;
  loss: number;
  /** The learning rate of this step's update. */
  lr: number;
  metrics?: Record<string, number>;
}

export interface TrainerOptions {
  /** Train until this global step. */
  steps: number;
  /** Default `{ kind: 'sgd', lr: 0.1 }`. */
  optimizer?: OptimizerSettings;
  /**
   * The learning-rate schedule: an nn scheduler config (saved with the state), or a function
   * building any nn `LRScheduler` over the optimizer. Default: constant.
   */
  schedule?: SchedulerConfig | ((optimizer: SchedulableOptimizer) => LRScheduler);
  /** Draws the batches (default: a new generator seeded 2147483647). Its state is the trainer's. */
  generator?: Generator;
  /** Evaluate at every global step that is a multiple of this, and when the run completes. */
  evalEvery?: number;
  onEval?: (evaluation: { step: number; metrics: Record<string, number> }) => void;
  /** Called after every step. */
  onStep?: (record: StepRecord) => void;
  /**
   * Watches the steps (makemore's `Diagnostics`: activations, gradients, update:data ratios). A
   * step it asks to watch runs eagerly (a captured replay runs no JavaScript, so no forward hook),
   * with the same numbers as a captured one.
   */
  observer?: StepObserver;
  /**
   * Periodic checkpoints: `onCheckpoint` runs every `everySteps` global steps, every
   * `everySeconds` seconds, when the run completes (before its final evaluation), and on
   * `requestCheckpoint()`. The callback saves (`trainer.state()` + the model's weights).
   */
  checkpoint?: {
    everySteps?: number;
    everySeconds?: number;
    onCheckpoint: (info: { step: number; reason: 'interval' | 'requested' | 'final' }) => void;
  };
  /** Stop after this many seconds of `run`/`runAsync` (per call). */
  maxSeconds?: number;
  /** Stop when aborted; checked before every step. */
  signal?: AbortSignal;
  divergence?: DivergenceOptions;
  /**
   * Continue from a global step without a `TrainerState` (a checkpoint that has only the step, the
   * optimizer state and the generator state — pass the generator restored): the schedule starts
   * at `startStep`. `Trainer.resume` is the full form.
   *
   * Such a checkpoint (format version 1, or saved without `trainerState`) does not hold the run's
   * first loss, which the divergence rule's bound is derived from: the first loss measured after
   * the resume takes its place (measured before any update, so on the saved weights), and is kept
   * in `state()` from then on. For a trained model this bound, max(2·uniformLoss, 1.5·that loss),
   * is usually 2·uniformLoss: tighter than the one an untrained start (a loss far above it) gave.
   */
  startStep?: number;
  /** An optimizer state to load (with `startStep`). */
  optimizerState?: unknown;
  /**
   * Run each step as a captured step (`compileStep`: forward + zeroGrad + backward recorded once,
   * replayed on every batch). Default true when the task has `sampleBatch` and `lossOf` (the
   * language models); `false` keeps the eager path (for teaching, and for comparing the two — their
   * losses and weights are bit-identical). Ignored for tasks without them (moons on `Value`s).
   */
  capture?: boolean;
}

/** What `TrainerOptions.observer` is called with (makemore's `Diagnostics` implements it). */
export interface StepObserver {
  /** Before step `step` of a run to `steps`: true to watch it (it then runs eagerly). */
  beforeStep(step: number, steps: number): boolean;
  /** After each step's update (before `onStep`), the gradients still in place. */
  afterStep(record: StepRecord): void;
}

/** Why a run (or a slice) stopped. `'slice'`: a slice's step or time budget ran out. */
export type StopReason = 'done' | 'time' | 'aborted' | 'diverged' | 'slice';

/** What `run`, `runAsync` and `runSlice` return. */
export interface TrainerProgress {
  /** The global step reached (where the next call continues). */
  step: number;
  /** The target step. */
  steps: number;
  stoppedBecause: StopReason;
  /** Whether the run is over (`done` or `diverged`); a finished trainer runs no more steps. */
  finished: boolean;
  /** The losses of the steps this call ran (`losses[i]` is global step `fromStep + i`). */
  fromStep: number;
  losses: Float64Array;
  /** The loss of the last step run by this trainer (NaN before any). */
  lastLoss: number;
  lr: number;
  /** Seconds this call took. */
  seconds: number;
  /** Set when `stoppedBecause` is `'diverged'`. */
  diverged?: TrainingDivergedError;
}

/**
 * Everything besides the weights needed to continue a run bit for bit. JSON except `optimizer`,
 * whose `state` holds typed arrays (checkpoints keep those in the weights file).
 */
export interface TrainerState {
  format: 'llm-playground.trainer';
  version: 1;
  step: number;
  steps: number;
  optimizerSettings: OptimizerSettings;
  /** The scheduler config, when the schedule was given as one (else null: give it again on resume). */
  schedule: SchedulerConfig | null;
  scheduler: LRSchedulerState;
  optimizer: unknown;
  generator: GeneratorState;
  divergence: { firstLoss: number | null; recentLosses: number[]; uniformLoss: number };
  /** A summary of the losses so far (the full curve belongs to the caller's log). */
  history: { count: number; lastLoss: number | null; minLoss: number | null };
}

const DEFAULT_CONSTANT: SchedulerConfig = { kind: 'ConstantLR', factor: 1 };

function positiveInteger(value: unknown, name: string, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new ConfigError(
      `Trainer: ${name} must be an integer ≥ ${allowZero ? 0 : 1}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function positiveNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new ConfigError(`Trainer: ${name} must be a number > 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Round for numbers handed back: 3 significant digits. */
function round3(x: number): number {
  return Number(x.toPrecision(3));
}

/** A number for a message: 3 significant digits, exponent notation when huge (6.9e+16). */
function show(x: number): string {
  return Math.abs(x) >= 1e6 ? x.toExponential(2) : String(round3(x));
}

// ---- the trainer ------------------------------------------------------------------------------

/**
 * The one training loop (see the file comment for the order of a step).
 *
 * The divergence rule: a run diverges when a step's loss is not finite, or when the mean loss of
 * the last `patience` (20) steps is above `bound = max(2·uniformLoss, 1.5·first loss)` (a mean,
 * because minibatch losses are noisy: a run stuck at 60–110 dips below any bound now and then). The run then
 * stops before that step's update with `stoppedBecause: 'diverged'` and a `TrainingDivergedError`
 * naming the step, the loss and a learning rate found on the spot by the LR finder (a sweep of
 * `lrFinderSteps` steps from lr·10⁻⁴ up to lr, on a copy of the weights the run started from, on a
 * separate random stream; the run's weights and stream are left as they were).
 *
 * @example
 * ```ts
 * const model = createModel({ kind: 'bigram-net', vocabSize: 3, blockSize: 1 }, { generator: new Generator(1) });
 * const data = { X: new Int32Array([0, 1, 2, 0]), Y: new Int32Array([1, 2, 0, 1]), length: 4, blockSize: 1 };
 * const task = languageModelTask(model, data, { batchSize: 2 });
 * const trainer = new Trainer(task, { steps: 50, optimizer: { kind: 'sgd', lr: 1 } });
 * const progress = trainer.run();
 * progress.stoppedBecause; // 'done'
 * progress.losses.length; // 50
 * const saved = JSON.stringify(trainer.state()); // with the model's stateDict(), enough to resume
 * Trainer.resume(task, JSON.parse(saved), { steps: 80 }).run().losses.length; // 30
 * ```
 */
export class Trainer {
  readonly task: TrainingTask;
  readonly optimizer: TrainerOptimizer;
  readonly scheduler: LRScheduler;
  readonly generator: Generator;
  /** The target global step (may be raised between calls: `trainer.steps = 5000`). */
  steps: number;
  private readonly options: TrainerOptions;
  private readonly settings: OptimizerSettings;
  private readonly scheduleConfig: SchedulerConfig | null;
  private currentStep: number;
  private readonly initialWeights: unknown;
  private firstLoss: number | null = null;
  private recentLosses: number[] = [];
  private lastLossValue = Number.NaN;
  private minLoss: number | null = null;
  private lossCount = 0;
  private lastEvalStep = -1;
  private lastCheckpointTime = performance.now();
  private running = false;
  private pendingCheckpoint = false;
  private divergedError: TrainingDivergedError | null = null;
  private readonly patience: number;
  private readonly uniformFactor: number;
  private readonly initialFactor: number;
  private readonly lrFinderSteps: number;
  /** The losses for `EvaluationContext.recentLoss`: a ring of the last `evalEvery` (grown as needed). */
  private readonly evalWindow: number[] = [];
  /** The ring's size: `evalEvery`, or none (a running sum) without it. */
  private readonly evalWindowSize: number;
  private evalWindowCount = 0;
  private lossSum = 0;
  /** The captured forward + backward, when the step runs captured (null: eager). */
  private compiled: CompiledStep<Tensor> | null = null;

  constructor(task: TrainingTask, options: TrainerOptions, resumeFrom?: TrainerState) {
    this.task = task;
    this.options = options;
    this.steps = positiveInteger(options.steps, 'steps', true);
    this.settings = { ...(options.optimizer ?? { kind: 'sgd', lr: 0.1 }) };
    if (!(this.settings.lr >= 0) || !Number.isFinite(this.settings.lr)) {
      throw new ConfigError(
        `Trainer: optimizer.lr must be a finite number ≥ 0, got ${this.settings.lr}`,
      );
    }
    if (options.evalEvery !== undefined) positiveInteger(options.evalEvery, 'evalEvery');
    const checkpoint = options.checkpoint;
    if (checkpoint?.everySteps !== undefined)
      positiveInteger(checkpoint.everySteps, 'checkpoint.everySteps');
    if (checkpoint?.everySeconds !== undefined)
      positiveNumber(checkpoint.everySeconds, 'checkpoint.everySeconds');
    const divergence = options.divergence ?? {};
    this.patience = positiveInteger(divergence.patience ?? 20, 'divergence.patience');
    this.uniformFactor = divergence.uniformFactor ?? 2;
    this.initialFactor = divergence.initialFactor ?? 1.5;
    this.lrFinderSteps = positiveInteger(
      divergence.lrFinderSteps ?? 200,
      'divergence.lrFinderSteps',
      true,
    );

    this.generator = options.generator ?? new Generator(DEFAULT_SEED);
    this.optimizer = task.createOptimizer(this.settings);
    const optimizerState = resumeFrom ? resumeFrom.optimizer : options.optimizerState;
    if (optimizerState !== undefined) {
      this.optimizer.loadStateDict(optimizerState);
      if (this.settings.weightDecay !== undefined) {
        for (const g of this.optimizer.paramGroups)
          (g as { weightDecay?: number }).weightDecay = this.settings.weightDecay;
      }
    }
    // The scheduler's base rate is this run's lr (not one remembered by a loaded optimizer state).
    for (const g of this.optimizer.paramGroups) {
      g.lr = this.settings.lr;
      delete g.initialLr;
    }
    const schedule = options.schedule ?? DEFAULT_CONSTANT;
    if (
      typeof schedule !== 'function' &&
      schedule.kind === 'PiecewiseConstantLR' &&
      schedule.values[0] !== this.settings.lr
    ) {
      // Its rates are absolute: a schedule built for another lr would silently override this one.
      throw new ConfigError(
        `Trainer: the schedule starts at lr ${schedule.values[0]} but optimizer.lr is ${this.settings.lr}; build the schedule from the same lr (family.defaults.schedule({ lr, steps }))`,
      );
    }
    this.scheduleConfig = typeof schedule === 'function' ? null : schedule;
    this.scheduler =
      typeof schedule === 'function'
        ? schedule(this.optimizer)
        : createScheduler(this.optimizer, schedule);
    this.currentStep =
      resumeFrom?.step ?? positiveInteger(options.startStep ?? 0, 'startStep', true);
    if (!resumeFrom && this.currentStep > 0) {
      this.scheduler.loadStateDict({ ...this.scheduler.stateDict(), lastEpoch: this.currentStep });
    }
    if (resumeFrom) {
      this.scheduler.loadStateDict(resumeFrom.scheduler);
      this.generator.setState(resumeFrom.generator);
      this.firstLoss = resumeFrom.divergence.firstLoss;
      this.recentLosses = [...resumeFrom.divergence.recentLosses];
      this.lossCount = resumeFrom.history.count;
      this.lastLossValue = resumeFrom.history.lastLoss ?? Number.NaN;
      this.minLoss = resumeFrom.history.minLoss;
    }
    this.evalWindowSize = options.evalEvery ?? 0;
    this.initialWeights = task.saveWeights();
    if (options.capture !== false && task.sampleBatch && task.lossOf) {
      const lossOf = task.lossOf.bind(task);
      const optimizer = this.optimizer;
      this.compiled = compileStep((...batch: Tensor[]) => {
        const loss = lossOf(...batch);
        optimizer.zeroGrad();
        loss.backward();
        return loss;
      });
    }
  }

  /** Whether steps run captured (`compileStep`) rather than eagerly (see `TrainerOptions.capture`). */
  get captured(): boolean {
    return this.compiled !== null;
  }

  /**
   * Drops the captured step (the next step captures again). Call it after replacing the task's
   * parameter tensors (new objects; weights copied into the same tensors need nothing).
   */
  resetCapture(): void {
    this.compiled?.reset();
  }

  /**
   * A trainer continuing `state` (from `trainer.state()`, e.g. through a checkpoint): the same
   * optimizer state, schedule position, random stream and divergence counters. The task's model
   * must already hold the saved weights. `options` may change `steps` and the callbacks; the
   * optimizer settings and the schedule come from the state unless given. Throws a `ConfigError`
   * naming the field when the state is damaged (never a silent fallback to defaults).
   *
   */
  static resume(
    task: TrainingTask,
    state: TrainerState,
    options: Partial<TrainerOptions> = {},
  ): Trainer {
    checkTrainerState(state);
    if (options.schedule === undefined && state.schedule === null) {
      throw new ConfigError(
        'Trainer.resume: the state was made with a schedule function; pass the same `schedule` again',
      );
    }
    const generator = options.generator ?? new Generator(DEFAULT_SEED);
    return new Trainer(
      task,
      {
        ...options,
        steps: options.steps ?? state.steps,
        optimizer: options.optimizer ?? state.optimizerSettings,
        schedule: options.schedule ?? (state.schedule as SchedulerConfig),
        generator,
      },
      state,
    );
  }

  /** The global step reached (the number of updates done). */
  get step(): number {
    return this.currentStep;
  }

  /** The learning rate of the next step. */
  get lr(): number {
    return this.optimizer.paramGroups[0].lr;
  }

  /** Whether the run is over: all steps done, or diverged. */
  get finished(): boolean {
    return this.divergedError !== null || this.currentStep >= this.steps;
  }

  /** The divergence error, once the rule has fired. */
  get diverged(): TrainingDivergedError | null {
    return this.divergedError;
  }

  /** Everything besides the weights needed to resume (see `TrainerState`). */
  state(): TrainerState {
    return {
      format: 'llm-playground.trainer',
      version: 1,
      step: this.currentStep,
      steps: this.steps,
      optimizerSettings: { ...this.settings },
      schedule: this.scheduleConfig,
      scheduler: this.scheduler.stateDict(),
      optimizer: this.optimizer.stateDict(),
      generator: this.generator.getState(),
      divergence: {
        firstLoss: this.firstLoss,
        recentLosses: [...this.recentLosses],
        uniformLoss: this.task.uniformLoss,
      },
      history: {
        count: this.lossCount,
        lastLoss: Number.isNaN(this.lastLossValue) ? null : this.lastLossValue,
        minLoss: this.minLoss,
      },
    };
  }

  /**
   * Asks for a checkpoint: runs `onCheckpoint` now when no step is running (a signal handler between
   * slices — the CLI's SIGINT/SIGTERM/SIGHUP), else right after the current step.
   */
  requestCheckpoint(): void {
    if (this.running) this.pendingCheckpoint = true;
    else this.checkpoint('requested');
  }

  /** Runs the evaluation callback now (at the current step), once per step. */
  evaluateNow(): void {
    if (!this.options.onEval || !this.task.evaluate || this.lastEvalStep === this.currentStep)
      return;
    this.lastEvalStep = this.currentStep;
    const context: EvaluationContext = { recentLoss: this.recentLoss() };
    const evaluate = this.task.evaluate.bind(this.task);
    this.options.onEval({
      step: this.currentStep,
      metrics: inEvalMode(this.task.model, () => evaluate(this.currentStep, context)),
    });
  }

  /** `EvaluationContext.recentLoss`: summed oldest first (as `losses.reduce((a, b) => a + b, 0)`). */
  private recentLoss(): number {
    const size = this.evalWindowSize;
    if (size === 0) return this.lossSum / this.evalWindowCount; // NaN (0/0) before any step
    const n = this.evalWindow.length;
    let sum = 0;
    for (let k = this.evalWindowCount - n; k < this.evalWindowCount; k++)
      sum += this.evalWindow[k % size];
    return sum / n;
  }

  /**
   * Runs until `steps`, `maxSeconds`, the signal, or divergence; then evaluates once at the step
   * reached (whatever the reason, so an interrupted run still reports where it got).
   */
  run(): TrainerProgress {
    const progress = this.loop(Number.POSITIVE_INFINITY, this.options.maxSeconds, false);
    this.evaluateNow();
    return progress;
  }

  /**
   * At most `maxSteps` steps and about `maxMillis` milliseconds (at least one step unless finished;
   * a step is never cut), for a web worker between messages. Evaluates only on the schedule and
   * when the run completes.
   *
   * @example
   * ```ts
   * // in a worker: post progress at most ~30 times a second
   * const tick = () => {
   *   const progress = trainer.runSlice({ maxMillis: 30 });
   *   postMessage({ step: progress.step, losses: progress.losses }, [progress.losses.buffer]);
   *   if (!progress.finished && !paused) setTimeout(tick, 0);
   * };
   * ```
   */
  runSlice(budget: { maxSteps?: number; maxMillis?: number } = {}): TrainerProgress {
    const maxSteps = budget.maxSteps ?? Number.POSITIVE_INFINITY;
    if (budget.maxSteps !== undefined) positiveInteger(budget.maxSteps, 'maxSteps');
    const maxSeconds = budget.maxMillis === undefined ? undefined : budget.maxMillis / 1000;
    return this.loop(maxSteps, maxSeconds, true);
  }

  /**
   * `run()` in slices of `sliceMillis` (default 100 ms) that yield to the event loop in between,
   * so signal handlers and timers run (the CLI: a SIGTERM handler calls `requestCheckpoint()` and
   * aborts the signal). `maxSeconds` counts across the slices.
   */
  async runAsync(options: { sliceMillis?: number } = {}): Promise<TrainerProgress> {
    const sliceMillis = options.sliceMillis ?? 100;
    const started = performance.now();
    const losses: Float64Array[] = [];
    const fromStep = this.currentStep;
    let progress: TrainerProgress;
    for (;;) {
      const elapsed = (performance.now() - started) / 1000;
      const left =
        this.options.maxSeconds === undefined
          ? Number.POSITIVE_INFINITY
          : this.options.maxSeconds - elapsed;
      progress = this.loop(
        Number.POSITIVE_INFINITY,
        Math.min(sliceMillis / 1000, Math.max(0, left)),
        true,
      );
      losses.push(progress.losses);
      if (progress.stoppedBecause !== 'slice') break;
      if (left <= sliceMillis / 1000) {
        progress = { ...progress, stoppedBecause: 'time' };
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.evaluateNow();
    const total = losses.reduce((n, l) => n + l.length, 0);
    const all = new Float64Array(total);
    let at = 0;
    for (const l of losses) {
      all.set(l, at);
      at += l.length;
    }
    return { ...progress, fromStep, losses: all, seconds: (performance.now() - started) / 1000 };
  }

  // ---- the loop ---------------------------------------------------------------------------

  private loop(maxSteps: number, maxSeconds: number | undefined, slice: boolean): TrainerProgress {
    const started = performance.now();
    const fromStep = this.currentStep;
    const capacity = Math.max(0, Math.min(maxSteps, this.steps - this.currentStep));
    let losses = new Float64Array(Number.isFinite(capacity) ? Math.min(capacity, 1 << 20) : 0);
    let ran = 0;
    let stoppedBecause: StopReason = 'done';
    if (this.pendingCheckpoint) {
      this.pendingCheckpoint = false;
      this.checkpoint('requested');
    }
    this.running = true;
    try {
      for (;;) {
        if (this.divergedError) {
          stoppedBecause = 'diverged';
          break;
        }
        if (this.currentStep >= this.steps) {
          stoppedBecause = 'done';
          break;
        }
        if (this.options.signal?.aborted) {
          stoppedBecause = 'aborted';
          break;
        }
        if (ran >= maxSteps) {
          stoppedBecause = 'slice';
          break;
        }
        if (
          ran > 0 &&
          maxSeconds !== undefined &&
          (performance.now() - started) / 1000 >= maxSeconds
        ) {
          stoppedBecause = slice ? 'slice' : 'time';
          break;
        }
        const record = this.stepOnce();
        if (!record) {
          stoppedBecause = 'diverged';
          break;
        }
        if (ran >= losses.length) {
          const grown = new Float64Array(Math.max(16, losses.length * 2));
          grown.set(losses);
          losses = grown;
        }
        losses[ran++] = record.loss;
        this.afterStep();
      }
    } finally {
      this.running = false;
    }
    return {
      step: this.currentStep,
      steps: this.steps,
      stoppedBecause,
      finished: this.finished,
      fromStep,
      losses: ran === losses.length ? losses : losses.slice(0, ran),
      lastLoss: this.lastLossValue,
      lr: this.lr,
      seconds: (performance.now() - started) / 1000,
      diverged: this.divergedError ?? undefined,
    };
  }

  /** One step; null when the divergence rule fired (no update made). */
  private stepOnce(): StepRecord | null {
    const step = this.currentStep;
    const lr = this.lr;
    const observer = this.options.observer;
    const watched = observer?.beforeStep(step, this.steps) ?? false;
    const compiled = watched ? null : this.compiled;
    let out: TaskStep | null = null;
    let loss: number;
    if (compiled) {
      // The batch is drawn outside the step (a captured step's random draws would be made once).
      const batch = (this.task.sampleBatch as (g: Generator) => Tensor[])(this.generator);
      loss = tidy(() => compiled(...batch).item());
    } else {
      out = this.task.forward(this.generator);
      loss = out.loss;
    }
    if (this.firstLoss === null && Number.isFinite(loss)) this.firstLoss = loss;
    const bound = this.bound();
    if (!Number.isFinite(loss)) {
      this.divergedError = this.divergence(step, loss, lr, bound, 'not-finite');
      return null;
    }
    this.recentLosses.push(loss);
    if (this.recentLosses.length > this.patience) this.recentLosses.shift();
    const recentMean = this.recentLosses.reduce((a, b) => a + b, 0) / this.recentLosses.length;
    if (this.recentLosses.length === this.patience && recentMean > bound) {
      this.divergedError = this.divergence(step, recentMean, lr, bound, 'above-bound');
      return null;
    }
    if (out) {
      this.optimizer.zeroGrad();
      out.backward();
    } // captured: the replay already left the gradients in place
    this.optimizer.step();
    this.scheduler.step();
    this.currentStep++;
    this.lastLossValue = loss;
    this.lossCount++;
    const size = this.evalWindowSize;
    if (size === 0) this.lossSum += loss;
    else if (this.evalWindow.length < size) this.evalWindow.push(loss);
    else this.evalWindow[this.evalWindowCount % size] = loss;
    this.evalWindowCount++;
    if (this.minLoss === null || loss < this.minLoss) this.minLoss = loss;
    const record: StepRecord = { step, loss, lr, metrics: out?.metrics };
    observer?.afterStep(record);
    this.options.onStep?.(record);
    return record;
  }

  /** Checkpoint (first, so a crash in evaluation loses nothing), then evaluation, per schedule. */
  private afterStep(): void {
    const step = this.currentStep;
    const checkpoint = this.options.checkpoint;
    if (this.pendingCheckpoint) {
      this.pendingCheckpoint = false;
      this.checkpoint('requested');
    } else if (step >= this.steps) {
      if (checkpoint) this.checkpoint('final');
    } else if (checkpoint) {
      const bySteps = checkpoint.everySteps !== undefined && step % checkpoint.everySteps === 0;
      const bySeconds =
        checkpoint.everySeconds !== undefined &&
        (performance.now() - this.lastCheckpointTime) / 1000 >= checkpoint.everySeconds;
      if (bySteps || bySeconds) this.checkpoint('interval');
    }
    const evalEvery = this.options.evalEvery;
    if ((evalEvery !== undefined && step % evalEvery === 0) || step >= this.steps)
      this.evaluateNow();
  }

  private checkpoint(reason: 'interval' | 'requested' | 'final'): void {
    const callback = this.options.checkpoint?.onCheckpoint;
    this.lastCheckpointTime = performance.now();
    callback?.({ step: this.currentStep, reason });
  }

  private bound(): number {
    return Math.max(
      this.uniformFactor * this.task.uniformLoss,
      this.initialFactor * (this.firstLoss ?? 0),
    );
  }

  private divergence(
    step: number,
    loss: number,
    lr: number,
    bound: number,
    why: 'not-finite' | 'above-bound',
  ): TrainingDivergedError {
    const suggestedLr = this.lrFinderSteps > 0 && lr > 0 ? this.findLearningRate(lr) : undefined;
    const what =
      why === 'not-finite'
        ? `the loss became ${loss}`
        : `the mean loss of the last ${this.patience} steps, ${show(loss)}, is above ${show(bound)} (${this.uniformFactor}× the uniform-guess loss ${show(this.task.uniformLoss)}, or ${this.initialFactor}× the first loss)`;
    const advice =
      suggestedLr === undefined
        ? 'lower the learning rate'
        : `the learning-rate finder suggests ${suggestedLr} (a sweep from the starting weights); train again with that rate`;
    return new TrainingDivergedError(
      `Training diverged at step ${step}: ${what} with learning rate ${lr}; ${advice}`,
      {
        step,
        loss,
        lr,
        suggestedLr,
        bound: why === 'not-finite' ? Number.POSITIVE_INFINITY : bound,
      },
    );
  }

  /** The LR finder on a copy of the starting weights, with a fresh optimizer and random stream. */
  private findLearningRate(lr: number): number | undefined {
    const current = this.task.saveWeights();
    const steps = this.lrFinderSteps;
    const lrs = new Float64Array(steps);
    // From 10⁻⁴ (or lr·10⁻⁴, if lower) up to the rate that diverged: one decade of headroom is
    // not enough when the rate is absurd (1e35), so the sweep always reaches down to small rates.
    const low = Math.min(Math.log10(lr) - 4, -4);
    const high = Math.log10(lr);
    for (let i = 0; i < steps; i++)
      lrs[i] = 10 ** (low + ((high - low) * i) / Math.max(1, steps - 1));
    let losses: Float64Array;
    try {
      this.task.loadWeights(this.initialWeights);
      losses = lrSweep(this.task, lrs, {
        optimizer: { ...this.settings, lr: lrs[0] },
        generator: new Generator(DEFAULT_SEED),
      });
    } catch {
      return undefined;
    } finally {
      this.task.loadWeights(current);
      this.compiled?.reset(); // the sweep ran other steps on these tensors: capture afresh
    }
    if (!Number.isFinite(losses[0])) return undefined;
    return round3(suggestLearningRate(lrs, losses));
  }
}

/** Validates a `TrainerState` field by field (a damaged checkpoint must not resume silently). */
export function checkTrainerState(state: TrainerState): void {
  const fail = (field: string, expected: string, got: unknown) => {
    throw new ConfigError(
      `trainer state: ${field} must be ${expected}, got ${JSON.stringify(got)?.slice(0, 80)}`,
    );
  };
  if (state === null || typeof state !== 'object') fail('the state', 'an object', state);
  if (state.format !== 'llm-playground.trainer' || state.version !== 1) {
    fail('format/version', "'llm-playground.trainer' version 1", {
      format: state.format,
      version: state.version,
    });
  }
  if (!Number.isInteger(state.step) || state.step < 0) fail('step', 'an integer ≥ 0', state.step);
  if (!Number.isInteger(state.steps) || state.steps < 0)
    fail('steps', 'an integer ≥ 0', state.steps);
  const settings = state.optimizerSettings;
  if (!settings || typeof settings.kind !== 'string' || !(settings.lr >= 0)) {
    fail('optimizerSettings', '{ kind, lr ≥ 0 }', settings);
  }
  const scheduler = state.scheduler;
  if (!scheduler || typeof scheduler.kind !== 'string' || !Number.isInteger(scheduler.lastEpoch)) {
    fail('scheduler', 'a scheduler state { kind, lastEpoch, baseLrs, lastLr }', scheduler);
  }
  if (
    state.schedule !== null &&
    (typeof state.schedule !== 'object' || typeof state.schedule.kind !== 'string')
  ) {
    fail('schedule', 'a scheduler config or null', state.schedule);
  }
  if (!state.optimizer || typeof state.optimizer !== 'object')
    fail('optimizer', 'an optimizer state', state.optimizer);
  const generator = state.generator as { mt?: unknown; mti?: unknown } | null;
  if (!generator || !Array.isArray(generator.mt) || typeof generator.mti !== 'number') {
    fail(
      'generator',
      'a generator state { mt, mti, … }',
      generator === null ? null : '(malformed)',
    );
  }
  const d = state.divergence;
  if (
    !d ||
    !(d.firstLoss === null || Number.isFinite(d.firstLoss)) ||
    !Array.isArray(d.recentLosses) ||
    !d.recentLosses.every((x) => Number.isFinite(x))
  ) {
    fail('divergence', '{ firstLoss: number | null, recentLosses: finite numbers }', d);
  }
  const h = state.history;
  if (!h || !Number.isInteger(h.count)) fail('history', '{ count, lastLoss, minLoss }', h);
}
