import { describe, expect, it } from 'vitest';
import { CURVE_BOX, curvePath, MARGIN_LOSSES, sampleCurve, toPixels } from './loss-curves.js';
import { MOONS_LOSSES, moonsLoss } from './moons-trainer.js';

const byLoss = Object.fromEntries(MARGIN_LOSSES.map((l) => [l.loss, l]));

describe('MARGIN_LOSSES', () => {
  it('lists the selector’s losses in its order', () => {
    expect(MARGIN_LOSSES.map((l) => l.loss)).toEqual([...MOONS_LOSSES]);
  });

  it('match the closed forms at a few margins', () => {
    const hinge = byLoss['max-margin'];
    const squared = byLoss.mse;
    const logistic = byLoss['cross-entropy'];
    expect([-3, -1, 0, 0.5, 1, 2, 3].map((m) => hinge.at(m))).toEqual([4, 2, 1, 0.5, 0, 0, 0]);
    expect([-3, 0, 1, 2, 3].map((m) => squared.at(m))).toEqual([16, 1, 0, 1, 4]);
    expect(logistic.at(0)).toBeCloseTo(Math.LN2, 15);
    expect(logistic.at(1)).toBeCloseTo(0.313261687518223, 14);
    expect(logistic.at(-3)).toBeCloseTo(3.048587351573742, 14);
    expect(logistic.at(3)).toBeCloseTo(0.048587351573742, 14);
    // Stable at the extremes: log(1 + e^1000) = 1000, not Infinity.
    expect(logistic.at(-1000)).toBe(1000);
    expect(logistic.at(40)).toBeGreaterThan(0); // never exactly 0 inside the plot
  });

  it('are the per-point losses the trainer minimizes (one point, label ±1)', () => {
    for (const curve of MARGIN_LOSSES) {
      for (const [score, y] of [
        [1.7, 1],
        [1.7, -1],
        [-0.4, 1],
        [0.2, -1],
      ]) {
        expect(moonsLoss(curve.loss, [score], [y]).data, `${curve.loss} ${score} ${y}`).toBeCloseTo(
          curve.at(y * score),
          13,
        );
      }
    }
  });

  it('show what the panel says: hinge is 0 past the margin, squared error rises again, logistic never reaches 0', () => {
    const curves = Object.fromEntries(
      MARGIN_LOSSES.map((l) => [l.loss, sampleCurve(l, 121).filter((p) => p.m > 1)]),
    );
    expect(curves['max-margin'].every((p) => p.y === 0)).toBe(true);
    expect(curves.mse.every((p, i, all) => i === 0 || p.y > all[i - 1].y)).toBe(true);
    expect(curves['cross-entropy'].every((p) => p.y > 0)).toBe(true);
  });
});

describe('sampleCurve / curvePath', () => {
  it('samples [−3, 3] evenly, ends included', () => {
    const points = sampleCurve(byLoss['max-margin'], 121);
    expect(points).toHaveLength(121);
    expect(points[0]).toEqual({ m: -3, y: 4 });
    expect(points[80].m).toBeCloseTo(1, 14); // the hinge's kink is a sample
    expect(points[120]).toEqual({ m: 3, y: 0 });
    expect(sampleCurve(byLoss.mse, 7).map((p) => p.y)).toEqual([16, 9, 4, 1, 0, 1, 4]);
    expect(() => sampleCurve(byLoss.mse, 1)).toThrow(
      "Argument 'n' passed to 'sampleCurve' must be an integer ≥ 2, got 1",
    );
  });

  it('maps margins and losses to pixels, y upwards', () => {
    expect(toPixels(CURVE_BOX, -3, 0)).toEqual([0, CURVE_BOX.height]);
    expect(toPixels(CURVE_BOX, 3, CURVE_BOX.yMax)).toEqual([CURVE_BOX.width, 0]);
    expect(toPixels(CURVE_BOX, 0, 2)).toEqual([CURVE_BOX.width / 2, CURVE_BOX.height / 2]);
    const box = { width: 60, height: 40, mMin: -3, mMax: 3, yMax: 4 };
    expect(curvePath(byLoss['max-margin'], 3, box)).toBe('M0.0,0.0L30.0,30.0L60.0,40.0');
    // Squared error: 16 at m = −3 (three boxes above the top; the SVG clips it), 4 at m = 3.
    expect(curvePath(byLoss.mse, 2, box)).toBe('M0.0,-120.0L60.0,0.0');
  });
});
