/**
 * What the session worker trains with, as the page sees it: `BackendInfo` (posted by the worker as
 * a `backend` event, held by `SessionClient.backendInfo`), the `?backend=` switch, and the one
 * line a page shows. No tensor import: the pages' main-thread chunks stay free of the library.
 */
import type { BackendName } from '@llm-playground/tensor';

/** What the session worker trains with (posted once, when the worker has set its backend up). */
export interface BackendInfo {
  /** The backend asked for (`?backend=` in the page's address; `'wasm'` by default). */
  requested: BackendName;
  /** The backend in use. */
  backend: BackendName;
  /** Threads for large wasm matmuls (1: the worker's own thread only). */
  threads: number;
  /** Whether the worker is cross-origin isolated (shared memory possible). */
  isolated: boolean;
  /** Why it runs with less than it could (one line each; empty when it runs at full speed). */
  notes: string[];
}

/** Threads the worker asks for when isolated (the target machine has 2 cores). */
export const MAX_THREADS = 2;

/** The note shown when the page is served without COOP/COEP. */
export const NOT_ISOLATED_NOTE = 'served without cross-origin isolation: one thread';

/**
 * The backend requested by a page address's query (`location.search`, before the hash):
 * `?backend=js` or `?backend=wasm`; null when there is none (the worker then uses `'wasm'`).
 * Any other value is an error naming the accepted ones.
 *
 * @example
 * ```ts
 * requestedBackend('?backend=js'); // 'js'
 * requestedBackend(''); // null
 * ```
 */
export function requestedBackend(search: string): BackendName | null {
  const value = new URLSearchParams(search).get('backend');
  if (value === null || value === '') return null;
  if (value === 'js' || value === 'wasm') return value;
  throw new TypeError(
    `?backend=${value} is not a tensor backend: use ?backend=wasm (the default) or ?backend=js`,
  );
}

/** One line for a page: `wasm · 2 threads`, `js · served without cross-origin isolation: one thread`. */
export function describeBackend(info: BackendInfo): string {
  const head = `${info.backend} · ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  return info.notes.length > 0 ? `${head} (${info.notes.join('; ')})` : head;
}
