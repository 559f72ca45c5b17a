/**
 * A learning rate that decays linearly from `start` (step 0) to `end` (step `totalSteps`):
 * `start + (end − start) · step / totalSteps`, held at `end` afterwards (and at `start` before 0).
 * micrograd's demo `learning_rate = 1.0 - 0.9*k/100` is `linearSchedule(1.0, 0.1, 100)`, value for value.
 *
 * @example
 * ```ts
 * const lr = linearSchedule(1.0, 0.1, 100);
 * console.log(lr(0), lr(50), lr(99), lr(500)); // 1 0.55 0.10899999999999987 0.1 (as Python)
 * ```
 */
export function linearSchedule(
  start: number,
  end: number,
  totalSteps: number,
): (step: number) => number {
  for (const [name, value] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (!Number.isFinite(value)) {
      throw new RangeError(
        `Argument '${name}' passed to 'linearSchedule' must be a finite number, got ${value}`,
      );
    }
  }
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new RangeError(
      `Argument 'totalSteps' passed to 'linearSchedule' must be a positive integer, got ${totalSteps}`,
    );
  }
  const delta = end - start;
  return (step: number) => {
    if (step <= 0) return start;
    if (step >= totalSteps) return end;
    // (delta · step) / totalSteps in this order reproduces micrograd's `1.0 - 0.9*k/100` bit for bit.
    return start + (delta * step) / totalSteps;
  };
}
