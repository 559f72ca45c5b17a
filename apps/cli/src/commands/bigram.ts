/**
 * `lmp bigram`: makemore part 1's count model on a word list. Counts every pair of consecutive
 * characters (with `.` before and after each word), prints the data summary, the average negative
 * log-likelihood with and without add-k smoothing, the most common pairs and a few samples (marking
 * the ones that are new), and optionally draws the lecture's count heatmap.
 */
import { Generator } from '@llm-playground/core';
import { CharTokenizer } from '@llm-playground/data';
import { BigramCounts, sample } from '@llm-playground/makemore';
import {
  type CommandSpec,
  type OptionValues,
  readNumber,
  readString,
  valueOption,
} from '../command.js';
import type { CliIO } from '../io.js';
import { bigramHeatmapSvg } from '../render/bigram-heatmap.js';
import {
  BACKEND_OPTIONS,
  type BackendOptions,
  backendIfNotJs,
  readBackendOptions,
  withBackend,
} from './backend-flag.js';
import {
  formatCount,
  formatLoss,
  formatSamples,
  INPUT_LIMIT_OPTIONS,
  INPUT_OPTION,
  type InputLimits,
  LECTURE_SEED,
  loadInput,
  readInputLimits,
  readSeed,
  samplesOption,
} from './makemore-common.js';
import { checkPlotPath, writePlot } from './plot-file.js';

const COMMAND = 'bigram';

/** Options of `lmp bigram` as parsed from its flags. */
export interface BigramCommandOptions extends BackendOptions {
  /** Word list: a path or an http(s) URL; `undefined` = the bundled names. */
  input?: string;
  /** Limits of reading `-i` (`--max-input-mb`, `--timeout`). */
  inputLimits?: InputLimits;
  /** Pseudo-count added to every pair (default 1, the lecture's `(N+1)`). */
  smoothing: number;
  /** How many names to sample (default 5). */
  samples: number;
  /** Seed of the sampling generator (default 2147483647, the lecture's). */
  seed: number;
  /** How many of the most common pairs to list (default 10). */
  top: number;
  /** Write the count heatmap here (`.svg` or `.png`). */
  plot?: string;
}

/**
 * Reads the command's flags, with a `UsageError` for any bad value.
 *
 * @example
 * parseBigramOptions({ samples: '3' }); // { smoothing: 1, samples: 3, seed: 2147483647, top: 10 }
 */
export function parseBigramOptions(values: OptionValues): BigramCommandOptions {
  return {
    input: readString(values, 'input'),
    inputLimits: readInputLimits(values, COMMAND),
    smoothing: readNumber(values, 'smoothing', 1, { min: 0 }, COMMAND),
    samples: readNumber(values, 'samples', 5, { integer: true, min: 0 }, COMMAND),
    seed: readSeed(values, LECTURE_SEED, COMMAND),
    top: readNumber(values, 'top', 10, { integer: true, min: 0 }, COMMAND),
    plot: readString(values, 'plot'),
    ...readBackendOptions(values, COMMAND),
  };
}

/**
 * Runs `lmp bigram` with parsed options, writing to `io`; returns the exit code.
 *
 * @example
 * await runBigram(parseBigramOptions({}), { stdout: process.stdout, stderr: process.stderr });
 */
export async function runBigram(options: BigramCommandOptions, io: CliIO): Promise<number> {
  return withBackend(options, io, (backend) => countBigrams(options, io, backend));
}

async function countBigrams(
  options: BigramCommandOptions,
  io: CliIO,
  backend: string,
): Promise<number> {
  const plotPath = checkPlotPath(options.plot, io, COMMAND);
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const list = await loadInput(options.input, io, options.inputLimits);
  out(list.summary);
  const tokenizer = CharTokenizer.fromWords(list.words);
  out(
    `vocabulary: ${tokenizer.vocabSize} characters ('${tokenizer.boundary}' + ${tokenizer.itos.slice(1).join('')})`,
  );

  const model = BigramCounts.fromWords(list.words, tokenizer, { smoothing: options.smoothing });
  const smoothed = model.nll(list.words, { smoothing: options.smoothing });
  const raw = model.nll(list.words, { smoothing: 0 });
  out(`bigrams: ${formatCount(smoothed.count)}`);
  const rawText = Number.isFinite(raw.nll) ? formatLoss(raw.nll) : 'infinite (a pair has count 0)';
  out(
    `average negative log-likelihood: ${formatLoss(smoothed.nll)} with smoothing ${options.smoothing}` +
      (options.smoothing === 0 ? '' : `, ${rawText} without`),
  );

  if (options.top > 0) {
    const pairs = model.topPairs(options.top);
    const width = String(formatCount(pairs[0]?.count ?? 0)).length;
    out(`most common pairs:`);
    for (const [k, { pair, count }] of pairs.entries()) {
      out(
        `  ${String(k + 1).padStart(String(pairs.length).length)}. ${pair}  ${formatCount(count).padStart(width)}`,
      );
    }
  }

  if (options.samples > 0) {
    const generator = new Generator(options.seed);
    const drawn = sample(model, tokenizer, {
      count: options.samples,
      generator,
      exclude: new Set(list.words),
      allowExisting: true, // the lecture's stream: every draw is shown, new or not
    });
    for (const line of formatSamples(
      drawn.words,
      drawn.isNew,
      ` (${[`seed ${options.seed}`, ...backendIfNotJs(backend)].join(', ')})`,
    )) {
      out(line);
    }
  }

  if (plotPath !== undefined) {
    const svg = bigramHeatmapSvg({
      counts: model.counts.data,
      itos: tokenizer.itos,
      title: 'Bigram counts: row = first character, column = second',
      subtitle: `${list.summary} · ${formatCount(smoothed.count)} bigrams`,
    });
    out(`wrote ${options.plot} (${writePlot(plotPath, svg)})`);
  }
  return 0;
}

/** The command-table entry for `lmp bigram`. */
export const bigramCommand: CommandSpec = {
  name: COMMAND,
  summary: 'count bigrams: NLL, most common pairs, samples, heatmap (makemore part 1)',
  description:
    "makemore part 1: the bigram count model. Counts each pair of consecutive characters (the boundary '.' " +
    'before and after every word), turns the counts plus --smoothing into probabilities, and prints the ' +
    'average negative log-likelihood of the data, the most common pairs and --samples names drawn with ' +
    "--seed (the lecture's seed gives the lecture's names on names.txt), marking the ones not in the data. " +
    "--plot draws the lecture's heatmap with each pair and its count in its cell. Without -i it uses the " +
    'bundled English first names.',
  options: [
    INPUT_OPTION,
    ...INPUT_LIMIT_OPTIONS,
    valueOption('smoothing', 'K', 'pseudo-count added to every pair (0 = none)', '1'),
    samplesOption('5', 'names to sample'),
    valueOption('seed', 'N', 'seed of the sampling generator', String(LECTURE_SEED)),
    valueOption('top', 'N', 'most common pairs to list', '10'),
    valueOption('plot', 'FILE', 'write the count heatmap to FILE.svg or FILE.png'),
    ...BACKEND_OPTIONS,
  ],
  examples: [
    'lmp bigram',
    'lmp bigram -i names.txt --plot bigram.png',
    'lmp bigram -i https://raw.githubusercontent.com/karpathy/makemore/master/names.txt --samples 20',
  ],
  run: (values, io) => runBigram(parseBigramOptions(values), io),
};
