/**
 * The runs that the bench (`bench/index.ts`) and `pnpm reproduce --parts zoo,gpt` share:
 *
 * - `makemoreRun`: makemore.py's setup for a zoo family (`bow`, `rnn`, `gru`, `transformer`) with
 *   its own split, not the lectures' 80/10/10: from `new Generator(seed)` (makemore's
 *   `torch.manual_seed(3407)`), `randperm(len(words))`, the last min(1000, 10%) words as the test
 *   set, the rest to train; then the model from the same generator (so its initial weights are
 *   makemore.py's, number for number), AdamW (lr 5e-4, wd 0.01, betas (0.9, 0.99)), batch 32.
 *   NOTE: unlike makemore.py, whose DataLoader draws minibatches from a generator of its own, ours
 *   come from the same generator (the same distribution, other draws), as bench/torch_zoo.py's
 *   `torch.randint` do: ours and torch_zoo.py's run see the same minibatches (the transformer's
 *   test loss 2.2020 and 2.1452 at steps 500 and 1,000 in both) and part only by float32 drift.
 * - `gptRun`: a `gptPresets` preset on a text (`prepareRun`: 90/10 split, the preset's run).
 * - `trainToLoss`: trains in chunks of `evalEvery` steps, evaluating after each chunk, until a target
 *   loss, the step limit or a time budget; training seconds only (evaluation not counted), as
 *   bench/torch_zoo.py and bench/torch_gpt.py count theirs.
 */
import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import type { BackendName } from '@llm-playground/tensor';
import { setBackend } from '@llm-playground/tensor';
import { gptPresets } from '../src/families/gpt/schema.js';
import { createModel, familyConfig, getFamily } from '../src/families/registry.js';
import { evaluate, type LanguageModel, prepareRun, Trainer } from '../src/index.js';
import { runSettings } from '../src/run-settings.js';
import { languageModelTask } from '../src/tasks/language-model.js';
import type { TrainData } from '../src/tasks/minibatch-sampler.js';
import type { ModelTokenizer } from '../src/text-tokenizer.js';
import { wordSequences } from '../src/training-data.js';

/** makemore.py's families, in its README's order. */
export const ZOO = ['bow', 'rnn', 'gru', 'transformer'] as const;
export type ZooFamily = (typeof ZOO)[number];

/** makemore.py's `--seed` default. */
export const MAKEMORE_SEED = 3407;
/** gpt.py's `torch.manual_seed(1337)`. */
export const GPT_SEED = 1337;

/** A prepared run: the model, its trainer, and the data its loss is measured on. */
export interface EvaluatedRun {
  model: LanguageModel;
  tokenizer: ModelTokenizer;
  trainer: Trainer;
  /** makemore's test set (zoo) or the text's validation part (gpt). */
  heldOut: TrainData;
  /** The examples trained on. */
  train: TrainData;
  /** The run's default length (the preset's or the family's). */
  steps: number;
}

/** makemore.py's partition of `words` for `seed`: `randperm`, the last min(1000, 10%) to test. */
export function makemoreSplit(
  words: readonly string[],
  generator: Generator,
): { train: string[]; test: string[] } {
  const testSize = Math.min(1000, Math.floor(words.length * 0.1));
  const order = Array.from(generator.randperm(words.length), (i) => words[i]);
  return { train: order.slice(0, order.length - testSize), test: order.slice(-testSize) };
}

/** makemore.py's run of `family` on `words` (see the file's comment); `steps` default 10,000. */
export function makemoreRun(
  family: ZooFamily,
  words: readonly string[],
  options: { seed?: number; steps?: number; backend?: BackendName; capture?: boolean } = {},
): EvaluatedRun {
  if (options.backend) setBackend(options.backend);
  const generator = new Generator(options.seed ?? MAKEMORE_SEED);
  const tokenizer = CharTokenizer.fromWords(words);
  const blockSize = words.reduce((n, w) => Math.max(n, Array.from(w).length), 0) + 1;
  const config = familyConfig(family, { blockSize }, { vocabSize: tokenizer.vocabSize });
  const split = makemoreSplit(words, generator);
  const model = createModel(config, { generator });
  const settings = runSettings(getFamily(family), { steps: options.steps });
  const train = wordSequences(split.train, tokenizer, blockSize);
  const task = languageModelTask(model, train, { batchSize: settings.batchSize });
  const trainer = new Trainer(task, {
    steps: settings.steps,
    optimizer: settings.optimizer,
    schedule: settings.schedule,
    generator,
    capture: options.capture ?? true,
  });
  const heldOut = wordSequences(split.test, tokenizer, blockSize);
  return { model, tokenizer, trainer, heldOut, train, steps: settings.steps };
}

/** A `gptPresets` preset's run on `text` (its config and run settings; `steps` overrides). */
export function gptRun(
  preset: string,
  text: string,
  options: { seed?: number; steps?: number; backend?: BackendName; capture?: boolean } = {},
): EvaluatedRun {
  const chosen = gptPresets[preset];
  if (!chosen) {
    throw new Error(`unknown gpt preset '${preset}': one of ${Object.keys(gptPresets).join(', ')}`);
  }
  const run = prepareRun({
    family: 'gpt',
    rawConfig: chosen.config,
    text,
    seed: options.seed ?? GPT_SEED,
    run: { ...chosen.run, ...(options.steps === undefined ? {} : { steps: options.steps }) },
    backend: options.backend,
  });
  const trainer = run.createTrainer({ capture: options.capture ?? true });
  return {
    model: run.model,
    tokenizer: run.tokenizer,
    trainer,
    heldOut: run.data.dev,
    train: run.data.train,
    steps: run.settings.steps,
  };
}

/** One evaluation: after `step` steps and `seconds` of training, the held-out `loss`. */
export type CurvePoint = [step: number, seconds: number, loss: number];

export interface TrainToLossOptions {
  /** Steps between evaluations. */
  evalEvery: number;
  /** Stop at the first evaluation ≤ this. */
  target?: number;
  /** Stop once training has taken this many seconds (checked after each chunk). */
  maxSeconds?: number;
  /** Called after each evaluation. */
  onEval?: (point: CurvePoint) => void;
}

/**
 * Trains `run` in chunks of `evalEvery` steps to its trainer's end (or the target, or the time
 * budget), evaluating the held-out loss after each chunk.
 */
export function trainToLoss(
  run: EvaluatedRun,
  options: TrainToLossOptions,
): { curve: CurvePoint[]; reached: [step: number, seconds: number] | null; seconds: number } {
  const curve: CurvePoint[] = [];
  let seconds = 0;
  for (;;) {
    const progress = run.trainer.runSlice({ maxSteps: options.evalEvery });
    if (progress.diverged) throw progress.diverged;
    seconds += progress.seconds;
    const point: CurvePoint = [progress.step, seconds, evaluate(run.model, run.heldOut)];
    curve.push(point);
    options.onEval?.(point);
    if (options.target !== undefined && point[2] <= options.target) {
      return { curve, reached: [point[0], point[1]], seconds };
    }
    if (progress.finished || seconds >= (options.maxSeconds ?? Number.POSITIVE_INFINITY)) {
      return { curve, reached: null, seconds };
    }
  }
}
