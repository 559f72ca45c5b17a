/**
 * A tiny trainer for the session's tests: gradient descent on f(w) = (w − 3)², one step per
 * `runSlice` step, with a fake clock that advances `msPerStep` per step. The loss before step k
 * is (w_k − 3)² with w_{k+1} = w_k − lr·2(w_k − 3), a closed form the tests check against.
 */
import type { SessionTrainer, SliceLimit, Stop, TrainerKind } from './protocol.js';

export interface QuadraticInit {
  w0: number;
  lr: number;
  steps: number;
}

export class QuadraticTrainer implements SessionTrainer {
  w: number;
  step = 0;
  stop: Stop | null = null;
  constructor(
    private init: QuadraticInit,
    private readonly clock: { t: number; msPerStep: number },
  ) {
    this.w = init.w0;
  }
  get info() {
    return { target: 3 };
  }
  runSlice(limit: SliceLimit) {
    const firstStep = this.step;
    const losses: number[] = [];
    const start = this.clock.t;
    while (!this.stop && losses.length < limit.maxSteps) {
      const loss = (this.w - 3) ** 2;
      if (!(loss < 1e6)) {
        this.stop = {
          reason: 'diverged',
          step: this.step,
          loss,
          lr: this.init.lr,
          message: `diverged at step ${this.step}`,
        };
        break;
      }
      losses.push(loss);
      this.w -= this.init.lr * 2 * (this.w - 3);
      this.step++;
      this.clock.t += this.clock.msPerStep;
      if (this.step >= this.init.steps)
        this.stop = { reason: 'done', step: this.step, message: '' };
      if (this.clock.t - start >= limit.maxMillis) break;
    }
    return {
      firstStep,
      series: { loss: Float64Array.from(losses) },
      events: this.step % 10 === 0 && losses.length > 0 ? [{ step: this.step }] : [],
    };
  }
  snapshot() {
    const weights = Float32Array.of(this.w);
    return { value: { weights }, transfer: [weights.buffer] };
  }
  extra() {
    return { lr: this.init.lr };
  }
  configure(config: unknown) {
    const next = config as QuadraticInit;
    if (next.w0 !== this.init.w0) {
      this.init = { ...next };
      this.reset();
      return 'restart' as const;
    }
    this.init = { ...next };
    if (this.stop?.reason === 'done' && this.step < next.steps) this.stop = null;
    return 'live' as const;
  }
  reset(): void {
    this.w = this.init.w0;
    this.step = 0;
    this.stop = null;
  }
  call(name: string, args: unknown) {
    if (name === 'double') return { value: 2 * (args as number) };
    if (name === 'set-w') {
      // A model replaced from outside (a checkpoint): w and the step it was saved at.
      const { w, step } = args as { w: number; step: number };
      this.w = w;
      this.step = step;
      this.stop = null;
      return { value: 'loaded', restarted: true };
    }
    throw new RangeError(`no '${name}'`);
  }
}

export function quadraticKind(clock: { t: number; msPerStep: number }): TrainerKind<QuadraticInit> {
  return { create: (init) => new QuadraticTrainer(init, clock) };
}
