/**
 * `lmp lr-find`: the learning-rate finder of makemore part 2. One SGD step at each of `--steps`
 * learning rates spaced evenly in the exponent from `--min-lr` to `--max-lr` (the lecture's
 * `lre = torch.linspace(-3, 0, 1000); lrs = 10**lre`), recording each step's minibatch loss. The
 * loss falls while the rate is useful and explodes once it is too large; the suggested rate is the
 * minimum of the smoothed curve backed off by √10 (makemore's `lrFinder`). The model is freshly
 * initialised with `--seed`, as `lmp train` would start it, and nothing is saved.
 */
import { CharTokenizer } from '@llm-playground/data';
import {
  ConfigError,
  checkModelSize,
  familyConfig,
  getFamily,
  listFamilies,
  lrFinder,
  prepareRun,
} from '@llm-playground/makemore';
import {
  type CommandSpec,
  type OptionValues,
  readNumber,
  readString,
  valueOption,
} from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { formatRate, lrCurveSvg } from '../render/lr-curve.js';
import {
  BACKEND_OPTIONS,
  type BackendOptions,
  readBackendOptions,
  withBackend,
} from './backend-flag.js';
import {
  collectFamilyFlags,
  DEFAULT_FAMILY,
  familyConfigFromFlags,
  familyNames,
  familyOptionGroups,
  readFamilyName,
} from './family-flags.js';
import {
  formatCount,
  formatLoss,
  INPUT_LIMIT_OPTIONS,
  INPUT_OPTION,
  type InputLimits,
  LECTURE_SEED,
  loadInput,
  readInputLimits,
  readSeed,
} from './makemore-common.js';
import { checkPlotPath, writePlot } from './plot-file.js';
import { describeModel, SPLIT_SEED } from './train.js';

const COMMAND = 'lr-find';

/** Options of `lmp lr-find` as parsed from its flags. */
export interface LrFindOptions extends BackendOptions {
  /** A trainable model family (default `mlp`). */
  model: string;
  /** The model's schema values given as flags, by field name (`{ nHidden: '16' }`). */
  config: Record<string, string | boolean>;
  input?: string;
  inputLimits?: InputLimits;
  steps: number;
  minLr: number;
  maxLr: number;
  batchSize: number;
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
  const model = readFamilyName(readString(values, 'model'), COMMAND) ?? DEFAULT_FAMILY;
  const family = getFamily(model);
  if (!family.trainable) {
    throw new UsageError(
      `--model ${model} is fitted, not trained: there is no learning rate to find (choose one of ${familyNames()
        .filter((name) => getFamily(name).trainable)
        .join(', ')})`,
      COMMAND,
    );
  }
  const minLr = readNumber(values, 'min-lr', 1e-3, { min: 0, exclusiveMin: true }, COMMAND);
  const maxLr = readNumber(values, 'max-lr', 1, { min: 0, exclusiveMin: true }, COMMAND);
  if (!(minLr < maxLr)) {
    throw new UsageError(`--min-lr (${minLr}) must be below --max-lr (${maxLr})`, COMMAND);
  }
  return {
    model,
    config: familyConfigFromFlags(family, collectFamilyFlags(values), COMMAND),
    input: readString(values, 'input'),
    inputLimits: readInputLimits(values, COMMAND),
    steps: readNumber(values, 'steps', 1000, { integer: true, min: 2 }, COMMAND),
    minLr,
    maxLr,
    batchSize: readNumber(values, 'batch-size', 32, { integer: true, min: 1 }, COMMAND),
    seed: readSeed(values, LECTURE_SEED, COMMAND),
    plot: readString(values, 'plot'),
    ...readBackendOptions(values, COMMAND),
  };
}

/** Runs `lmp lr-find` with parsed options, writing to `io`; returns the exit code. */
export async function runLrFind(options: LrFindOptions, io: CliIO): Promise<number> {
  return withBackend(options, io, (backend) => findLr(options, io, backend));
}

async function findLr(options: LrFindOptions, io: CliIO, backend: string): Promise<number> {
  const plotPath = checkPlotPath(options.plot, io, COMMAND);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const list = await loadInput(options.input, io, options.inputLimits);
  out(list.summary);
  if (list.words.length < 2) {
    throw new Error(
      `the training split is empty: ${list.words.length} word(s) split 80/10/10 leave none; give at least 2 words`,
    );
  }
  const family = getFamily(options.model);
  try {
    const vocabSize = CharTokenizer.fromWords(list.words).vocabSize;
    checkModelSize(family, familyConfig(family.name, options.config, { vocabSize }), {
      training: true,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, COMMAND);
    throw error;
  }
  // The model and the training examples exactly as `lmp train` starts them.
  const run = prepareRun({
    family: family.name,
    rawConfig: options.config,
    words: list.words,
    split: { seed: SPLIT_SEED },
    seed: options.seed,
    run: { batchSize: options.batchSize },
  });
  const data = run.data.train;
  out(`model ${describeModel(run.model)}`);
  out(
    `sweep: ${formatCount(options.steps)} SGD steps, lr ${formatRate(options.minLr)} → ${formatRate(options.maxLr)} ` +
      `(evenly spaced in log10), batch ${options.batchSize} of ${formatCount(data.length)} training examples, seed ${options.seed}, backend ${backend}`,
  );
  const { lrs, losses, suggestion } = lrFinder(run.model, data, {
    steps: options.steps,
    minExponent: Math.log10(options.minLr),
    maxExponent: Math.log10(options.maxLr),
    batchSize: options.batchSize,
    generator: run.generator,
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
  get options() {
    return [
      {
        name: 'model',
        type: 'string' as const,
        short: 'm',
        valueName: 'NAME',
        defaultText: DEFAULT_FAMILY,
        description: `a trainable model family: ${familyNames()
          .filter((name) => getFamily(name).trainable)
          .join(', ')}`,
      },
      INPUT_OPTION,
      ...INPUT_LIMIT_OPTIONS,
      ...BACKEND_OPTIONS,
      valueOption('steps', 'N', 'steps in the sweep (one learning rate each)', '1000'),
      valueOption('min-lr', 'LR', 'first learning rate of the sweep', '0.001'),
      valueOption('max-lr', 'LR', 'last learning rate of the sweep', '1'),
      valueOption('batch-size', 'N', 'examples per step', '32'),
      valueOption(
        'seed',
        'N',
        'generator seed: initial weights, then minibatches',
        String(LECTURE_SEED),
      ),
      valueOption('plot', 'FILE', 'write the loss-vs-learning-rate curve to FILE.svg or FILE.png'),
    ];
  },
  get optionGroups() {
    return familyOptionGroups(listFamilies().filter((family) => family.trainable));
  },
  examples: [
    'lmp lr-find',
    'lmp lr-find --plot lr.png',
    'lmp lr-find -m bigram-net --min-lr 1 --max-lr 1000 --plot lr-net.png',
    'lmp lr-find -i names.txt --steps 300 --batch-size 64',
  ],
  run: (values, io) => runLrFind(parseLrFindOptions(values), io),
};
