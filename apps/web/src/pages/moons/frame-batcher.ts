/**
 * Folds the training session's progress events into the moons page's live state, at most once
 * per animation frame. The worker posts up to 30 times a second, and each post used to re-render
 * the whole experiment (its form, both charts, the picture): on a loaded 2-core machine that made
 * main-thread tasks of 70–150 ms. Now a post only appends to arrays; one frame then updates the
 * status line, hands the charts their data and redraws the moons picture only when a new
 * snapshot (the decision boundary) came with the posts.
 */
import type { ProgressEvent, Stop } from '../../session/protocol.js';

/** The charts' data: one entry per step (plain arrays, appended to). */
export interface History {
  steps: number[];
  loss: number[];
  /** In percent. */
  accuracy: number[];
}

/** The status line's numbers after the latest post. */
export interface Progress {
  stepCount: number;
  /** In [0, 1]: the latest snapshot's accuracy on all points. */
  accuracy: number;
  running: boolean;
  done: boolean;
  /** Why the run stopped (done, or the Trainer's divergence), or null. */
  stop: Stop | null;
  lastLoss: number | null;
  lastLr: number | null;
}

/** How a flush is scheduled: `requestAnimationFrame` in the page, a manual queue in tests. */
export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/**
 * Collects progress events between frames and calls `flush` once per frame with what changed.
 *
 * @example
 * ```ts
 * const batcher = new FrameBatcher((batch) => render(batch.progress, batch.history));
 * session.subscribe((event) => event.type === 'progress' && batcher.add(event));
 * ```
 */
export class FrameBatcher {
  history: History = { steps: [], loss: [], accuracy: [] };
  progress: Progress | null = null;
  /** A snapshot arrived since the last flush (the moons picture needs redrawing). */
  snapshotDirty = false;
  /** Steps were added (or the history cleared) since the last flush. */
  chartsDirty = false;
  private frame = 0;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private shownStatus: string | null = null;
  private pendingStatus: string | null = null;

  /**
   * `minInterval` (ms) spaces the flushes while the run's status stays the same (10 a second by
   * default: a status line need not change faster); a new status (paused, done) flushes in the
   * next frame.
   */
  constructor(
    private readonly flush: (batch: FrameBatcher) => void,
    private readonly scheduler: FrameScheduler = animationFrames,
    private readonly minInterval = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A new run: empty history, no progress. */
  clear(): void {
    this.history = { steps: [], loss: [], accuracy: [] };
    this.progress = null;
    this.chartsDirty = true;
    this.lastFlush = Number.NEGATIVE_INFINITY; // show the empty run at once
    this.schedule();
  }

  /**
   * Appends one progress event's slice (accuracy per step in [0, 1], charted in percent);
   * `snapshotAccuracy` is the accuracy of the snapshot that came with it, if any.
   */
  add(event: ProgressEvent, snapshotAccuracy?: number): void {
    const { firstStep, series } = event.slice;
    const losses = series.loss ?? [];
    const accuracies = series.accuracy ?? [];
    const rates = series.lr ?? [];
    const n = losses.length;
    const h = this.history;
    for (let i = 0; i < n; i++) {
      h.steps.push(firstStep + i);
      h.loss.push(losses[i]);
      h.accuracy.push((accuracies[i] ?? Number.NaN) * 100);
    }
    if (n > 0) this.chartsDirty = true;
    const p = this.progress;
    this.progress = {
      stepCount: event.step,
      accuracy: snapshotAccuracy ?? p?.accuracy ?? 0,
      running: event.status === 'running',
      done: event.stop !== null,
      stop: event.stop,
      lastLoss: n > 0 ? losses[n - 1] : event.step === 0 ? null : (p?.lastLoss ?? null),
      lastLr: n > 0 ? (rates[n - 1] ?? null) : event.step === 0 ? null : (p?.lastLr ?? null),
    };
    this.pendingStatus = event.status;
    this.schedule();
  }

  /** A new snapshot (decision boundary) arrived: the next flush repaints. */
  markSnapshot(): void {
    this.snapshotDirty = true;
    this.schedule();
  }

  /** Drops a pending flush (the page unmounts). */
  cancel(): void {
    if (this.frame) this.scheduler.cancel(this.frame);
    clearTimeout(this.timer);
    this.frame = 0;
    this.timer = undefined;
  }

  private schedule(): void {
    const urgent = this.pendingStatus !== this.shownStatus;
    if (urgent && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.frame || this.timer !== undefined) return;
    const wait = this.minInterval - (this.now() - this.lastFlush);
    if (!urgent && wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    this.frame = this.scheduler.request(() => {
      this.frame = 0;
      this.lastFlush = this.now();
      this.shownStatus = this.pendingStatus;
      this.flush(this);
      this.snapshotDirty = false;
      this.chartsDirty = false;
    });
  }
}

/**
 * Runs expensive page updates (a chart's redraw, the decision boundary's repaint) one per
 * animation frame, so that no single frame (one main-thread task: script, layout and paint)
 * carries all of them. A job marked again before it ran runs once. `minInterval` (ms) spaces a
 * job's runs while `urgent()` is false (a running run's charts need not redraw 30 times a
 * second); jobs run in the order they were declared.
 *
 * @example
 * ```ts
 * const pump = new FramePump([
 *   { name: 'paint', run: paint },
 *   { name: 'loss', run: drawLoss, minInterval: 200 },
 * ], () => !running);
 * pump.mark('loss');
 * ```
 */
export class FramePump {
  private readonly pending = new Set<string>();
  private readonly lastRun = new Map<string, number>();
  private frame = 0;

  constructor(
    private readonly jobs: readonly { name: string; run: () => void; minInterval?: number }[],
    private readonly urgent: () => boolean = () => false,
    private readonly scheduler: FrameScheduler = animationFrames,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Asks for `name` to run in a coming frame. */
  mark(name: string): void {
    if (!this.jobs.some((job) => job.name === name)) {
      throw new RangeError(`FramePump.mark: no job named "${name}"`);
    }
    this.pending.add(name);
    this.schedule();
  }

  /** True while some job waits for its frame. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  cancel(): void {
    if (this.frame) this.scheduler.cancel(this.frame);
    this.frame = 0;
    this.pending.clear();
  }

  private schedule(): void {
    if (this.frame || this.pending.size === 0) return;
    this.frame = this.scheduler.request(() => {
      this.frame = 0;
      this.runOne();
      this.schedule();
    });
  }

  private runOne(): void {
    const now = this.now();
    const urgent = this.urgent();
    for (const job of this.jobs) {
      if (!this.pending.has(job.name)) continue;
      const last = this.lastRun.get(job.name);
      if (!urgent && job.minInterval && last !== undefined && now - last < job.minInterval) {
        continue;
      }
      this.pending.delete(job.name);
      this.lastRun.set(job.name, now);
      job.run();
      return;
    }
  }
}
