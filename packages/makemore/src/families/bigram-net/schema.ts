/** The `bigram-net` family: its name, config schema and training defaults, without the model code. */
import { bytesOf, type FamilyInfo } from '../family.js';

/** The `bigramNetFamily`'s `FamilyInfo` (see it for the defaults). */
export const bigramNetInfo: FamilyInfo = {
  name: 'bigram-net',
  title: 'Bigram neural net (one-hot · W)',
  schema: [
    {
      name: 'regularization',
      type: 'float',
      default: 0.01,
      min: 0,
      max: 100,
      help: 'weight λ of the penalty λ·mean(W²)',
      scale: 'linear',
    },
    {
      name: 'allWords',
      type: 'boolean',
      default: false,
      help: "train on every word's bigrams, as the lecture does (228,146 on names.txt), not the 80% training split",
    },
  ],
  trainable: true,
  defaults: {
    optimizer: 'sgd',
    lr: 50,
    steps: 100,
    batchSize: Number.POSITIVE_INFINITY,
    schedule: () => ({ kind: 'ConstantLR', factor: 1 }),
  },
  trainsOn: (config) => ({
    examples: 'contexts',
    blockSize: 1,
    split: config.allWords === true ? 'all' : 'train',
  }),
  estimate: (config) => {
    const shape = [config.vocabSize, config.vocabSize];
    return [{ name: 'W', shape, bytes: bytesOf(shape), dependsOn: [], trainable: true }];
  },
};
