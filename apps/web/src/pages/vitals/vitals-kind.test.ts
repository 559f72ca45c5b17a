import { bundledNames } from '@llm-playground/data';
import { BatchNorm1d, Linear } from '@llm-playground/nn';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../session/protocol.js';
import { openHost } from '../../session/testing.js';
import { VitalsSessionTrainer, vitalsKind } from './vitals-kind.js';
import {
  SeriesHistory,
  toVitalsProgress,
  UD_PREFIX,
  type VitalsInfo,
  type VitalsSettings,
  type VitalsSnapshot,
} from './vitals-types.js';

const words = bundledNames().words;
const base: VitalsSettings = {
  model: {},
  lr: 0.1,
  steps: 1000,
  batchSize: 32,
  seed: 2147483647,
  splitSeed: 42,
  every: 100,
};

/** The snapshot of step 0 (the initialisation, the lecture's first picture) and its loss. */
function atInit(settings: VitalsSettings): { snapshot: VitalsSnapshot; loss: number } {
  const trainer = new VitalsSessionTrainer({ words, settings });
  const slice = trainer.runSlice({ maxSteps: 1, maxMillis: 1e9 });
  const snapshot = trainer.snapshot().value;
  if (!snapshot) throw new Error('no snapshot after step 0');
  return { snapshot, loss: slice.series.loss[0] };
}
const saturation = (s: VitalsSnapshot) => s.activations.map((a) => a.saturated ?? Number.NaN);
const stds = (s: VitalsSnapshot) => s.activations.map((a) => a.std);

describe('the vitals kind: the deep tanh MLP with Diagnostics on the one Trainer', () => {
  it('sends the loss and one update:data series per 2-d parameter, and snapshots of the five Tanh layers', async () => {
    const { host, events, last, until, settle } = open();
    host.handle({
      type: 'start',
      kind: 'vitals',
      init: { words, settings: { ...base, steps: 60, every: 25 } },
    });
    await until(() => events.some((e) => e.type === 'ready'));
    const info = (events.find((e) => e.type === 'ready') as { info: VitalsInfo }).info;
    // Embedding(28, 10), then 5 × (Linear, BatchNorm1d, Tanh), then Linear, BatchNorm1d.
    expect(info.layers).toEqual(['layers.4', 'layers.7', 'layers.10', 'layers.13', 'layers.16']);
    expect(info.parameters).toEqual([
      'layers.0.weight',
      'layers.2.weight',
      'layers.5.weight',
      'layers.8.weight',
      'layers.11.weight',
      'layers.14.weight',
      'layers.17.weight',
    ]);
    // The lecture's 47,024 for 27 tokens; the bundled names have 28: + 10 (C) + 100 (W) + 2 (γ, β).
    expect(info.numParameters).toBe(47_136);
    host.handle({ type: 'resume' });
    await until(() => last()?.status === 'done');
    await settle();
    const history = new SeriesHistory();
    let snapshot: VitalsSnapshot | undefined;
    for (const event of events.filter((e): e is ProgressEvent => e.type === 'progress')) {
      if (event.slice.series.loss) history.append(event.slice.firstStep, event.slice.series);
      snapshot = toVitalsProgress(event).snapshot ?? snapshot;
    }
    expect(history.length).toBe(60);
    for (const name of info.parameters) {
      for (let step = 0; step < 60; step++) {
        const ud = history.at(UD_PREFIX + name, step);
        // log10(lr·std(grad)/std(data)): within a few decades of the lecture's −3 guide line.
        expect(ud).toBeGreaterThan(-6);
        expect(ud).toBeLessThan(-1);
      }
    }
    // The last step is always watched; its densities came over as Float32Arrays.
    expect(snapshot?.step).toBe(59);
    expect(snapshot?.activations.map((a) => a.name)).toEqual(info.layers);
    expect(snapshot?.gradients.map((a) => a.name)).toEqual(info.layers);
    expect(snapshot?.weights.map((a) => a.name)).toEqual(info.parameters);
    for (const c of [
      ...(snapshot?.activations ?? []),
      ...(snapshot?.gradients ?? []),
      ...(snapshot?.weights ?? []),
    ]) {
      expect(c.density).toBeInstanceOf(Float32Array);
      expect(c.density.length).toBe(100);
      expect(Number.isFinite(c.mean) && Number.isFinite(c.std) && c.hi > c.lo).toBe(true);
      // A density: Σ density · width = 1 (float32 values).
      const width = (c.hi - c.lo) / 100;
      expect(c.density.reduce((a, b) => a + b, 0) * width).toBeCloseTo(1, 4);
    }
    for (const a of snapshot?.activations ?? []) {
      expect(a.lo).toBeGreaterThanOrEqual(-1);
      expect(a.hi).toBeLessThanOrEqual(1);
      expect(a.label).toMatch(/^layers\.\d+ \(Tanh\): mean [+-]\d\.\d\d, std 0\.\d\d, saturated/);
    }
    for (const w of snapshot?.weights ?? []) expect(w.gradToData).toBeGreaterThan(0);
  });

  it("shows the lecture's pictures at step 0: BatchNorm and the gain set the saturation and the spread", () => {
    const bn = atInit(base).snapshot;
    const plain = atInit({ ...base, model: { batchNorm: false } }).snapshot;
    // The lecture (no BatchNorm, gain 5/3): layer 1 saturated 20.25%, the deeper ones ~5–8%.
    expect(saturation(plain)[0]).toBeGreaterThan(0.15);
    expect(saturation(plain)[0]).toBeLessThan(0.25);
    // BatchNorm normalises every pre-activation: ~3% saturated everywhere, std ≈ 0.63.
    for (const s of saturation(bn)) expect(s).toBeLessThan(0.05);
    for (const std of stds(bn)) expect(std).toBeCloseTo(0.63, 1);
    expect(Math.max(...saturation(bn))).toBeLessThan(saturation(plain)[0] / 4);
    // Gain 1: the activations shrink layer by layer (std 0.63 → 0.31); 0.5 vanishes; 3 saturates.
    const one = stds(atInit({ ...base, model: { batchNorm: false, gain: 1 } }).snapshot);
    for (let k = 1; k < one.length; k++) expect(one[k]).toBeLessThan(one[k - 1]);
    expect(one[4]).toBeLessThan(0.4);
    const half = stds(atInit({ ...base, model: { batchNorm: false, gain: 0.5 } }).snapshot);
    expect(half[4]).toBeLessThan(0.05);
    const three = saturation(atInit({ ...base, model: { batchNorm: false, gain: 3 } }).snapshot);
    for (const s of three) expect(s).toBeGreaterThan(0.3);
  });

  it('the init steps: plain randn saturates every layer and starts far above ln V; the fix brings it to ln V', () => {
    const uniform = Math.log(28);
    const randn = atInit({
      ...base,
      model: { batchNorm: false, init: 'randn', lastLayerFix: false },
    });
    for (const s of saturation(randn.snapshot)) expect(s).toBeGreaterThan(0.6);
    expect(randn.loss).toBeGreaterThan(10);
    const unfixed = atInit({ ...base, model: { batchNorm: false, lastLayerFix: false } });
    const fixed = atInit({ ...base, model: { batchNorm: false } });
    expect(unfixed.loss).toBeGreaterThan(uniform + 0.2);
    expect(Math.abs(fixed.loss - uniform)).toBeLessThan(0.05);
  });

  it("drives the family's init steps: randn = the same draws ×√fan_in, the last γ ×10 without the fix", () => {
    const weights = (settings: VitalsSettings) => {
      const trainer = new VitalsSessionTrainer({ words, settings });
      const layers = (trainer.model as unknown as { layers: unknown[] }).layers;
      return {
        linears: layers.filter((l): l is Linear => l instanceof Linear),
        last: layers.at(-1),
      };
    };
    const model = { batchNorm: true, gain: 1 };
    const kaiming = weights({ ...base, model });
    const randn = weights({ ...base, model: { ...model, init: 'randn' } });
    const unfixed = weights({ ...base, model: { ...model, lastLayerFix: false } });
    kaiming.linears.forEach((linear, k) => {
      const fanIn = linear.weight.shape[1];
      expect(randn.linears[k].weight.data[7]).toBeCloseTo(linear.weight.data[7] * fanIn ** 0.5, 5);
    });
    expect(kaiming.last).toBeInstanceOf(BatchNorm1d);
    expect((kaiming.last as BatchNorm1d).weight?.data[0]).toBeCloseTo(0.1, 7);
    expect((unfixed.last as BatchNorm1d).weight?.data[0]).toBeCloseTo(1, 6);
  });

  it('configure: the same settings are live, any change starts over; bad input says what is wrong', () => {
    const trainer = new VitalsSessionTrainer({ words, settings: base });
    trainer.runSlice({ maxSteps: 3, maxMillis: 1e9 });
    expect(trainer.configure({ ...base })).toBe('live');
    expect(trainer.step).toBe(3);
    expect(trainer.configure({ ...base, model: { batchNorm: false } })).toBe('restart');
    expect(trainer.step).toBe(0);
    expect(trainer.snapshot().value).toBeNull();
    expect(trainer.info.layers).toEqual([
      'layers.3',
      'layers.5',
      'layers.7',
      'layers.9',
      'layers.11',
    ]);
    expect(() => new VitalsSessionTrainer({ words: ['ab'], settings: base })).toThrow(
      "Argument 'words' passed to the vital-signs trainer must hold at least 3 words (for an 80/10/10 split), got 1",
    );
  });
});

describe('SeriesHistory', () => {
  it('appends contiguous slices and thins to stride means, skipping non-finite values', () => {
    const h = new SeriesHistory();
    h.append(0, { a: [1, 2, 3], b: [10, Number.NaN, 30] });
    h.append(3, { a: [4, 5], b: [40, 50] });
    expect(h.length).toBe(5);
    expect(h.at('a', 4)).toBe(5);
    expect(h.chartData(['a', 'b'], { maxPoints: 3 })).toEqual([
      [0, 2, 4],
      [1.5, 3.5, 5],
      [10, 35, 50],
    ]);
    expect(h.chartData(['a'], { transform: Math.log10 })[1][0]).toBe(0);
    expect(() => h.append(7, { a: [1] })).toThrow(
      'SeriesHistory.append: expected the slice to start at step 5, got 7',
    );
  });
});

function open() {
  return openHost({ vitals: () => vitalsKind });
}
