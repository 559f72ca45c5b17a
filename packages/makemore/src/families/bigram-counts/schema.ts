/** The `bigram` family: its name, config schema and training defaults, without the model code. */
import { bytesOf, type FamilyInfo } from '../family.js';

/** The `bigramCountsFamily`'s `FamilyInfo` (see it for the defaults). */
export const bigramCountsInfo: FamilyInfo = {
  name: 'bigram',
  title: 'Bigram counts',
  schema: [
    {
      name: 'smoothing',
      type: 'float',
      default: 1,
      min: 0,
      max: 1e6,
      help: 'add-k smoothing: the pseudo-count added to every pair',
      scale: 'log',
    },
  ],
  trainable: false,
  defaults: {
    optimizer: 'sgd',
    lr: 0,
    steps: 0,
    batchSize: Number.POSITIVE_INFINITY,
    schedule: () => ({ kind: 'ConstantLR', factor: 1 }),
  },
  trainsOn: () => ({ examples: 'contexts', blockSize: 1, split: 'train' }),
  estimate: (config) => {
    const shape = [config.vocabSize, config.vocabSize];
    return [{ name: 'counts', shape, bytes: bytesOf(shape), dependsOn: [], trainable: false }];
  },
};
