import { describe, expect, it } from 'vitest';
import { fakeClock } from './fake-clock.js';
import { Throttle } from './throttle.js';

describe('Throttle', () => {
  it('fires at once, then coalesces requests into one post per interval', () => {
    const { clock, advance } = fakeClock();
    const times: number[] = [];
    const throttle = new Throttle(() => times.push(clock.now()), 33, clock);
    throttle.request();
    expect(times).toEqual([0]);
    for (let i = 0; i < 10; i++) {
      advance(5);
      throttle.request();
    }
    // Requests at 5…50 ms: one post at 33, one at 66 (armed by the requests after 33).
    advance(100);
    expect(times).toEqual([0, 33, 66]);
  });

  it('never posts more than 30 times in a second of constant requests', () => {
    const { clock, advance } = fakeClock();
    let posts = 0;
    const throttle = new Throttle(() => posts++, 34, clock);
    for (let i = 0; i < 1000; i++) {
      throttle.request();
      advance(1);
    }
    expect(posts).toBe(30);
  });

  it('cancel drops the waiting post', () => {
    const { clock, advance, pendingTimers } = fakeClock();
    let posts = 0;
    const throttle = new Throttle(() => posts++, 33, clock);
    throttle.request();
    throttle.request();
    expect(throttle.pending).toBe(true);
    throttle.cancel();
    expect(pendingTimers()).toBe(0);
    advance(100);
    expect(posts).toBe(1);
  });
});
