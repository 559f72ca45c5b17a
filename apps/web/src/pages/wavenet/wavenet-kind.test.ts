import { bundledNames } from '@llm-playground/data';
import { createModel, estimateSize, getFamily, type ModelConfig } from '@llm-playground/makemore';
import { describe, expect, it } from 'vitest';
import { flatConfig, WavenetSessionTrainer } from './wavenet-kind.js';

import {
  contextOf,
  hierarchy,
  type WavenetEvaluation,
  type WavenetSettings,
} from './wavenet-types.js';

/** The family's own count: the sum of its estimate's trainable tensors. */
const parametersOf = (config: ModelConfig) => estimateSize(getFamily('wavenet'), config).parameters;
const words = bundledNames().words;
const base: WavenetSettings = {
  model: { nEmbd: 10, nHidden: 32 },
  lr: 0.1,
  steps: 100,
  batchSize: 32,
  seed: 2147483647,
  splitSeed: 42,
  evalEvery: 50,
};

describe('the WaveNet kind: the hierarchy and the flat model at the same parameter count', () => {
  it("counts parameters as the model does: the lecture's 76,579, and the flat model within one hidden unit", () => {
    const lecture = {
      kind: 'wavenet',
      vocabSize: 27,
      blockSize: 8,
      nEmbd: 24,
      nHidden: 128,
      flatten: 2,
    };
    expect(parametersOf(lecture)).toBe(76_579);
    expect(createModel(lecture).numParameters()).toBe(76_579);
    const flat = flatConfig(lecture, 76_579);
    expect(flat).toMatchObject({ flatten: 8, nHidden: 343 });
    expect(parametersOf(flat)).toBe(76_478);
    const flatCount = createModel(flat).numParameters();
    expect(flatCount).toBe(parametersOf(flat));
    // One hidden unit is worth 8·24 + 2 + 27 = 221 parameters.
    expect(Math.abs(flatCount - 76_579)).toBeLessThanOrEqual(221 / 2);
  });

  it('trains both step for step: two finite loss series, falling, and dev losses at the same steps', () => {
    const trainer = new WavenetSessionTrainer({ words, settings: base });
    expect(trainer.info.parameters).toBe(parametersOf({ ...trainer.info.config }));
    expect(Math.abs(trainer.info.flatParameters - trainer.info.parameters)).toBeLessThanOrEqual(
      (8 * 10 + 2 + 28) / 2,
    );
    const losses: number[] = [];
    const flat: number[] = [];
    const events: WavenetEvaluation[] = [];
    while (!trainer.stop) {
      const slice = trainer.runSlice({ maxSteps: 30, maxMillis: 1e9 });
      expect(slice.series.flat.length).toBe(slice.series.loss.length);
      losses.push(...slice.series.loss);
      flat.push(...slice.series.flat);
      events.push(...(slice.events as WavenetEvaluation[]));
    }
    expect(trainer.stop).toMatchObject({ reason: 'done', step: 100 });
    expect(losses).toHaveLength(100);
    expect(flat).toHaveLength(100);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Both start near ln 28 = 3.33 (BatchNorm, last layer less confident) and fall.
    for (const series of [losses, flat]) {
      expect(series.every(Number.isFinite)).toBe(true);
      expect(Math.abs(series[0] - Math.log(28))).toBeLessThan(0.3);
      expect(mean(series.slice(80))).toBeLessThan(mean(series.slice(0, 20)) - 0.3);
    }
    expect(events.map((e) => e.step)).toEqual([50, 100]);
    for (const e of events) {
      expect(e.hier).toBeGreaterThan(2);
      expect(e.hier).toBeLessThan(3.3);
      expect(e.flat).toBeGreaterThan(2);
      expect(e.flat).toBeLessThan(3.3);
    }
    expect(trainer.configure({ ...base })).toBe('live');
    expect(trainer.configure({ ...base, lr: 0.05 })).toBe('restart');
    expect(trainer.step).toBe(0);
  });
});

describe('hierarchy', () => {
  it('over 8 characters merging pairs: 8 + 4 + 2 + 1 units, each seeing its span; flat: one unit', () => {
    const { nodes, links } = hierarchy(8, 2);
    expect(nodes.map((n) => n.level)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3]);
    expect(nodes.filter((n) => n.level === 1).map((n) => [n.from, n.to])).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
    ]);
    expect(nodes.at(-1)).toMatchObject({ level: 3, from: 0, to: 8, x: 4 });
    expect(links).toHaveLength(14);
    const flat = hierarchy(8, 8);
    expect(flat.nodes).toHaveLength(9);
    expect(flat.links.map((l) => l.child.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(() => hierarchy(6, 4)).toThrow('hierarchy: blockSize 6 is not a power of flatten 4');
  });

  it('pads a word on the left with the boundary character', () => {
    expect(contextOf('emma', 8)).toEqual(['.', '.', '.', '.', 'e', 'm', 'm', 'a']);
    expect(contextOf('alexandria', 4)).toEqual(['d', 'r', 'i', 'a']);
  });
});
