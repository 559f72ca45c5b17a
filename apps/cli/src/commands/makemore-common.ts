/**
 * What the makemore commands (`lmp bigram`, `train`, `sample`, `eval`) share: reading the words
 * (`-i FILE|URL`, else the bundled names), the checkpoint directory of `--from`, numbers with
 * thousands separators, and the sample list with its new/seen markers.
 */
import { extname, isAbsolute } from 'node:path';
import {
  type CharTokenizer,
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  type LoadWordsOptions,
  loadWords,
  type WordList,
} from '@llm-playground/data';
import { type Checkpoint, loadCheckpoint } from '@llm-playground/makemore';
import { type OptionSpec, type OptionValues, readNumber } from '../command.js';
import { UsageError } from '../errors.js';
import { type CliIO, resolvePath } from '../io.js';

/** The seed of the lectures: `torch.Generator().manual_seed(2147483647)`. */
export const LECTURE_SEED = 2147483647;

/**
 * `1234567` → `'1,234,567'` (independent of the locale).
 *
 * @example
 * formatCount(228146); // '228,146'
 */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Whether `input` is an http(s) URL (kept as is) rather than a path (resolved against `cwd`). */
function isUrl(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
}

/**
 * The absolute form of an `-i` value: URLs unchanged, paths resolved against `io.cwd`.
 *
 * @example
 * resolveInput('names.txt', { cwd: '/data' } as CliIO); // '/data/names.txt'
 */
export function resolveInput(input: string | undefined, io: CliIO): string | undefined {
  if (input === undefined || isUrl(input) || isAbsolute(input)) return input;
  return resolvePath(io, input);
}

/**
 * Reads the words of `-i FILE|URL` (the bundled English first names when `undefined`). Data errors
 * (missing file, empty file, not UTF-8, download failure) propagate as one-line `DataError`s, which
 * the dispatcher prints and turns into exit code 1.
 *
 * @example
 * const words = await loadInput(undefined, io); // the bundled names
 */
export function loadInput(
  input: string | undefined,
  io: CliIO,
  limits: InputLimits = {},
): Promise<WordList> {
  return loadWords(resolveInput(input, io), limits);
}

/** `--max-input-mb` and `--timeout` as `loadWords` takes them (bytes, milliseconds). */
export type InputLimits = Pick<LoadWordsOptions, 'maxBytes' | 'timeoutMs'>;

/** `--max-input-mb MB` and `--timeout S`: the limits of reading `-i` (data's messages name them). */
export const INPUT_LIMIT_OPTIONS: OptionSpec[] = [
  {
    name: 'max-input-mb',
    type: 'string',
    valueName: 'MB',
    defaultText: String(DEFAULT_MAX_BYTES / 2 ** 20),
    description: 'refuse a word list (file or download) larger than MB mebibytes',
  },
  {
    name: 'timeout',
    type: 'string',
    valueName: 'S',
    defaultText: String(DEFAULT_TIMEOUT_MS / 1000),
    description: 'give up a download of -i URL after S seconds',
  },
];

/**
 * Reads `--max-input-mb` and `--timeout` (positive numbers) into `loadWords`' limits.
 *
 * @example
 * readInputLimits({ 'max-input-mb': '1', timeout: '5' }, 'train'); // { maxBytes: 1048576, timeoutMs: 5000 }
 */
export function readInputLimits(values: OptionValues, command: string): InputLimits {
  const read = (name: string) =>
    values[name] === undefined
      ? undefined
      : readNumber(values, name, 0, { min: 0, exclusiveMin: true }, command);
  const mb = read('max-input-mb');
  const seconds = read('timeout');
  return {
    ...(mb === undefined ? {} : { maxBytes: Math.round(mb * 2 ** 20) }),
    ...(seconds === undefined ? {} : { timeoutMs: Math.round(seconds * 1000) }),
  };
}

/**
 * Throws when a word contains the boundary character of a saved model's tokenizer. The tokenizer
 * encodes it as id 0, so a word from a new file (`eval -i`, `train --resume -i`) would silently be
 * cut in two; `CharTokenizer.fromWords` rejects such words, this check does the same for a saved one.
 *
 * @example
 * checkNoBoundary(['em.ma'], CharTokenizer.fromWords(['emma']), 'words.txt');
 * // throws: the word 'em.ma' (word 1 of words.txt) contains '.', the word boundary of the model: …
 */
export function checkNoBoundary(
  words: readonly string[],
  tokenizer: CharTokenizer,
  source: string,
): void {
  const index = words.findIndex((word) => word.includes(tokenizer.boundary));
  if (index >= 0) {
    throw new Error(
      `the word '${words[index]}' (word ${index + 1} of ${source}) contains '${tokenizer.boundary}', the word boundary of the model: it would be read as the end of a word`,
    );
  }
}

/**
 * A checkpoint loaded for a command, its `warnings` (an old format, a recovered save) printed
 * once on stderr as `lmp: warning: …`.
 *
 * @example
 * const checkpoint = openCheckpoint('lmp-out/mlp', io);
 */
export function openCheckpoint(dir: string, io: CliIO): Checkpoint {
  const checkpoint = loadCheckpoint(resolvePath(io, dir));
  for (const warning of checkpoint.warnings ?? []) io.stderr.write(`lmp: warning: ${warning}\n`);
  return checkpoint;
}

/** `-i FILE|URL`: the word list (bigram, train; eval overrides the texts). */
export const INPUT_OPTION: OptionSpec = {
  name: 'input',
  type: 'string',
  short: 'i',
  valueName: 'FILE|URL',
  defaultText: 'the bundled names',
  description: 'word list, one word per line (UTF-8)',
};

/**
 * `-n, --samples N` (also `--count N`): how many names `lmp sample`, `bigram` and `train` draw. One
 * spelling for the three commands; `--count` is kept because `lmp sample` used to take it.
 *
 * @example
 * samplesOption('20', 'new names to sample at the end').aliases; // ['count']
 */
export function samplesOption(defaultText: string, description: string): OptionSpec {
  return {
    name: 'samples',
    type: 'string',
    short: 'n',
    aliases: ['count'],
    valueName: 'N',
    defaultText,
    description,
  };
}

/** `-f DIR`: the checkpoint written by `lmp train` (sample, eval). */
export const FROM_OPTION: OptionSpec = {
  name: 'from',
  type: 'string',
  short: 'f',
  valueName: 'DIR',
  description: 'checkpoint directory written by lmp train (required)',
};

/**
 * Reads the required `--from DIR` (`UsageError` when it is missing).
 *
 * @example
 * readFrom({ from: 'lmp-out/mlp' }, 'sample'); // 'lmp-out/mlp'
 */
export function readFrom(values: OptionValues, command: string): string {
  if (values.from === undefined) {
    throw new UsageError('--from DIR is required (a directory written by lmp train)', command);
  }
  return String(values.from);
}

/**
 * Reads `--seed` (a non-negative integer up to 2^53 − 1; PyTorch's `manual_seed` keeps the low 32
 * bits of larger seeds, as the `Generator` does).
 */
export function readSeed(values: OptionValues, fallback: number, command: string): number {
  return readNumber(
    values,
    'seed',
    fallback,
    { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
    command,
  );
}

/**
 * The name of the second plot written beside `plot`: `loss.png` → `loss-embedding.png`.
 *
 * @example
 * siblingPlotPath('out/loss.png', 'embedding'); // 'out/loss-embedding.png'
 */
export function siblingPlotPath(plot: string, suffix: string): string {
  const extension = extname(plot);
  return `${plot.slice(0, plot.length - extension.length)}-${suffix}${extension}`;
}

/**
 * The sample list: a heading with how many are new, then one word per line with `new` or
 * `seen` (the word is in the data) in a column. `isNew` undefined: the data was not available.
 *
 * @example
 * formatSamples(['junide', 'a'], [true, false]);
 * // ['2 samples: 1 new, 1 seen in the data', '  junide  new', '  a       seen']
 */
export function formatSamples(
  words: readonly string[],
  isNew: readonly boolean[] | undefined,
  heading = '',
): string[] {
  const count = `${words.length} sample${words.length === 1 ? '' : 's'}${heading}`;
  if (isNew === undefined) return [`${count}:`, ...words.map((word) => `  ${word}`)];
  const fresh = isNew.filter(Boolean).length;
  // A loop, not Math.max(...lengths): spreading 125,000 arguments overflows the stack.
  let width = 1;
  for (const word of words) width = Math.max(width, [...word].length);
  return [
    `${count}: ${fresh} new, ${words.length - fresh} seen in the data`,
    ...words.map(
      (word, k) => `  ${word}${' '.repeat(width - [...word].length)}  ${isNew[k] ? 'new' : 'seen'}`,
    ),
  ];
}

/** Four decimals, the precision of the lectures' printed losses. */
export function formatLoss(loss: number): string {
  return loss.toFixed(4);
}
