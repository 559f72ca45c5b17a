import { describe, expect, it } from 'vitest';
import { movedParams } from '../../state/family-params.js';
import { readParams } from '../../state/url-state.js';
import { LECTURE_STEPS, MOVED_KEYS, toVitalsSettings, vitalsSchema } from './params.js';

const settingsOf = (query: string) =>
  toVitalsSettings(readParams(vitalsSchema, new URLSearchParams(query)));

describe('the vitals page parameters', () => {
  it("defaults to the lecture's deep net: BatchNorm, gain 5/3, Kaiming, the initial-loss fix", () => {
    expect(settingsOf('')).toEqual({
      model: {
        blockSize: 3,
        nEmbd: 10,
        nHidden: 100,
        layers: 5,
        batchNorm: true,
        gain: 5 / 3,
        init: 'kaiming',
        lastLayerFix: true,
      },
      lr: 0.1,
      steps: 3000,
      batchSize: 32,
      seed: 2147483647,
      splitSeed: 42,
      every: 50,
    });
  });

  it('reads a link: family fields by their CLI flags (the init steps too), clamped values', () => {
    const s = settingsOf('batch-norm=0&gain=1&init=randn&last-layer-fix=0&n-hidden=1e9&every=0');
    expect(s.model).toMatchObject({
      batchNorm: false,
      gain: 1,
      nHidden: 4096,
      init: 'randn',
      lastLayerFix: false,
    });
    expect(s.every).toBe(1);
    expect(settingsOf('init=xavier').model.init).toBe('kaiming');
  });

  it("moves an older link's fix= to last-layer-fix= (unless both are there)", () => {
    expect(movedParams(new URLSearchParams('fix=0&gain=1'), MOVED_KEYS)).toEqual({
      'last-layer-fix': '0',
    });
    expect(movedParams(new URLSearchParams('fix=0&last-layer-fix=1'), MOVED_KEYS)).toBeNull();
  });

  it("the lecture's steps are valid parameter sets", () => {
    for (const step of LECTURE_STEPS) {
      const query = new URLSearchParams(
        Object.entries(step.values).map(([key, value]) => [
          key,
          typeof value === 'boolean' ? (value ? '1' : '0') : String(value),
        ]),
      );
      const values = readParams(vitalsSchema, query);
      for (const [key, value] of Object.entries(step.values)) {
        expect(values[key]).toEqual(value);
      }
    }
  });
});
