import { Value } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_FUNCTIONS,
  activationBox,
  biasForN,
  type NeuronActivation,
  neuronForward,
} from './neuron.js';

describe('neuron demo', () => {
  it("lecture 1's neuron: n = 0.8814, o = 1/√2, do/dn = 0.5, dw1 = 1, dx1 = -1.5", () => {
    const r = neuronForward([2, 0], [-3, 1], 6.8813735870195432, 'tanh');
    expect(r.n).toBeCloseTo(0.8813735870195432, 14);
    expect(r.o).toBeCloseTo(Math.SQRT1_2, 14);
    expect(r.dodn).toBeCloseTo(0.5, 14);
    expect(r.dw[0]).toBeCloseTo(1, 14);
    expect(r.dw[1]).toBe(0);
    expect(r.dx[0]).toBeCloseTo(-1.5, 14);
    expect(r.db).toBeCloseTo(0.5, 14);
  });

  for (const activation of ['tanh', 'sigmoid', 'relu'] as NeuronActivation[]) {
    it(`${activation}: value and grads equal Value's forward and backward`, () => {
      const x = [0.7, -1.2];
      const w = [1.5, 0.4];
      const b = 0.3;
      const r = neuronForward(x, w, b, activation);
      const xs = x.map((v) => new Value(v));
      const ws = w.map((v) => new Value(v));
      const bv = new Value(b);
      const n = bv.add(ws[0].mul(xs[0])).add(ws[1].mul(xs[1]));
      const o =
        activation === 'tanh' ? n.tanh() : activation === 'sigmoid' ? n.sigmoid() : n.relu();
      o.backward();
      expect(r.o).toBe(o.data);
      expect(r.dw[0]).toBeCloseTo(ws[0].grad, 14);
      expect(r.dx[1]).toBeCloseTo(xs[1].grad, 14);
      expect(r.db).toBeCloseTo(bv.grad, 14);
      // and the derivative against a central difference
      const fn = ACTIVATION_FUNCTIONS[activation];
      for (const at of [-2, -0.3, 0.4, 1.7]) {
        const numeric = (fn.value(at + 1e-6) - fn.value(at - 1e-6)) / 2e-6;
        expect(fn.derivative(at)).toBeCloseTo(numeric, 8);
      }
    });
  }

  it('rejects mismatched inputs', () => {
    expect(() => neuronForward([1], [1, 2], 0, 'tanh')).toThrow(/same length, got 1 and 2/);
  });
});

describe('the activation plot window (issue 10: ReLU clipped at b = 8, the n marker off the plot)', () => {
  const inside = (box: ReturnType<typeof activationBox>, n: number, o: number) =>
    n >= box.nMin && n <= box.nMax && o >= box.yMin && o <= box.yMax;

  for (const activation of ['tanh', 'sigmoid', 'relu'] as NeuronActivation[]) {
    it(`${activation}: every point of the curve and the neuron's (n, o) are inside, for b from −8 to 8`, () => {
      for (const b of [-8, -3, 0, 0.88, 4, 8]) {
        // The sliders' extremes: x, w in [−8, 8] give n up to 8·8·2 + 8 = 136.
        for (const [x, w] of [
          [
            [2, 0],
            [-3, 1],
          ],
          [
            [8, 8],
            [8, 8],
          ],
          [
            [-8, 8],
            [8, 8],
          ],
        ] as const) {
          const r = neuronForward([...x], [...w], b, activation);
          const box = activationBox(activation, r.n, 320, 180);
          expect(inside(box, r.n, r.o), `n = ${r.n}`).toBe(true);
          const fn = ACTIVATION_FUNCTIONS[activation].value;
          for (let s = 0; s <= 200; s++) {
            const n = box.nMin + ((box.nMax - box.nMin) * s) / 200;
            expect(inside(box, n, fn(n)), `${activation}(${n})`).toBe(true);
          }
        }
      }
    });
  }

  it('keeps the lecture window (n from −4 to 4) while n is inside it', () => {
    expect(activationBox('tanh', 0.88, 320, 180)).toMatchObject({ nMin: -4, nMax: 4 });
    // b = 8 with the lecture's x and w: n = 2.0 → ReLU tops out at 4.2, not clipped at 3.
    const box = activationBox('relu', 8 - 6, 320, 180);
    expect(box.yMax).toBeCloseTo(4.2, 12);
  });
});

describe('dragging n on the activation plot', () => {
  it('biasForN gives the bias that lands the neuron on n (lecture 1 neuron)', () => {
    const x = [2, 0];
    const w = [-3, 1];
    const b = biasForN(0.5, x, w);
    expect(b).toBe(6.5);
    expect(neuronForward(x, w, b, 'tanh').n).toBeCloseTo(0.5, 12);
    expect(biasForN(1, x, w)).toBe(7);
  });

  it('clamps to the slider range, rounds to its step, never writes -0', () => {
    expect(biasForN(10, [2, 0], [-3, 1])).toBe(8); // would need b = 16
    expect(biasForN(-20, [0, 0], [1, 1])).toBe(-8);
    expect(biasForN(0.123456, [0, 0], [1, 1])).toBe(0.12);
    expect(Object.is(biasForN(-0.001, [0, 0], [1, 1]), 0)).toBe(true);
  });
});
