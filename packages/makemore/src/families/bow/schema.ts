/** The `bow` family (makemore.py's `BoW`): name, schema, defaults and sizes, without model code. */
import type { ModelConfig } from '../../model.js';
import type { FamilyInfo } from '../family.js';
import { estimates, setting, zooDefaults, zooFields } from '../zoo-schema.js';

/** The tensors of a `bow` config, in the model's state-dict order. */
function estimate(config: ModelConfig) {
  const V = config.vocabSize;
  const T = config.blockSize;
  const [E, E2] = [setting(config, 'nEmbd'), setting(config, 'nEmbd2')];
  const { tensors, add, linear } = estimates();
  add('wte.weight', [V, E], ['nEmbd']);
  add('wpe.weight', [T, E], ['blockSize', 'nEmbd']);
  linear('contextBlock.cFc', E, E2, ['nEmbd', 'nEmbd2']);
  linear('contextBlock.cProj', E2, E, ['nEmbd', 'nEmbd2']);
  linear('lmHead', E, V, ['nEmbd']);
  add('contextBlock.cbow.bias', [1, T, T], ['blockSize'], false);
  return tensors;
}

/** The `bowFamily`'s `FamilyInfo`. */
export const bowInfo: FamilyInfo = {
  name: 'bow',
  title: 'Bag of words (makemore.py BoW)',
  schema: [zooFields.blockSize, zooFields.nEmbd, zooFields.nEmbd2],
  trainable: true,
  defaults: zooDefaults,
  trainsOn: (config) => ({ examples: 'sequences', blockSize: config.blockSize, split: 'train' }),
  estimate,
};
