import { gptPresets } from '@llm-playground/makemore/schemas';
import { describe, expect, it } from 'vitest';
import { readParams, writeParams } from '../../state/url-state.js';
import { rnnSchema, toRnnSettings } from '../rnn/params.js';
import { gptSchema, matchingPreset, PAGE_PRESETS, presetValues, toGptSettings } from './params.js';

describe('GPT page parameters', () => {
  it("default to the 'cpu' preset; each preset's values match it back", () => {
    const defaults = readParams(gptSchema, new URLSearchParams());
    expect(matchingPreset(defaults)).toBe('cpu');
    expect(toGptSettings(defaults)).toEqual({
      model: { architecture: 'blocks', blockSize: 32, nEmbd: 64, nHead: 4, nLayer: 3, dropout: 0 },
      lr: 1e-3,
      steps: 3000,
      batchSize: 32,
      seed: 1337,
      evalEvery: 250,
    });
    for (const name of PAGE_PRESETS) {
      const values = { ...defaults, ...presetValues(gptPresets[name]) };
      expect(matchingPreset(values), name).toBe(name);
    }
  });

  it("nanoGPT's CPU preset as a link: the CLI's flags", () => {
    const values = {
      ...readParams(gptSchema, new URLSearchParams()),
      ...presetValues(gptPresets['nanogpt-cpu']),
    };
    expect(writeParams(gptSchema, values).toString()).toBe(
      'block-size=64&n-embd=128&n-layer=4&steps=2000&batch=12',
    );
    const custom = { ...values, 'n-layer': 5 };
    expect(matchingPreset(custom)).toBeNull();
  });
});

describe('RNN page parameters', () => {
  it("makemore.py's defaults; the block size goes over only when changed", () => {
    const defaults = readParams(rnnSchema, new URLSearchParams());
    expect(toRnnSettings(defaults)).toEqual({
      model: { nEmbd: 64, nEmbd2: 64 },
      lr: 5e-4,
      steps: 3000,
      batchSize: 32,
      seed: 3407,
      evalEvery: 250,
    });
    const transformer = readParams(
      rnnSchema,
      new URLSearchParams('model=transformer&block-size=20'),
    );
    expect(toRnnSettings(transformer).model).toEqual({
      blockSize: 20,
      nEmbd: 64,
      nLayer: 4,
      nHead: 4,
    });
  });
});
