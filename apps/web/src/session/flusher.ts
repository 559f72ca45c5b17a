/**
 * A training page's redraw throttle. The worker posts up to 30 messages a second; a page keeps the
 * latest progress and a "charts are stale" flag, and redraws at most once per `intervalMs` — at
 * once when the run's status changes (Pause, done, diverged must show without delay) or when the
 * page asks (`markDirty(true)` on a fresh trainer). Every main-thread task stays short.
 */
import { useEffect, useRef } from 'preact/hooks';
import { type Clock, realClock } from './throttle.js';

/** What a redraw gets: the progress that came since the last one (or null), and the flag. */
export interface Flush<P> {
  progress: P | null;
  /** Whether `markDirty` was called since the last redraw (the charts need new data). */
  dirty: boolean;
}

export interface SessionFlusher<P extends { status: string }> {
  /** Keeps `progress` for the next redraw: at once when its status is not the one shown. */
  progress(progress: P): void;
  /** Marks the charts stale: redrawn with the next redraw, or at once when `urgent`. */
  markDirty(urgent?: boolean): void;
  /** Drops a waiting redraw (the page unmounts). */
  cancel(): void;
}

export interface SessionFlusherOptions<P> {
  /** The shortest time between two redraws, in milliseconds. */
  intervalMs: number;
  /** The redraw: sets the page's signals from what came since the last one. */
  flush: (pending: Flush<P>) => void;
  clock?: Clock;
}

/**
 * The throttle itself (the hook's state), testable with a fake clock.
 *
 * @example
 * ```ts
 * const flusher = createSessionFlusher<{ status: string }>({ intervalMs: 200, flush: console.log });
 * flusher.progress({ status: 'running' }); // status changed: redrawn on the next task
 * flusher.progress({ status: 'running' }); // same status: at most 200 ms after the last redraw
 * ```
 */
export function createSessionFlusher<P extends { status: string }>(
  options: SessionFlusherOptions<P>,
): SessionFlusher<P> {
  const clock = options.clock ?? realClock;
  let pending: P | null = null;
  let dirty = false;
  let shownStatus: string | null = null;
  let timer: unknown = null;
  let lastFlush = Number.NEGATIVE_INFINITY;
  const flush = () => {
    timer = null;
    lastFlush = clock.now();
    const next: Flush<P> = { progress: pending, dirty };
    if (pending) shownStatus = pending.status;
    pending = null;
    dirty = false;
    options.flush(next);
  };
  const schedule = (urgent: boolean) => {
    if (timer !== null && !urgent) return;
    if (timer !== null) clock.clearTimer(timer);
    const wait = urgent ? 0 : Math.max(0, options.intervalMs - (clock.now() - lastFlush));
    timer = clock.setTimer(flush, wait);
  };
  return {
    progress(progress) {
      pending = progress;
      schedule(progress.status !== shownStatus);
    },
    markDirty(urgent = false) {
      dirty = true;
      schedule(urgent);
    },
    cancel() {
      if (timer !== null) clock.clearTimer(timer);
      timer = null;
    },
  };
}

/**
 * `createSessionFlusher` once per page mount, cancelled on unmount; `flush` is the latest
 * render's (it may read the page's current state).
 *
 * @example
 * ```tsx
 * const flusher = useSessionFlusher<Progress>(200, ({ progress: p, dirty }) => {
 *   if (p) progress.value = p;
 *   if (dirty) chart.value = history.current.chartData();
 * });
 * // in the session's onEvent: flusher.progress(message); flusher.markDirty();
 * ```
 */
export function useSessionFlusher<P extends { status: string }>(
  intervalMs: number,
  flush: (pending: Flush<P>) => void,
): SessionFlusher<P> {
  const latest = useRef(flush);
  latest.current = flush;
  const flusher = useRef<SessionFlusher<P> | null>(null);
  if (!flusher.current) {
    flusher.current = createSessionFlusher<P>({
      intervalMs,
      flush: (pending) => latest.current(pending),
    });
  }
  useEffect(() => () => flusher.current?.cancel(), []);
  return flusher.current;
}
