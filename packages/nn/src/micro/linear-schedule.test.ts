import { describe, expect, it } from 'vitest';
import { linearSchedule } from './linear-schedule.js';

describe('linearSchedule', () => {
  it("reproduces micrograd's 1.0 - 0.9*k/100 exactly", () => {
    const lr = linearSchedule(1.0, 0.1, 100);
    for (let k = 0; k < 100; k++) expect(lr(k)).toBe(1.0 - (0.9 * k) / 100);
    expect([lr(0), lr(50), lr(99), lr(500)]).toEqual([1, 0.55, 0.10899999999999987, 0.1]); // documented
  });

  it('holds the end values outside [0, totalSteps]', () => {
    const lr = linearSchedule(0.5, 0, 10);
    expect([lr(-3), lr(5), lr(10), lr(11)]).toEqual([0.5, 0.25, 0, 0]);
  });

  it('rejects bad arguments', () => {
    expect(() => linearSchedule(1, 0.1, 0)).toThrow(
      "Argument 'totalSteps' passed to 'linearSchedule' must be a positive integer, got 0",
    );
    expect(() => linearSchedule(Number.NaN, 0.1, 10)).toThrow(
      "Argument 'start' passed to 'linearSchedule' must be a finite number, got NaN",
    );
  });
});
