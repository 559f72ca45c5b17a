/**
 * Input limits: how much a word list may weigh and how long a download may take, so that
 * `-i /dev/zero` or a server that never answers ends quickly with a clear message instead of
 * eating memory or hanging.
 */
import { DataError } from './errors.js';

/** The largest word list read or downloaded unless `maxBytes` says otherwise: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 2 ** 20;

/** How long a download may take (connecting and reading the body) unless `timeoutMs` says otherwise: 30 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** `268435456` → `'256 MiB'`, `1500` → `'1.5 KiB'`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * A word list larger than the input limit. `limit` is the limit in bytes; `bytes` the size when
 * known (a regular file or a `content-length`), else how much was read before stopping.
 *
 * @example
 * ```ts
 * const error = new InputTooLargeError('big.txt', 300 * 2 ** 20, 256 * 2 ** 20, true);
 * error instanceof DataError; // true
 * error.message; // 'big.txt is 300 MiB, more than the input limit of 256 MiB — use a smaller word list, or raise the limit with { maxBytes } (the CLI: --max-input-mb)'
 * ```
 */
export class InputTooLargeError extends DataError {
  /** The limit, in bytes. */
  readonly limit: number;
  /** The size (`exact`) or the bytes read before stopping (not `exact`). */
  readonly bytes: number;

  constructor(source: string, bytes: number, limit: number, exact: boolean) {
    const size = exact
      ? `is ${formatBytes(bytes)}`
      : `holds more than the input limit of ${formatBytes(limit)} (stopped reading there)`;
    super(
      `${source} ${size}${exact ? `, more than the input limit of ${formatBytes(limit)}` : ''} — use a smaller word list, or raise the limit with { maxBytes } (the CLI: --max-input-mb)`,
    );
    this.limit = limit;
    this.bytes = bytes;
  }
}

/** Checks a `maxBytes` / `timeoutMs` argument. */
export function checkLimit(value: number, name: string, op: string): number {
  if (
    !(typeof value === 'number' && value > 0 && (Number.isInteger(value) || value === Infinity))
  ) {
    throw new RangeError(
      `Argument '${name}' passed to '${op}' must be a positive integer (or Infinity), got ${value}`,
    );
  }
  return value;
}
