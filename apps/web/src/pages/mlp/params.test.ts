import { describe, expect, it } from 'vitest';
import { readParams, writeParams } from '../../state/url-state.js';
import { legacyParams, mlpSchema, toMlpSettings } from './params.js';

describe('mlp URL parameters', () => {
  it("defaults are the family's schema and runSettings, and an empty query", () => {
    const values = readParams(mlpSchema, new URLSearchParams());
    // The lecture's fields by value (fields a family adds follow its schema's defaults).
    expect(toMlpSettings(values)).toMatchObject({
      model: { blockSize: 3, nEmbd: 10, nHidden: 200 },
      batchSize: 32,
      lr: 0.1,
      schedule: 'step',
      optimizer: 'sgd',
      steps: 30_000,
      seed: 2147483647,
      splitSeed: 42,
      trainWords: 0,
      evalEvery: 1000,
    });
    expect(writeParams(mlpSchema, values).toString()).toBe('');
  });

  it('reads the model part by CLI flag, clamps to the schema and round-trips a shared link', () => {
    const values = readParams(
      mlpSchema,
      new URLSearchParams(
        'n-embd=2&n-hidden=500000&lr=1e4&sched=cosine&opt=adam&train=200&block-size=2.6',
      ),
    );
    expect(toMlpSettings(values)).toMatchObject({
      model: { blockSize: 3, nEmbd: 2, nHidden: 100_000 },
      lr: 1e4,
      schedule: 'step',
      optimizer: 'adam',
      trainWords: 200,
    });
    expect(writeParams(mlpSchema, values).toString()).toBe(
      'n-embd=2&n-hidden=100000&lr=10000&opt=adam&train=200',
    );
  });
});

describe('links from before the schema-driven controls', () => {
  it('map block, emb and hidden to their flags (a flag already given wins)', () => {
    expect(legacyParams(new URLSearchParams('emb=2&hidden=100&block=4&lr=0.05'))).toEqual({
      'block-size': '4',
      'n-embd': '2',
      'n-hidden': '100',
    });
    expect(legacyParams(new URLSearchParams('emb=2&n-embd=3'))).toBeNull();
    expect(legacyParams(new URLSearchParams('lr=0.05'))).toBeNull();
  });
});
