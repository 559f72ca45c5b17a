import { describe, expect, it } from 'vitest';
import { fakeClock } from './fake-clock.js';
import { SessionHost } from './host.js';
import type { ProgressEvent, SessionEvent } from './protocol.js';
import { quadraticKind } from './test-kind.js';

/** A host on a fake clock: deferred slices run when `drain()` is called. */
function open(options: { msPerStep?: number } = {}) {
  const { clock, advance } = fakeClock();
  const trainerClock = { t: 0, msPerStep: options.msPerStep ?? 1 };
  // The trainer's clock and the host's clock are the same time line.
  const sharedClock = { ...clock, now: () => Math.max(clock.now(), trainerClock.t) };
  const events: { event: SessionEvent; transfer: Transferable[] }[] = [];
  const deferred: (() => void)[] = [];
  const host = new SessionHost(
    (event, transfer = []) => events.push({ event, transfer }),
    { quadratic: () => quadraticKind(trainerClock) },
    { clock: sharedClock, defer: (fn) => deferred.push(fn), sliceMs: 10 },
  );
  /** Runs deferred slices (and timers) until nothing is left or `limit` rounds passed. */
  const drain = (limit = 10_000) => {
    for (let i = 0; i < limit; i++) {
      const fn = deferred.shift();
      if (fn) {
        fn();
        // Timers due by the time the slice ended fire before the next slice, as in a worker.
        advance(Math.max(0, trainerClock.t - clock.now()));
        continue;
      }
      const before = events.length;
      advance(Math.max(0, trainerClock.t - clock.now()) + 50);
      if (events.length === before && deferred.length === 0) return;
    }
  };
  const progress = () =>
    events.map((e) => e.event).filter((e): e is ProgressEvent => e.type === 'progress');
  return { host, events, progress, drain, trainerClock, advance, clock: sharedClock };
}

/** The closed form of the loss before step k for gradient descent on (w − 3)². */
const lossAt = (w0: number, lr: number, k: number) => ((w0 - 3) * (1 - 2 * lr) ** k) ** 2;

describe('SessionHost', () => {
  it('answers start with ready and a paused progress carrying the snapshot', async () => {
    const { host, events } = open();
    await host.handle({ type: 'start', kind: 'quadratic', init: { w0: 0, lr: 0.1, steps: 100 } });
    expect(events.map((e) => e.event.type)).toEqual(['ready', 'progress']);
    expect(events[0].event).toEqual({
      type: 'ready',
      run: 1,
      kind: 'quadratic',
      info: { target: 3 },
    });
    const progress = events[1].event as ProgressEvent;
    expect(progress).toMatchObject({ status: 'paused', step: 0, stop: null, extra: { lr: 0.1 } });
    expect(progress.snapshot?.value).toEqual({ weights: Float32Array.of(0) });
    // The snapshot's buffer is transferred, not copied.
    expect(events[1].transfer).toContain(
      (progress.snapshot!.value as { weights: Float32Array }).weights.buffer,
    );
  });

  it('runs to done in slices: contiguous losses equal to the closed form, ≤ 30 posts a second', async () => {
    const { host, progress, drain, clock } = open({ msPerStep: 0.5 });
    await host.handle({ type: 'start', kind: 'quadratic', init: { w0: 0, lr: 0.01, steps: 2000 } });
    await host.handle({ type: 'resume' });
    drain();
    const all = progress();
    const last = all.at(-1) as ProgressEvent;
    expect(last.status).toBe('done');
    expect(last.step).toBe(2000);
    expect(last.stop).toEqual({ reason: 'done', step: 2000, message: '' });
    let next = 0;
    for (const p of all) {
      expect(p.slice.firstStep).toBe(next);
      const losses = p.slice.series.loss ?? new Float64Array(0);
      for (let i = 0; i < losses.length; i++) {
        expect(losses[i]).toBeCloseTo(lossAt(0, 0.01, next + i), 12);
      }
      next += losses.length;
    }
    expect(next).toBe(2000);
    // 2000 steps × 0.5 ms = 1 s of training: at most 30 progress posts in that second (+ the first).
    const seconds = clock.now() / 1000;
    expect(all.length).toBeLessThanOrEqual(Math.ceil(30 * seconds) + 2);
    expect(all.length).toBeGreaterThan(10);
    expect(last.stats.stepsPerSecond).toBeGreaterThan(0);
    // The events (every 10th step at a slice end) arrive in order.
    const eventSteps = all.flatMap((p) => p.slice.events as { step: number }[]).map((e) => e.step);
    expect(eventSteps).toEqual([...eventSteps].sort((a, b) => a - b));
  });

  it('pause stops; step runs exactly that many; resume continues where it was', async () => {
    const { host, progress, drain } = open();
    await host.handle({
      type: 'start',
      kind: 'quadratic',
      init: { w0: 0, lr: 0.01, steps: 10_000 },
    });
    await host.handle({ type: 'step', count: 7 });
    drain();
    expect(progress().at(-1)).toMatchObject({ status: 'paused', step: 7 });
    await host.handle({ type: 'resume' });
    for (let i = 0; i < 3; i++) drain(1);
    await host.handle({ type: 'pause' });
    drain();
    const paused = progress().at(-1) as ProgressEvent;
    expect(paused.status).toBe('paused');
    const stepAtPause = paused.step;
    expect(stepAtPause).toBeGreaterThan(7);
    drain();
    expect(progress().at(-1)?.step).toBe(stepAtPause);
    const total = progress().reduce((n, p) => n + (p.slice.series.loss?.length ?? 0), 0);
    expect(total).toBe(stepAtPause);
  });

  it("a diverging run stops with the trainer's reason and does not go on", async () => {
    const { host, progress, drain } = open();
    await host.handle({ type: 'start', kind: 'quadratic', init: { w0: 0, lr: 5, steps: 1000 } });
    await host.handle({ type: 'resume' });
    drain();
    const last = progress().at(-1) as ProgressEvent;
    expect(last.status).toBe('diverged');
    // |1 − 2·lr| = 9: the loss (3·9^k)² passes 1e6 at k = 3 (531,441 at k = 2).
    expect(last.stop).toMatchObject({
      reason: 'diverged',
      step: 3,
      lr: 5,
      message: 'diverged at step 3',
    });
    await host.handle({ type: 'resume' });
    drain();
    expect(progress().at(-1)).toMatchObject({ status: 'diverged', step: 3 });
  });

  it('configure applies live or restarts (a new run with its own ready); reset starts over', async () => {
    const { host, events, drain } = open();
    await host.handle({ type: 'start', kind: 'quadratic', init: { w0: 0, lr: 0.1, steps: 100 } });
    await host.handle({ type: 'step', count: 3 });
    await host.handle({ type: 'configure', config: { w0: 0, lr: 0.2, steps: 100 } });
    drain();
    let last = events.at(-1)?.event as ProgressEvent;
    expect(last).toMatchObject({ run: 1, step: 3, extra: { lr: 0.2 } });
    await host.handle({ type: 'configure', config: { w0: 1, lr: 0.2, steps: 100 } });
    drain();
    const readies = events.filter((e) => e.event.type === 'ready').map((e) => e.event);
    expect(readies.map((r) => (r as { run: number }).run)).toEqual([1, 2]);
    last = events.at(-1)?.event as ProgressEvent;
    expect(last).toMatchObject({ run: 2, step: 0 });
    await host.handle({ type: 'step', count: 2 });
    await host.handle({ type: 'reset' });
    drain();
    expect(events.at(-1)?.event).toMatchObject({ type: 'progress', run: 3, step: 0 });
  });

  it('pace limits the steps a second', async () => {
    const { host, progress, drain, advance, clock } = open({ msPerStep: 0.01 });
    await host.handle({
      type: 'start',
      kind: 'quadratic',
      init: { w0: 0, lr: 0.001, steps: 100_000 },
    });
    await host.handle({ type: 'pace', stepsPerSecond: 60 });
    const started = clock.now();
    await host.handle({ type: 'resume' });
    for (let i = 0; i < 200; i++) {
      drain(1);
      advance(10);
    }
    const seconds = (clock.now() - started) / 1000;
    await host.handle({ type: 'pause' });
    drain();
    const step = (progress().at(-1) as ProgressEvent).step;
    expect(seconds).toBeGreaterThan(1);
    expect(step).toBeGreaterThanOrEqual(Math.floor(60 * seconds) - 2);
    expect(step).toBeLessThanOrEqual(Math.ceil(60 * seconds) + 1);
  });

  it('calls answer with a result; errors name the problem', async () => {
    const { host, events } = open();
    await host.handle({ type: 'resume' });
    expect(events.at(-1)?.event).toEqual({
      type: 'error',
      message: "The training worker got 'resume' before 'start'",
    });
    await host.handle({ type: 'start', kind: 'nope', init: {} });
    expect(events.at(-1)?.event).toEqual({
      type: 'error',
      message: "Unknown trainer kind 'nope': expected one of quadratic",
    });
    await host.handle({ type: 'start', kind: 'quadratic', init: { w0: 0, lr: 0.1, steps: 10 } });
    await host.handle({ type: 'call', id: 4, name: 'double', args: 21 });
    expect(events.at(-1)?.event).toEqual({
      type: 'result',
      run: 1,
      id: 4,
      name: 'double',
      value: 42,
    });
    await host.handle({ type: 'call', id: 5, name: 'triple', args: 1 });
    expect(events.at(-1)?.event).toEqual({ type: 'error', message: "no 'triple'" });
  });

  it("a call that replaced the model (restarted) answers, then posts 'ready' at its step", async () => {
    const { host, events, progress, drain } = open();
    await host.handle({ type: 'start', kind: 'quadratic', init: { w0: 0, lr: 0.1, steps: 100 } });
    await host.handle({ type: 'step', count: 5 });
    drain();
    await host.handle({ type: 'call', id: 1, name: 'set-w', args: { w: 3.5, step: 40 } });
    const types = events.map((e) => e.event.type);
    const result = types.lastIndexOf('result');
    expect(types.slice(result, result + 2)).toEqual(['result', 'ready']);
    expect(events[result + 1].event).toMatchObject({ type: 'ready', run: 2 });
    // The next steps continue from step 40 and w = 3.5: loss 0.25, then 0.25·(0.8)².
    await host.handle({ type: 'step', count: 2 });
    drain();
    const last = progress().at(-1) as ProgressEvent;
    expect(last.run).toBe(2);
    expect(last.slice.firstStep).toBe(40);
    const [first, second] = last.slice.series.loss;
    expect(first).toBe(0.25);
    expect(second).toBeCloseTo(0.25 * 0.8 ** 2, 12);
  });
});
