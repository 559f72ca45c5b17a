/**
 * What the makemore commands (`lmp bigram`, `train`, `sample`, `eval`) share: reading the words
 * (`-i FILE|URL`, else the bundled names), checking and writing `--plot` files, numbers with
 * thousands separators, and the sample list with its new/seen markers.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { loadWords, type WordList } from '@llm-playground/data';
import { type OptionValues, readNumber } from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { renderPng } from '../render/png.js';

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
  return resolve(io.cwd ?? process.cwd(), input);
}

/**
 * Reads the words of `-i FILE|URL` (the bundled English first names when `undefined`). Data errors
 * (missing file, empty file, not UTF-8, download failure) propagate as one-line `DataError`s, which
 * the dispatcher prints and turns into exit code 1.
 *
 * @example
 * const words = await loadInput(undefined, io); // the bundled names
 */
export function loadInput(input: string | undefined, io: CliIO): Promise<WordList> {
  return loadWords(resolveInput(input, io));
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
 * Checks a `--plot` value: `.svg` or `.png`, in a directory that exists. Returns the absolute path
 * (or `undefined` when the flag is absent).
 */
export function checkPlotPath(
  plot: string | undefined,
  io: CliIO,
  command: string,
): string | undefined {
  if (plot === undefined) return undefined;
  if (!/^\.(svg|png)$/i.test(extname(plot))) {
    throw new UsageError(`--plot must name a .svg or .png file, got '${plot}'`, command);
  }
  const path = resolve(io.cwd ?? process.cwd(), plot);
  if (!existsSync(dirname(path))) {
    throw new UsageError(`--plot: directory '${dirname(plot)}' does not exist`, command);
  }
  return path;
}

/**
 * Writes `svg` to `path`, as PNG (through resvg) when the name ends in `.png`. Returns what was
 * written, for the "wrote …" line: `'SVG'` or `'2032×2132 PNG'`.
 */
export function writePlot(path: string, svg: string): string {
  if (/\.png$/i.test(path)) {
    const png = renderPng(svg);
    writeFileSync(path, png);
    return `${png.readUInt32BE(16)}×${png.readUInt32BE(20)} PNG`;
  }
  writeFileSync(path, svg);
  return 'SVG';
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
  const width = Math.max(1, ...words.map((word) => [...word].length));
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
