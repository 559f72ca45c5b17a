/**
 * At most one post per `intervalMs`: `request()` posts at once when the interval has passed
 * since the last post, and otherwise arms one timer for the moment it has (requests in between
 * coalesce into that one post). The session posts through this, so a page gets ≤ 30 messages a
 * second however fast the trainer steps or the learner clicks.
 */
export interface Clock {
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Throttle {
  private last = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(
    private readonly fire: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Fires now if allowed, else once at the earliest allowed moment. */
  request(): void {
    if (this.timer !== null) return;
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait <= 0) this.run();
    else this.timer = this.clock.setTimer(() => this.run(), wait);
  }

  /** Whether a post is waiting for its moment. */
  get pending(): boolean {
    return this.timer !== null;
  }

  /** Drops a waiting post. */
  cancel(): void {
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
  }

  private run(): void {
    this.timer = null;
    this.last = this.clock.now();
    this.fire();
  }
}
