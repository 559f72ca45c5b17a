/**
 * A module worker for the life of a component (or until `deps` change): created, wired to the
 * page's handlers, terminated on unmount. The page keeps `new Worker(new URL(…, import.meta.url),
 * { type: 'module' })` in its own file, where Vite finds and bundles the worker.
 */
import { useCallback, useEffect, useRef } from 'preact/hooks';

/** How a page listens to one worker. */
export interface WorkerHandlers<FromWorker> {
  onMessage: (message: FromWorker) => void;
  /** The worker failed to load or threw: `text` reads "The training worker failed: …". */
  onError: (text: string) => void;
  /** Runs just before the worker is terminated (to cancel the page's timers). */
  onStop?: () => void;
}

/**
 * `start` runs once per worker: it may post the first message (with `post`) and keep per-worker
 * state in its closure; it returns the handlers. The returned `send` posts to the current worker
 * (and does nothing between workers).
 *
 * @example
 * ```ts
 * const send = useWorker<ToWorker, FromWorker>(
 *   () => new Worker(new URL('./x.worker.ts', import.meta.url), { type: 'module' }),
 *   (post) => {
 *     post({ type: 'init', words });
 *     return { onMessage: handle, onError: setError };
 *   },
 *   [words],
 * );
 * ```
 */
export function useWorker<ToWorker, FromWorker>(
  create: () => Worker,
  start: (post: (message: ToWorker) => void) => WorkerHandlers<FromWorker>,
  deps: readonly unknown[],
): (message: ToWorker) => void {
  const worker = useRef<Worker | null>(null);
  // The caller's `deps` decide when to start a new worker (`create` and `start` are new each render).
  useEffect(() => {
    const w = create();
    worker.current = w;
    const handlers = start((message) => w.postMessage(message));
    w.onmessage = (event: MessageEvent<FromWorker>) => handlers.onMessage(event.data);
    w.onerror = (event) => handlers.onError(`The training worker failed: ${event.message}`);
    return () => {
      handlers.onStop?.();
      w.terminate();
      worker.current = null;
    };
  }, deps);
  return useCallback((message: ToWorker) => worker.current?.postMessage(message), []);
}
