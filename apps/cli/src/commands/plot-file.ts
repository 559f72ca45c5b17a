/**
 * The `--plot FILE` flag of the commands that draw (`lmp bigram`, `train`, `micrograd moons`): the
 * name must end in `.svg` or `.png`, its directory must exist, and the SVG document is written as
 * is or rasterised to PNG (through resvg) by the name's extension.
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { readOutputPath } from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { describeWriteError } from '../output-path.js';
import { renderPng } from '../render/png.js';

/**
 * Checks that a `--plot` (or `--<flag>`) value names a `.svg` or `.png` file (`UsageError` otherwise).
 *
 * @example
 * checkPlotName('out.jpg', 'micrograd moons');
 * // throws UsageError: --plot must name a .svg or .png file, got 'out.jpg'
 */
export function checkPlotName(plot: string | undefined, command: string, flag = 'plot'): void {
  if (plot !== undefined && !/^\.(svg|png)$/i.test(extname(plot))) {
    throw new UsageError(`--${flag} must name a .svg or .png file, got '${plot}'`, command);
  }
}

/**
 * Checks a `--plot` value (or `--<flag>`'s, `--diagnostics`): `.svg` or `.png`, in a directory
 * that exists. Returns the absolute path (or `undefined` when the flag is absent).
 *
 * @example
 * checkPlotPath('plots/bigram.png', { stdout, stderr, cwd: '/home/me' }, 'bigram');
 * // '/home/me/plots/bigram.png'
 */
export function checkPlotPath(
  plot: string | undefined,
  io: CliIO,
  command: string,
  flag = 'plot',
): string | undefined {
  checkPlotName(plot, command, flag);
  return readOutputPath(plot, flag, io, command);
}

/**
 * Writes `svg` to `path`, as PNG (through resvg) when the name ends in `.png`. Returns what was
 * written, for the "wrote …" line: `'SVG'` or `'2032×2132 PNG'`.
 *
 * @example
 * writePlot('/tmp/plot.png', svg); // '1360×1000 PNG'
 */
export function writePlot(path: string, svg: string, flag = 'plot'): string {
  const png = /\.png$/i.test(path) ? renderPng(svg) : undefined;
  try {
    writeFileSync(path, png ?? svg);
  } catch (error) {
    // Checked before the work started; this is a disk that filled up or a folder removed since.
    throw new Error(`--${flag}: ${describeWriteError(error, path, process.cwd())}`);
  }
  return png === undefined ? 'SVG' : `${png.readUInt32BE(16)}×${png.readUInt32BE(20)} PNG`;
}
