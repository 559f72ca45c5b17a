import { describe, expect, it } from 'vitest';
import { fakeClock } from './fake-clock.js';
import { createSessionFlusher, type Flush } from './flusher.js';

interface P {
  status: string;
  step: number;
}

function setup(intervalMs = 200) {
  const { clock, advance, pendingTimers } = fakeClock();
  const flushes: (Flush<P> & { at: number })[] = [];
  const flusher = createSessionFlusher<P>({
    intervalMs,
    clock,
    flush: (pending) => flushes.push({ ...pending, at: clock.now() }),
  });
  return { flusher, flushes, advance, pendingTimers };
}

describe('the session flusher', () => {
  it('redraws at once on a new status, then at most once per interval with the latest progress', () => {
    const { flusher, flushes, advance } = setup(200);
    flusher.progress({ status: 'running', step: 1 }); // a new status: at once (next task)
    advance(0);
    expect(flushes).toEqual([{ progress: { status: 'running', step: 1 }, dirty: false, at: 0 }]);
    // 30 messages a second for one second: the same status, coalesced.
    for (let step = 2; step <= 31; step++) {
      advance(33);
      flusher.progress({ status: 'running', step });
      flusher.markDirty();
    }
    advance(400);
    const times = flushes.map((f) => f.at);
    expect(times).toEqual([0, 200, 400, 600, 800, 1000]);
    // Each redraw carries the latest progress since the one before, and the dirty flag.
    expect(flushes[1]).toEqual({ progress: { status: 'running', step: 7 }, dirty: true, at: 200 });
    expect(flushes.at(-1)?.progress?.step).toBe(31);
  });

  it('a status change or an urgent markDirty cuts the wait; nothing pending, no redraw', () => {
    const { flusher, flushes, advance, pendingTimers } = setup(200);
    flusher.progress({ status: 'running', step: 1 });
    advance(10);
    flusher.progress({ status: 'running', step: 2 }); // waits until 200
    advance(50);
    flusher.progress({ status: 'paused', step: 3 }); // at once
    advance(0);
    expect(flushes.map((f) => [f.at, f.progress?.status])).toEqual([
      [0, 'running'],
      [60, 'paused'],
    ]);
    flusher.markDirty(true);
    advance(0);
    expect(flushes.at(-1)).toEqual({ progress: null, dirty: true, at: 60 });
    advance(1000);
    expect(flushes).toHaveLength(3);
    expect(pendingTimers()).toBe(0);
  });

  it('cancel drops a waiting redraw', () => {
    const { flusher, flushes, advance, pendingTimers } = setup(100);
    flusher.progress({ status: 'running', step: 1 });
    advance(0);
    flusher.markDirty();
    flusher.cancel();
    expect(pendingTimers()).toBe(0);
    advance(500);
    expect(flushes).toHaveLength(1);
  });
});
