/**
 * A one-line progress bar for a terminal, with no dependency: `\r` returns to the start of the line,
 * `ESC[K` erases what is left of it, so each redraw overwrites the last. Callers write ordinary lines
 * (to stdout, same terminal) between `clear()` and the next `update()` so the two never interleave.
 */
import type { OutputStream } from '../io.js';

/** Options for `ProgressBar`. */
export interface ProgressBarOptions {
  /** Characters between the brackets (default: fits the terminal, at most 30). */
  width?: number;
  /** Clock in milliseconds (default `performance.now`); injectable for tests. */
  now?: () => number;
  /** Minimum milliseconds between two redraws (default 50); the last step always draws. */
  interval?: number;
}

/**
 * A progress bar for `total` steps, drawn on `stream` (normally stderr when it is a TTY).
 *
 * @example
 * const bar = new ProgressBar(process.stderr, 100);
 * for (let k = 0; k < 100; k++) bar.update(k + 1, `loss ${loss.toFixed(4)}`);
 * bar.clear();
 * // [██████████░░░░░░░░░░░░░░░░░░░░]  34/100  34%  loss 0.3012  ETA 1.3s
 */
export class ProgressBar {
  private readonly stream: OutputStream;
  private readonly total: number;
  private readonly width: number;
  private readonly now: () => number;
  private readonly interval: number;
  private readonly start: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private line = '';

  constructor(stream: OutputStream, total: number, options: ProgressBarOptions = {}) {
    this.stream = stream;
    this.total = Math.max(1, total);
    this.now = options.now ?? (() => performance.now());
    this.interval = options.interval ?? 50;
    const columns = stream.columns ?? 80;
    this.width = options.width ?? Math.max(10, Math.min(30, columns - 50));
    this.start = this.now();
  }

  /** Records `done` finished steps and redraws (throttled), with `suffix` after the counts. */
  update(done: number, suffix = ''): void {
    const time = this.now();
    if (done < this.total && time - this.lastDraw < this.interval) return;
    this.lastDraw = time;
    this.line = this.format(done, suffix, time - this.start);
    this.stream.write(`\r${this.line}\x1b[K`);
  }

  /** Erases the bar so that other output can be written on a clean line. */
  clear(): void {
    if (this.line !== '') this.stream.write('\r\x1b[K');
    this.line = '';
    this.lastDraw = Number.NEGATIVE_INFINITY;
  }

  /** The text of the bar for `done` steps after `elapsed` milliseconds (no control characters). */
  format(done: number, suffix: string, elapsed: number): string {
    const fraction = Math.min(1, Math.max(0, done / this.total));
    const filled = Math.round(fraction * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const digits = String(this.total).length;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const remaining = done > 0 ? (elapsed / done) * (this.total - done) : Number.NaN;
    const eta =
      done >= this.total ? `took ${formatDuration(elapsed)}` : `ETA ${formatDuration(remaining)}`;
    const counts = `${String(done).padStart(digits)}/${this.total}`;
    return `[${bar}] ${counts} ${percent}${suffix === '' ? '' : `  ${suffix}`}  ${eta}`;
  }
}

/**
 * Milliseconds as a short human duration: `850ms`, `1.3s`, `2m05s`; `--` when unknown.
 *
 * @example
 * formatDuration(1300); // '1.3s'
 * formatDuration(125000); // '2m05s'
 */
export function formatDuration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds)) return '--';
  if (milliseconds < 1000) return `${Math.round(milliseconds)}ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}
