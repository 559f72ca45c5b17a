import { Value } from '@llm-playground/core';
import { MOONS_LOSSES, moonsLoss } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { MARGIN_LOSSES, sampleCurve } from './loss-curves.js';

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

describe('sampleCurve', () => {
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
});

describe('moonsLoss', () => {
  // Scores and labels chosen to hit every regime: wrong side, inside the margin, past it.
  const scores = [2, 0.5, -0.25, 1.5];
  const labels = [1, -1, -1, -1];
  const margins = scores.map((s, i) => s * labels[i]); // [2, −0.5, 0.25, −1.5]

  it('max-margin is mean(max(0, 1 − m)), as micrograd', () => {
    const expected = (0 + 1.5 + 0.75 + 2.5) / 4;
    expect(moonsLoss('max-margin', scores, labels).data).toBeCloseTo(expected, 14);
  });

  it('mse is mean((score − y)²) = mean((1 − m)²)', () => {
    const expected = (1 + 2.25 + 0.5625 + 6.25) / 4;
    expect(moonsLoss('mse', scores, labels).data).toBeCloseTo(expected, 14);
    const viaMargins = margins.reduce((t, m) => t + (1 - m) ** 2, 0) / 4;
    expect(moonsLoss('mse', scores, labels).data).toBeCloseTo(viaMargins, 14);
  });

  it('cross-entropy over [0, score] is the logistic loss mean(log(1 + e^(−m)))', () => {
    expect(moonsLoss('cross-entropy', [0], [1]).data).toBeCloseTo(Math.LN2, 14);
    expect(moonsLoss('cross-entropy', [0], [-1]).data).toBeCloseTo(Math.LN2, 14);
    const expected = margins.reduce((t, m) => t + Math.log(1 + Math.exp(-m)), 0) / 4;
    expect(moonsLoss('cross-entropy', scores, labels).data).toBeCloseTo(expected, 14);
    // Large margins stay finite (the max logit is subtracted before exp): log(1 + e^−800) ≈ 0,
    // log(1 + e^800) ≈ 800.
    expect(moonsLoss('cross-entropy', [800], [1]).data).toBeCloseTo(0, 14);
    expect(moonsLoss('cross-entropy', [800], [-1]).data).toBeCloseTo(800, 10);
  });

  it('backward gives each closed-form derivative d loss / d score', () => {
    const grad = (loss: (typeof MOONS_LOSSES)[number], s: number, y: number) => {
      const score = new Value(s);
      moonsLoss(loss, [score], [y]).backward();
      return score.grad;
    };
    // hinge: −y inside the margin, 0 past it
    expect(grad('max-margin', 0.5, 1)).toBe(-1);
    expect(grad('max-margin', 0.5, -1)).toBe(1);
    expect(grad('max-margin', 2, 1)).toBe(0);
    // squared error: 2(score − y)
    expect(grad('mse', 0.5, 1)).toBeCloseTo(-1, 14);
    expect(grad('mse', 2, 1)).toBeCloseTo(2, 14); // "too right" is pushed back
    // logistic: −y·σ(−y·score)
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(grad('cross-entropy', 0.5, 1)).toBeCloseTo(-sigmoid(-0.5), 14);
    expect(grad('cross-entropy', 0.5, -1)).toBeCloseTo(sigmoid(0.5), 14);
    expect(grad('cross-entropy', 2, 1)).toBeCloseTo(-sigmoid(-2), 14); // never exactly 0
  });
});
