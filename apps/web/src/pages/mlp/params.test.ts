import { describe, expect, it } from 'vitest';
import { readParams, writeParams } from '../../state/url-state.js';
import { mlpSchema, toTrainerConfig } from './params.js';
import { DEFAULT_CONFIG } from './trainer.js';

describe('mlp URL parameters', () => {
  it('defaults give the default trainer config and an empty query', () => {
    const values = readParams(mlpSchema, new URLSearchParams());
    expect(toTrainerConfig(values)).toEqual(DEFAULT_CONFIG);
    expect(writeParams(mlpSchema, values).toString()).toBe('');
  });

  it('reads, clamps and round-trips a shared link', () => {
    const values = readParams(
      mlpSchema,
      new URLSearchParams('emb=2&hidden=5000&lr=1e4&sched=cosine&opt=adam&train=200&block=2.6'),
    );
    const config = toTrainerConfig(values);
    expect(config).toMatchObject({
      nEmbd: 2,
      nHidden: 1000,
      lr: 1e4,
      schedule: 'step',
      optimizer: 'adam',
      trainWords: 200,
      blockSize: 3,
    });
    expect(writeParams(mlpSchema, values).toString()).toBe(
      'emb=2&hidden=1000&lr=10000&opt=adam&train=200',
    );
  });
});
