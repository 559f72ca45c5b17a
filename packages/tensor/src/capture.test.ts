import { Generator } from '@llm-playground/core';
import { describe, expect, it } from 'vitest';
import { getBackend } from './backend.js';
import { CaptureError, captureStep, compileStep, replayEagerly } from './capture.js';
import { arange, tensor } from './creation.js';
import { IndexError } from './errors.js';
import { noGrad } from './grad-mode.js';
import { randint, randn } from './random.js';
import type { Tensor } from './tensor.js';
import { zeroGrad } from './zero-grad.js';

// The lecture MLP (context 3, embedding 10, hidden 200, tanh), loss by logSoftmax + pluck, SGD by
// hand. Runs on whichever backend the project selects (unit: js, unit-wasm: wasm).
function lectureMlp(seed: number) {
  const g = new Generator(seed);
  const C = randn([27, 10], { generator: g, requiresGrad: true });
  const W1 = randn([30, 200], { generator: g }).mul(0.2).requiresGrad_();
  const b1 = randn([200], { generator: g }).mul(0.01).requiresGrad_();
  const W2 = randn([200, 27], { generator: g }).mul(0.01).requiresGrad_();
  const b2 = randn([27], { generator: g, requiresGrad: true });
  const params = [C, W1, b1, W2, b2];
  const step = (X: Tensor, Y: Tensor): Tensor => {
    zeroGrad(params);
    const h = C.index(X).view(-1, 30).matmul(W1).add(b1).tanh();
    const logits = h.matmul(W2).add(b2);
    const n = X.shape[0];
    const loss = logits.logSoftmax(1).index(arange(n), Y).mean().neg();
    loss.backward();
    noGrad(() => {
      for (const p of params) p.sub_(p.grad as Tensor, { alpha: 0.1 });
    });
    return loss;
  };
  return { params, step };
}

function batches(count: number, batch: number): [Tensor, Tensor][] {
  const g = new Generator(42);
  return Array.from({ length: count }, () => [
    randint(0, 27, [batch, 3], { generator: g }),
    randint(0, 27, [batch], { generator: g }),
  ]);
}

const bits = (t: Tensor) => Array.from(t.data);

describe(`captureStep on the ${getBackend().name} backend`, () => {
  it('replays the lecture MLP bit for bit like eager steps, over 50 steps', () => {
    const data = batches(50, 32);
    const eager = lectureMlp(1);
    const eagerLosses = data.map(([X, Y]) => eager.step(X, Y).item());

    const replayed = lectureMlp(1);
    const captured = captureStep(replayed.step, data[0]);
    const losses = [captured.output.item()];
    for (const [X, Y] of data.slice(1)) losses.push(captured.replay(X, Y).item());

    expect(losses).toEqual(eagerLosses);
    expect(losses[49]).toBeLessThan(losses[0]); // it trains
    replayed.params.forEach((p, i) => {
      expect(bits(p)).toEqual(bits(eager.params[i]));
      // .grad after a replay is the last step's gradient, as after an eager step.
      expect(bits(p.grad as Tensor)).toEqual(bits(eager.params[i].grad as Tensor));
    });
    // The inputs given at capture are copied, never overwritten by replays.
    expect(bits(data[0][0])).toEqual(bits(batches(1, 32)[0][0]));
    expect(captured.kernels).toContain('matmul');
    expect(captured.kernels).toContain('replayEagerly'); // the index checks and row offsets
  });

  it('checks indices again on every replay (index out of range)', () => {
    const { step } = lectureMlp(3);
    const [[X, Y]] = batches(1, 8);
    const captured = captureStep(step, [X, Y]);
    const bad = X.clone();
    bad.storage[5] = 27;
    expect(() => captured.replay(bad, Y)).toThrow(IndexError);
    expect(() => captured.replay(bad, Y)).toThrow(
      'index 27 is out of bounds for dimension 0 with size 27',
    );
    const badY = Y.clone();
    badY.storage[0] = -28;
    expect(() => captured.replay(X, badY)).toThrow('index -28 is out of bounds');
  });

  it('refuses another input shape or dtype with a CaptureError naming it', () => {
    const { step } = lectureMlp(4);
    const [[X, Y]] = batches(1, 8);
    const captured = captureStep(step, [X, Y]);
    const [[X2, Y2]] = batches(1, 5);
    expect(() => captured.replay(X2, Y2)).toThrow(CaptureError);
    expect(() => captured.replay(X2, Y2)).toThrow(
      'input 0 has dtype int32 and shape [5, 3], but the step was captured for int32 [8, 3]',
    );
    expect(() => captured.replay(X.float(), Y)).toThrow('input 0 has dtype float32');
    expect(() => captured.replay(X)).toThrow('captured with 2 input(s), got 1');
  });

  it('compileStep captures once per shape and equals eager steps across shape changes', () => {
    const data = [...batches(3, 16), ...batches(2, 7), ...batches(2, 16)];
    const eager = lectureMlp(5);
    const eagerLosses = data.map(([X, Y]) => eager.step(X, Y).item());
    const compiled = lectureMlp(5);
    const step = compileStep(compiled.step);
    const losses = data.map(([X, Y]) => step(X, Y).item());
    expect(losses).toEqual(eagerLosses);
    expect([...step.captures.keys()]).toEqual(['int32[16, 3] int32[16]', 'int32[7, 3] int32[7]']);
    compiled.params.forEach((p, i) => {
      expect(bits(p)).toEqual(bits(eager.params[i]));
    });
    const strict = compileStep(compiled.step, { recapture: false });
    strict(...data[0]);
    expect(() => strict(...data[3])).toThrow(CaptureError);
  });

  it('reads values only outside the step, and re-runs eager islands', () => {
    const w = tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    expect(() => captureStep((x) => tensor([w.mul(x).sum().item()]), [tensor([1, 1])])).toThrow(
      'item() inside captureStep',
    );
    // A later capture works (the failed one was cleaned up).
    let scale = 1;
    const out = tensor([0], { dtype: 'float32' });
    const captured = captureStep(
      (x) => {
        replayEagerly(() => {
          out.storage[0] = scale;
        });
        return w.mul(x).sum().mul(out);
      },
      [tensor([1, 1], { dtype: 'float32' })],
    );
    expect(captured.output.item()).toBe(3);
    scale = 10;
    expect(captured.replay(tensor([1, 0], { dtype: 'float32' })).item()).toBe(10);
    expect(() => captureStep(() => 3 as unknown as Tensor, [])).toThrow('must return tensors');
  });
});

describe('random draws inside a captured step', () => {
  it('are refused with a CaptureError (they would repeat on every replay)', () => {
    expect(() => captureStep(() => randn([3]), [])).toThrow(
      'a random draw inside captureStep would be made once',
    );
    // Inside an eager island they are drawn again on every replay.
    const out = tensor([0, 0], { dtype: 'float32' });
    const g = new Generator(3);
    const step = captureStep(() => {
      replayEagerly(() => {
        out.storage.set(randn([2], { generator: g }).storage);
      });
      return out.mul(1);
    }, []);
    const first = bits(step.output);
    expect(bits(step.replay())).not.toEqual(first);
  });
});
