/**
 * `lmp lr-find`: the learning-rate finder of makemore part 2. One SGD step at each of `--steps`
 * learning rates spaced evenly in the exponent from `--min-lr` to `--max-lr` (the lecture's
 * `lre = torch.linspace(-3, 0, 1000); lrs = 10**lre`), recording each step's minibatch loss. The
 * loss falls while the rate is useful and explodes once it is too large; the suggested rate is the
 * minimum of the smoothed curve backed off by √10 (makemore's `lrFinder`). The model is freshly
 * initialised with `--seed`, as `lmp train` would start it, and nothing is saved.
 */
import { Generator } from '@llm-playground/core';
import { buildContexts, CharTokenizer, splitWords } from '@llm-playground/data';
import { createModel, lrFinder, type ModelConfig } from '@llm-playground/makemore';
import { type CommandSpec, type OptionValues, readNumber, readString } from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { formatRate, lrCurveSvg } from '../render/lr-curve.js';
import {
  formatCount,
  formatLoss,
  INPUT_OPTION,
  LECTURE_SEED,
  loadInput,
  readSeed,
} from './makemore-common.js';
import { checkPlotPath, writePlot } from './plot-file.js';
import { checkModelSize } from './size-check.js';
import { describeModel, SPLIT_SEED } from './train.js';

const COMMAND = 'lr-find';
const MODELS = ['mlp', 'bigram-net'] as const;

/** Options of `lmp lr-find` as parsed from its flags. */
export interface LrFindOptions {
  model: (typeof MODELS)[number];
  input?: string;
  steps: number;
  minLr: number;
  maxLr: number;
  batchSize: number;
  blockSize: number;
  nEmbd: number;
  nHidden: number;
  seed: number;
  plot?: string;
}

/**
 * Reads the command's flags, with a `UsageError` for any bad value.
 *
 * @example
 * parseLrFindOptions({ steps: '500' }); // { model: 'mlp', steps: 500, minLr: 0.001, maxLr: 1, ... }
 */
export function parseLrFindOptions(values: OptionValues): LrFindOptions {
  const model = readString(values, 'model') ?? 'mlp';
  if (!MODELS.includes(model as LrFindOptions['model'])) {
    throw new UsageError(`--model must be one of ${MODELS.join(', ')}, got '${model}'`, COMMAND);
  }
  const positive = (name: string, fallback: number) =>
    readNumber(values, name, fallback, { integer: true, min: 1 }, COMMAND);
  const minLr = readNumber(values, 'min-lr', 1e-3, { min: 0, exclusiveMin: true }, COMMAND);
  const maxLr = readNumber(values, 'max-lr', 1, { min: 0, exclusiveMin: true }, COMMAND);
  if (!(minLr < maxLr)) {
    throw new UsageError(`--min-lr (${minLr}) must be below --max-lr (${maxLr})`, COMMAND);
  }
  return {
    model: model as LrFindOptions['model'],
    input: readString(values, 'input'),
    steps: readNumber(values, 'steps', 1000, { integer: true, min: 2 }, COMMAND),
    minLr,
    maxLr,
    batchSize: positive('batch-size', 32),
    blockSize: positive('block-size', 3),
    nEmbd: positive('n-embd', 10),
    nHidden: positive('n-hidden', 200),
    seed: readSeed(values, LECTURE_SEED, COMMAND),
    plot: readString(values, 'plot'),
  };
}

/** Runs `lmp lr-find` with parsed options, writing to `io`; returns the exit code. */
export async function runLrFind(options: LrFindOptions, io: CliIO): Promise<number> {
  const plotPath = checkPlotPath(options.plot, io, COMMAND);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const list = await loadInput(options.input, io);
  out(list.summary);
  const tokenizer = CharTokenizer.fromWords(list.words);
  const split = splitWords(list.words, { seed: SPLIT_SEED });
  if (split.train.length === 0) {
    throw new Error(
      `the training split is empty: ${list.words.length} word(s) split 80/10/10 leave none; give at least 2 words`,
    );
  }
  const blockSize = options.model === 'mlp' ? options.blockSize : 1;
  const config: ModelConfig =
    options.model === 'mlp'
      ? {
          kind: 'mlp',
          vocabSize: tokenizer.vocabSize,
          blockSize,
          nEmbd: options.nEmbd,
          nHidden: options.nHidden,
        }
      : { kind: 'bigram-net', vocabSize: tokenizer.vocabSize, blockSize: 1 };
  checkModelSize(config, options.batchSize, COMMAND);
  const data = buildContexts(split.train, tokenizer, blockSize);
  const generator = new Generator(options.seed);
  const model = createModel(config, { generator });
  out(`model ${describeModel(model)}`);
  out(
    `sweep: ${formatCount(options.steps)} SGD steps, lr ${formatRate(options.minLr)} → ${formatRate(options.maxLr)} ` +
      `(evenly spaced in log10), batch ${options.batchSize} of ${formatCount(data.length)} training examples, seed ${options.seed}`,
  );
  const { lrs, losses, suggestion } = lrFinder(model, data, {
    steps: options.steps,
    minExponent: Math.log10(options.minLr),
    maxExponent: Math.log10(options.maxLr),
    batchSize: options.batchSize,
    generator,
  });
  // Ten rows of the sweep: where the loss falls, where it is lowest, where it explodes.
  out('lr        loss');
  const rows = 10;
  for (let row = 0; row < rows; row++) {
    const k = Math.round((row * (options.steps - 1)) / (rows - 1));
    const loss = losses[k];
    out(
      `${formatRate(lrs[k]).padEnd(8)}  ${Number.isFinite(loss) ? formatLoss(loss) : 'diverged'}`,
    );
  }
  out(
    `suggested learning rate: ${formatRate(suggestion)} (try: lmp train -m ${options.model} --lr ${formatRate(suggestion)})`,
  );
  if (plotPath !== undefined && options.plot !== undefined) {
    const svg = lrCurveSvg({
      lrs,
      losses,
      suggestion,
      title: `Learning-rate sweep: ${options.model} on ${list.source.startsWith('bundled') ? 'the bundled names' : list.source}`,
      subtitle: `${formatCount(options.steps)} steps, batch ${options.batchSize}, seed ${options.seed}`,
    });
    out(`wrote ${options.plot} (${writePlot(plotPath, svg)})`);
  }
  return 0;
}

/** The command-table entry for `lmp lr-find`. */
export const lrFindCommand: CommandSpec = {
  name: COMMAND,
  summary: 'sweep the learning rate (one step each, log-spaced) and suggest one; --plot the curve',
  description:
    "The learning-rate finder of makemore part 2: one SGD step at each of --steps rates spaced evenly in the exponent from --min-lr to --max-lr (the lecture's lre = linspace(-3, 0, 1000); lrs = 10**lre), each on a fresh minibatch of the training split, recording its loss. " +
    'The loss falls while the rate helps and explodes once it is too large. Prints ten rows of the sweep and ' +
    'the suggested rate (the minimum of the smoothed curve divided by √10, to stay clear of the unstable edge); ' +
    '--plot draws loss against learning rate. The model starts from --seed as lmp train would start it; nothing is saved.',
  options: [
    {
      name: 'model',
      type: 'string',
      short: 'm',
      valueName: 'KIND',
      defaultText: 'mlp',
      description: 'mlp or bigram-net',
    },
    INPUT_OPTION,
    {
      name: 'steps',
      type: 'string',
      valueName: 'N',
      defaultText: '1000',
      description: 'steps in the sweep (one learning rate each)',
    },
    {
      name: 'min-lr',
      type: 'string',
      valueName: 'LR',
      defaultText: '0.001',
      description: 'first learning rate of the sweep',
    },
    {
      name: 'max-lr',
      type: 'string',
      valueName: 'LR',
      defaultText: '1',
      description: 'last learning rate of the sweep',
    },
    {
      name: 'batch-size',
      type: 'string',
      valueName: 'N',
      defaultText: '32',
      description: 'examples per step',
    },
    {
      name: 'block-size',
      type: 'string',
      valueName: 'N',
      defaultText: '3',
      description: 'mlp: characters of context',
    },
    {
      name: 'n-embd',
      type: 'string',
      valueName: 'N',
      defaultText: '10',
      description: 'mlp: embedding dimensions per character',
    },
    {
      name: 'n-hidden',
      type: 'string',
      valueName: 'N',
      defaultText: '200',
      description: 'mlp: hidden tanh units',
    },
    {
      name: 'seed',
      type: 'string',
      valueName: 'N',
      defaultText: String(LECTURE_SEED),
      description: 'generator seed: initial weights, then minibatches',
    },
    {
      name: 'plot',
      type: 'string',
      valueName: 'FILE',
      description: 'write the loss-vs-learning-rate curve to FILE.svg or FILE.png',
    },
  ],
  examples: [
    'lmp lr-find',
    'lmp lr-find --plot lr.png',
    'lmp lr-find -m bigram-net --min-lr 1 --max-lr 1000 --plot lr-net.png',
    'lmp lr-find -i names.txt --steps 300 --batch-size 64',
  ],
  run: (values, io) => runLrFind(parseLrFindOptions(values), io),
};
