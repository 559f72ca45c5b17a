/**
 * The vital-signs page's session kind (makemore part 3): the `deep-mlp` family — the lecture's
 * deep tanh net, with or without BatchNorm — trained by the one `Trainer` on `languageModelTask`,
 * with makemore's `Diagnostics` as the trainer's observer. Per step it sends the loss and the
 * update:data ratio of every 2-d parameter (`ud:<name>`, log10, the lecture's `ud`); its snapshot
 * is the latest watched step's three histogram sets (activations of each Tanh, their gradients,
 * the weights' gradients) as Float32Array densities, transferred. The lecture's init steps (plain
 * randn, the last-layer fix) are the family's own settings (`init`, `lastLayerFix`).
 */
import { Generator } from '@llm-playground/core';
import { CharTokenizer, splitWords } from '@llm-playground/data';
import {
  type ActivationSummary,
  checkModelSize,
  createModel,
  Diagnostics,
  type DiagnosticsSnapshot,
  familyConfig,
  formatActivation,
  formatGradient,
  formatWeightGradient,
  getFamily,
  type LanguageModel,
  languageModelTask,
  type ModelConfig,
  runSettings,
  type TensorSummary,
  Trainer,
  trainingData,
} from '@llm-playground/makemore';
import type { Packed, Slice, SliceLimit, TrainerKind } from '../../session/protocol.js';
import { TrainerSession } from '../../session/trainer-session.js';
import {
  UD_PREFIX,
  type VitalsCurve,
  type VitalsInfo,
  type VitalsSettings,
  type VitalsSnapshot,
} from './vitals-types.js';

export const FAMILY = 'deep-mlp';

/** A browser tab refuses models whose weights, gradients and optimizer state pass this. */
const MAX_MODEL_BYTES = 5e8;

/** A summary as a curve: the density over equal bins between `lo` and `hi`, in float32. */
function curve(summary: TensorSummary & { name: string }, label: string): VitalsCurve {
  const { hist, binEdges } = summary.histogram;
  return {
    name: summary.name,
    label,
    mean: summary.mean,
    std: summary.std,
    lo: binEdges[0],
    hi: binEdges[binEdges.length - 1],
    density: Float32Array.from(hist),
  };
}

/** A `Diagnostics` snapshot in the page's terms (labels written as the lecture prints them). */
export function toVitalsSnapshot(snapshot: DiagnosticsSnapshot): VitalsSnapshot {
  return {
    step: snapshot.step,
    activations: snapshot.activations.map((a: ActivationSummary) => ({
      ...curve(a, formatActivation(a)),
      saturated: a.saturated,
    })),
    gradients: snapshot.gradients.map((g) => curve(g, formatGradient(g))),
    weights: snapshot.weights.map((w) => ({
      ...curve(w, formatWeightGradient(w)),
      gradToData: w.gradToData,
    })),
  };
}

/** The buffers of a snapshot's densities (to transfer them). */
export function snapshotBuffers(snapshot: VitalsSnapshot): Transferable[] {
  return [...snapshot.activations, ...snapshot.gradients, ...snapshot.weights].map(
    (c) => c.density.buffer as ArrayBuffer,
  );
}

export interface VitalsInit {
  words: readonly string[];
  settings: VitalsSettings;
}

export class VitalsSessionTrainer extends TrainerSession {
  info!: VitalsInfo;
  model!: LanguageModel;
  diagnostics!: Diagnostics;
  protected trainer!: Trainer;
  private readonly words: readonly string[];
  private readonly tokenizer: CharTokenizer;
  private settings: VitalsSettings;

  constructor(init: VitalsInit) {
    super();
    if (init.words.length < 3) {
      throw new RangeError(
        `Argument 'words' passed to the vital-signs trainer must hold at least 3 words (for an 80/10/10 split), got ${init.words.length}`,
      );
    }
    this.words = init.words;
    this.tokenizer = CharTokenizer.fromWords(init.words);
    this.settings = { ...init.settings };
    this.build();
  }

  /** A fresh model, its diagnostics and a trainer for the current settings (step 0). */
  private build(): void {
    const s = this.settings;
    const family = getFamily(FAMILY);
    const config: ModelConfig = familyConfig(FAMILY, s.model, {
      vocabSize: this.tokenizer.vocabSize,
      mode: 'clamp',
    });
    checkModelSize(family, config, { maxBytes: MAX_MODEL_BYTES, training: true });
    const split = splitWords(this.words, { seed: s.splitSeed });
    const data = trainingData(family, config, split, this.tokenizer);
    // The generator initialises the weights, then draws every minibatch (as the lecture does).
    const generator = new Generator(s.seed);
    this.model = createModel(config, { generator, tokenizer: this.tokenizer });
    this.diagnostics?.remove();
    this.diagnostics = new Diagnostics(this.model, { every: s.every });
    this.info = {
      config,
      vocabSize: this.tokenizer.vocabSize,
      numParameters: this.model.numParameters(),
      trainExamples: data.train.length,
      layers: this.diagnostics.layers.map(([name]) => name),
      parameters: [...this.diagnostics.updateRatios.names],
    };
    this.clearRecords();
    const run = runSettings(family, {
      lr: s.lr,
      steps: s.steps,
      batchSize: s.batchSize,
      optimizer: 'sgd',
    });
    this.trainer = new Trainer(
      languageModelTask(this.model, data.train, { batchSize: s.batchSize }),
      {
        steps: run.steps,
        optimizer: run.optimizer,
        schedule: run.schedule,
        generator,
        observer: this.diagnostics,
        onStep: this.onStep,
      },
    );
  }

  /** The Trainer's slice plus one `ud:<parameter>` series per followed parameter. */
  override runSlice(limit: SliceLimit): Slice {
    const slice = super.runSlice(limit);
    const steps = slice.series.loss.length;
    const { values } = this.diagnostics.updateRatios;
    this.diagnostics.updateRatios.names.forEach((name, i) => {
      // Taken out of the collector as they are sent, so a long run's memory stays flat.
      const taken = values[i].splice(0, values[i].length);
      const series = new Float32Array(steps).fill(Number.NaN);
      series.set(taken.slice(-steps), steps - Math.min(steps, taken.length));
      slice.series[UD_PREFIX + name] = series;
    });
    this.diagnostics.updateRatios.steps.length = 0;
    return slice;
  }

  snapshot(): Packed<VitalsSnapshot | null> {
    const latest = this.diagnostics.latest;
    if (!latest) return { value: null };
    const value = toVitalsSnapshot(latest);
    return { value, transfer: snapshotBuffers(value) };
  }

  /** Any change of settings starts over (a fresh model at step 0); the same settings change nothing. */
  configure(config: unknown): 'live' | 'restart' {
    const next = config as VitalsSettings;
    if (JSON.stringify(next) === JSON.stringify(this.settings)) return 'live';
    this.settings = { ...next };
    this.build();
    return 'restart';
  }

  reset(): void {
    this.build();
  }
}

export const vitalsKind: TrainerKind<VitalsInit> = {
  create: (init) => new VitalsSessionTrainer(init),
  snapshotMs: 300,
};
