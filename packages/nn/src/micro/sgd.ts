import type { Value } from '@llm-playground/core';

/** A constant learning rate, or one computed from the step count (0 for the first `step()`). */
export type LRSchedule = number | ((step: number) => number);

export interface SGDOptions {
  /** Learning rate: a number or a schedule such as `linearSchedule(1.0, 0.1, 100)`. */
  lr: LRSchedule;
}

/**
 * Plain stochastic gradient descent over `Value` parameters: `p.data -= lr · p.grad`, micrograd's
 * update loop, with PyTorch's `optimizer.step()` / `zero_grad()` shape.
 *
 * @example
 * ```ts
 * const p = new Value(1);
 * const optimizer = new SGD([p], { lr: 0.1 });
 * p.mul(p).backward(); // grad = 2
 * optimizer.step();
 * console.log(p.data, optimizer.stepCount); // 0.8 1
 * ```
 */
export class SGD {
  readonly parameters: readonly Value[];
  /**
   * One group holding the current rate, PyTorch's `param_groups` shape, so that nn's schedulers
   * (`LinearLR`, `StepLR`, …) can drive this optimizer: with a number `lr`, `step()` uses
   * `paramGroups[0].lr`; with a schedule function, the function wins and the group mirrors it.
   */
  readonly paramGroups: [{ lr: number; initialLr?: unknown }];
  private readonly lr: LRSchedule;
  private steps = 0;

  constructor(parameters: readonly Value[], options: SGDOptions) {
    if (!Array.isArray(parameters)) {
      throw new TypeError(
        `Argument 'parameters' passed to 'SGD' must be an array of Values, got ${typeof parameters}`,
      );
    }
    const lr = options?.lr;
    if (typeof lr === 'number') {
      if (!Number.isFinite(lr)) {
        throw new RangeError(
          `Argument 'lr' passed to 'SGD' must be a finite number or a schedule, got ${lr}`,
        );
      }
      if (lr < 0) throw new RangeError(`Invalid learning rate: ${lr}`);
    } else if (typeof lr !== 'function') {
      throw new TypeError(
        `Argument 'lr' passed to 'SGD' must be a finite number or a schedule, got ${String(lr)}`,
      );
    }
    this.parameters = [...parameters];
    this.lr = lr;
    this.paramGroups = [{ lr: typeof lr === 'number' ? lr : lr(0) }];
  }

  /** How many times `step()` has run. */
  get stepCount(): number {
    return this.steps;
  }

  /** The learning rate the next `step()` will use: `lr(stepCount)` for a schedule. */
  currentLR(): number {
    const lr = typeof this.lr === 'number' ? this.paramGroups[0].lr : this.lr(this.steps);
    if (!Number.isFinite(lr)) {
      throw new RangeError(`SGD learning rate schedule returned ${lr} at step ${this.steps}`);
    }
    return lr;
  }

  /** `p.data -= lr · p.grad` for every parameter, then `stepCount++`. */
  step(): void {
    const lr = this.currentLR();
    for (const p of this.parameters) p.data -= lr * p.grad;
    this.steps++;
    if (typeof this.lr === 'function') this.paramGroups[0].lr = this.lr(this.steps);
  }

  /** The step count and current rate (JSON), for resuming. */
  stateDict(): { kind: 'micro.SGD'; stepCount: number; lr: number } {
    return { kind: 'micro.SGD', stepCount: this.steps, lr: this.paramGroups[0].lr };
  }

  /** Restores `stateDict()`'s step count and rate. */
  loadStateDict(state: { kind: 'micro.SGD'; stepCount: number; lr: number }): void {
    if (state?.kind !== 'micro.SGD' || !Number.isInteger(state.stepCount) || state.stepCount < 0) {
      throw new TypeError(
        `micro.SGD.loadStateDict: expected { kind: 'micro.SGD', stepCount ≥ 0, lr }, got ${JSON.stringify(state)}`,
      );
    }
    this.steps = state.stepCount;
    this.paramGroups[0].lr = state.lr;
  }

  /** Sets every parameter's `grad` to 0 (gradients accumulate otherwise). */
  zeroGrad(): void {
    for (const p of this.parameters) p.grad = 0;
  }
}
