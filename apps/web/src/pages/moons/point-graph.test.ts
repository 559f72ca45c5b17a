import { Generator } from '@llm-playground/core';
import { micro } from '@llm-playground/nn';
import { describe, expect, it } from 'vitest';
import { ExpressionLab } from '../derivatives/expression-lab.js';
import { scoreSnapshot, snapshotMLP } from './mlp-snapshot.js';
import { countScoreValues, scoreGraph } from './point-graph.js';

describe("a point's score graph", () => {
  it('has the predicted size and the score of the plain forward; grads are d(score)/d(weight)', () => {
    const model = new micro.MLP(2, [16, 16, 1], { generator: new Generator(1337) });
    const snapshot = snapshotMLP(model);
    const point = [0.4, -0.3];
    const root = scoreGraph(snapshot, point);
    expect(root.data).toBe(scoreSnapshot(snapshot, point));
    const lab = ExpressionLab.fromValue(root);
    lab.backward();
    expect(lab.nodes.length).toBe(countScoreValues(snapshot));
    expect(countScoreValues(snapshot)).toBe(979);
    // d(score)/d(b3[0]) = 1 (the output neuron is linear), and x1's grad against a nudge.
    expect(lab.byLabel('b3[0]')!.grad).toBe(1);
    const x1 = lab.byLabel('x1')!;
    expect(lab.nudge(x1.id, 1e-7)).toBeCloseTo(x1.grad, 5);
    // The same grads as the nn MLP's own graph.
    const score = model.forward(point)[0];
    score.backward();
    expect(lab.byLabel('w1[3,1]')!.grad).toBe(model.layers[0].neurons[3].w[1].grad);
  });
});
