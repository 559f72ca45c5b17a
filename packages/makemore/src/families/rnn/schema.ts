/** The `rnn` family (makemore.py's `RNN` with its `RNNCell`), without model code; `gru` reuses it. */
import type { ModelConfig } from '../../model.js';
import type { FamilyInfo } from '../family.js';
import { estimates, setting, zooDefaults, zooFields } from '../zoo-schema.js';

/** The two recurrent cells of makemore.py. */
export type CellType = 'rnn' | 'gru';

/** The tensors of an `rnn` / `gru` config, in state-dict order. */
function estimate(cell: CellType, config: ModelConfig) {
  const V = config.vocabSize;
  const [E, E2] = [setting(config, 'nEmbd'), setting(config, 'nEmbd2')];
  const { tensors, add, linear } = estimates();
  add('start', [1, E2], ['nEmbd2']);
  add('wte.weight', [V, E], ['nEmbd']);
  const gates = cell === 'rnn' ? ['xhToH'] : ['xhToZ', 'xhToR', 'xhToHbar'];
  for (const gate of gates) linear(`cell.${gate}`, E + E2, E2, ['nEmbd', 'nEmbd2']);
  linear('lmHead', E2, V, ['nEmbd2']);
  return tensors;
}

/** The `FamilyInfo` of a recurrent family (`rnn` or `gru`). */
export function recurrentInfo(cell: CellType): FamilyInfo {
  return {
    name: cell,
    title: cell === 'rnn' ? 'RNN (makemore.py)' : 'GRU (makemore.py)',
    schema: [zooFields.blockSize, zooFields.nEmbd, zooFields.nEmbd2],
    trainable: true,
    defaults: zooDefaults,
    trainsOn: (config) => ({ examples: 'sequences', blockSize: config.blockSize, split: 'train' }),
    estimate: (config) => estimate(cell, config),
  };
}

/** The `rnnFamily`'s `FamilyInfo`. */
export const rnnInfo: FamilyInfo = recurrentInfo('rnn');
