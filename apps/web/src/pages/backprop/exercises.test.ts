import {
  BACKPROP_INTERMEDIATE_NAMES,
  CMP_ORDER,
  compareGradients,
  type ForwardSteps,
  manualBackward,
} from '@llm-playground/makemore';
import { noGrad, type Tensor } from '@llm-playground/tensor';
import { describe, expect, it } from 'vitest';
import { checkBoxes, fixedBatch, scopeOf } from './evaluator.js';
import { EXERCISE_LINES, FORWARD_CODE } from './exercises.js';

describe('the exercise data', () => {
  const batch = fixedBatch();

  it('has exercise 1 in the lecture’s cmp order, then exercises 2 and 3, each id once', () => {
    const first = EXERCISE_LINES.filter((line) => line.exercise === 1).map((line) => line.target);
    expect(first).toEqual([...CMP_ORDER]);
    expect(EXERCISE_LINES.map((line) => line.exercise).slice(26)).toEqual([2, 3]);
    expect(new Set(EXERCISE_LINES.map((line) => line.id)).size).toBe(EXERCISE_LINES.length);
  });

  it('FORWARD_CODE, run in the box scope, computes every intermediate of the batch, bit for bit', () => {
    const names = [...BACKPROP_INTERMEDIATE_NAMES, 'loss'] as (keyof ForwardSteps)[];
    // The box scope without the forward tensors the code declares (parameters, batch, API).
    const scope = Object.fromEntries(
      Object.entries(scopeOf(batch, new Map())).filter(([name]) => !names.includes(name as never)),
    );
    const forward = new Function(
      ...Object.keys(scope),
      `${FORWARD_CODE}\nreturn { ${names.join(', ')} };`,
    );
    const out = noGrad(() => forward(...Object.values(scope))) as Record<string, Tensor>;
    expect(names.length).toBe(20); // emb … logprobs (19), and the loss
    for (const name of names) {
      const expected = batch.steps[name];
      expect(out[name].shape, name).toEqual(expected.shape);
      expect([...out[name].data], name).toEqual([...expected.data]);
    }
    expect(out.loss.item()).toBeCloseTo(3.3113, 4);
  });

  it('every solution, run through the evaluator, passes its line (✓ or ≈)', () => {
    const sources = Object.fromEntries(EXERCISE_LINES.map((line) => [line.id, line.solution]));
    const { results } = checkBoxes(batch, sources);
    expect(results.map((r) => [r.id, r.status, r.error?.message])).toEqual(
      EXERCISE_LINES.map((line) => [line.id, 'checked', undefined]),
    );
    for (const r of results) {
      expect(['✓', '≈'], `${r.id}: maxdiff ${r.maxDiff}`).toContain(r.mark);
      expect(r.maxDiff).toBeLessThan(1e-7);
    }
    // The lecture's pattern in float32: exact down to b2, approximate below (README of makemore).
    const marks = Object.fromEntries(results.map((r) => [r.id, r.mark]));
    for (const id of ['logprobs', 'probs', 'counts', 'logits', 'h', 'W2', 'b2'])
      expect(marks[id], id).toBe('✓');
    // The solutions are manualBackward's formulas: the same table, maxdiff for maxdiff (README of
    // makemore: loss 3.3113, ≈ from hpreact down with maxdiff ≤ 3.8e-9).
    expect(batch.steps.loss.item()).toBeCloseTo(3.3113, 4);
    const { params, steps, Xb, Yb } = batch;
    const reference = compareGradients(manualBackward(params, steps, Xb, Yb), steps, params);
    expect(results.slice(0, 26).map((r) => [r.id, r.maxDiff])).toEqual(
      reference.map((row) => [row.name, row.maxDiff]),
    );
  });

  it('each solution passes on its own too, with autograd’s gradients above it', () => {
    for (const line of EXERCISE_LINES) {
      const { results } = checkBoxes(batch, { [line.id]: line.solution });
      const result = results.find((r) => r.id === line.id);
      expect(['✓', '≈'], line.id).toContain(result?.mark);
      expect(results.filter((r) => r.status !== 'empty')).toHaveLength(1);
    }
  });
});
