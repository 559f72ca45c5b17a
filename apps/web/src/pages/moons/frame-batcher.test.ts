import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent, Stop } from '../../session/protocol.js';
import { FrameBatcher, FramePump, type FrameScheduler } from './frame-batcher.js';

/** A frame queue run by hand: `frames()` runs every pending callback (one animation frame). */
function manualFrames(): FrameScheduler & { pending: number; frames(): void } {
  const queue = new Map<number, () => void>();
  let next = 1;
  return {
    request(callback) {
      queue.set(next, callback);
      return next++;
    },
    cancel(handle) {
      queue.delete(handle);
    },
    get pending() {
      return queue.size;
    },
    frames() {
      const callbacks = [...queue.values()];
      queue.clear();
      for (const callback of callbacks) callback();
    },
  };
}

function progress(
  firstStep: number,
  losses: number[],
  accuracies: number[],
  status: ProgressEvent['status'] = 'running',
  stop: Stop | null = null,
): ProgressEvent {
  return {
    type: 'progress',
    run: 1,
    status,
    step: firstStep + losses.length,
    slice: {
      firstStep,
      series: {
        loss: Float64Array.from(losses),
        accuracy: Float64Array.from(accuracies),
        lr: Float64Array.from(losses, (_, i) => 1 - 0.01 * (firstStep + i)),
      },
      events: [],
    },
    stop,
    stats: { stepsPerSecond: 0, runningSeconds: 0 },
    extra: {},
  };
}

describe('FrameBatcher', () => {
  it('merges every post of one frame into one flush, in step order', () => {
    const frames = manualFrames();
    const flushes: { steps: number[]; loss: number[]; accuracy: number[]; step: number }[] = [];
    const batcher = new FrameBatcher(
      (b) =>
        flushes.push({
          steps: [...b.history.steps],
          loss: [...b.history.loss],
          accuracy: [...b.history.accuracy],
          step: b.progress!.stepCount,
        }),
      frames,
      0,
    );
    batcher.add(progress(0, [0.9, 0.8], [0.5, 0.5]));
    batcher.add(progress(2, [0.7], [0.75]));
    batcher.add(progress(3, [0.6, 0.5], [0.8, 1]));
    expect(frames.pending).toBe(1); // one frame requested for three posts
    expect(flushes).toEqual([]);
    frames.frames();
    expect(flushes).toEqual([
      {
        steps: [0, 1, 2, 3, 4],
        loss: [0.9, 0.8, 0.7, 0.6, 0.5],
        accuracy: [50, 50, 75, 80, 100],
        step: 5,
      },
    ]);
    expect(batcher.progress?.lastLoss).toBe(0.5);
    expect(batcher.progress?.lastLr).toBeCloseTo(0.96, 12);
    // Nothing new: no frame.
    frames.frames();
    expect(flushes).toHaveLength(1);
  });

  it('marks the canvas dirty only in a frame that got a snapshot, the charts only with new steps', () => {
    const frames = manualFrames();
    const seen: { snapshot: boolean; charts: boolean }[] = [];
    const batcher = new FrameBatcher(
      (b) => seen.push({ snapshot: b.snapshotDirty, charts: b.chartsDirty }),
      frames,
      0,
    );
    batcher.add(progress(0, [1], [0.5]));
    batcher.markSnapshot();
    frames.frames();
    batcher.add(progress(1, [0.9], [0.5]));
    frames.frames();
    // A pause: a post without steps.
    batcher.add(progress(2, [], [], 'paused'));
    frames.frames();
    expect(seen).toEqual([
      { snapshot: true, charts: true },
      { snapshot: false, charts: true },
      { snapshot: false, charts: false },
    ]);
    expect(batcher.progress).toMatchObject({ stepCount: 2, running: false, lastLoss: 0.9 });
  });

  it('keeps the last accuracy and reports the stop; clear() empties the history', () => {
    const frames = manualFrames();
    const batcher = new FrameBatcher(() => {}, frames, 0);
    batcher.add(progress(0, [1], [0.5]), 0.62);
    batcher.add(progress(1, [0.5], [0.9]));
    expect(batcher.progress?.accuracy).toBe(0.62);
    const stop: Stop = { reason: 'done', step: 3, message: '' };
    batcher.add(progress(2, [0.4], [1], 'done', stop), 0.97);
    expect(batcher.progress).toMatchObject({ accuracy: 0.97, done: true, running: false, stop });
    batcher.clear();
    expect(batcher.history).toEqual({ steps: [], loss: [], accuracy: [] });
    expect(batcher.progress).toBeNull();
  });

  it('cancel() drops the pending frame', () => {
    const frames = manualFrames();
    let flushed = 0;
    const batcher = new FrameBatcher(() => flushed++, frames, 0);
    batcher.add(progress(0, [1], [0.5]));
    batcher.cancel();
    expect(frames.pending).toBe(0);
    batcher.add(progress(1, [1], [0.5]));
    frames.frames();
    expect(flushed).toBe(1);
  });
});

describe('FrameBatcher rate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('flushes at most every minInterval ms while the status stays, at once when it changes', () => {
    vi.useFakeTimers();
    const frames = manualFrames();
    let now = 1000;
    const flushed: number[] = [];
    const batcher = new FrameBatcher(
      (b) => flushed.push(b.progress!.stepCount),
      frames,
      100,
      () => now,
    );
    batcher.add(progress(0, [1], [0.5]));
    frames.frames(); // the first post: next frame
    expect(flushed).toEqual([1]);
    now = 1030;
    batcher.add(progress(1, [0.9], [0.5]));
    batcher.add(progress(2, [0.8], [0.5]));
    expect(frames.pending).toBe(0); // waits for its 100 ms
    now = 1100;
    vi.advanceTimersByTime(70);
    expect(frames.pending).toBe(1);
    frames.frames();
    expect(flushed).toEqual([1, 3]);
    // Paused 10 ms later: a new status is shown in the next frame.
    now = 1110;
    batcher.add(progress(3, [], [], 'paused'));
    expect(frames.pending).toBe(1);
    frames.frames();
    expect(flushed).toEqual([1, 3, 3]);
  });
});

describe('FramePump', () => {
  it('runs one job per frame, in declaration order, each marked job once', () => {
    const frames = manualFrames();
    const ran: string[] = [];
    const pump = new FramePump(
      ['paint', 'loss', 'accuracy'].map((name) => ({ name, run: () => ran.push(name) })),
      () => false,
      frames,
      () => 0,
    );
    pump.mark('accuracy');
    pump.mark('loss');
    pump.mark('paint');
    pump.mark('loss');
    expect(frames.pending).toBe(1);
    frames.frames();
    expect(ran).toEqual(['paint']);
    frames.frames();
    frames.frames();
    expect(ran).toEqual(['paint', 'loss', 'accuracy']);
    expect(pump.busy).toBe(false);
    expect(frames.pending).toBe(0); // idle: no frames requested
  });

  it('spaces a job by minInterval unless urgent', () => {
    const frames = manualFrames();
    let now = 0;
    let urgent = false;
    const ran: number[] = [];
    const pump = new FramePump(
      [{ name: 'chart', minInterval: 200, run: () => ran.push(now) }],
      () => urgent,
      frames,
      () => now,
    );
    pump.mark('chart');
    frames.frames(); // t = 0: runs
    pump.mark('chart');
    now = 100;
    frames.frames(); // too soon: waits, asks for another frame
    expect(ran).toEqual([0]);
    expect(pump.busy).toBe(true);
    now = 200;
    frames.frames();
    expect(ran).toEqual([0, 200]);
    pump.mark('chart');
    now = 250;
    urgent = true; // the run stopped: draw the last state at once
    frames.frames();
    expect(ran).toEqual([0, 200, 250]);
  });

  it('refuses an unknown job; cancel() drops what is pending', () => {
    const frames = manualFrames();
    const pump = new FramePump([{ name: 'paint', run: () => {} }], () => false, frames);
    expect(() => pump.mark('pint')).toThrow('FramePump.mark: no job named "pint"');
    pump.mark('paint');
    pump.cancel();
    expect(pump.busy).toBe(false);
    expect(frames.pending).toBe(0);
  });
});
