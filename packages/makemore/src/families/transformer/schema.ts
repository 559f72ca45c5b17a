/** The `transformer` family (makemore.py's `Transformer`), without model code. */
import type { ModelConfig } from '../../model.js';
import type { ConfigProblem, FamilyInfo } from '../family.js';
import { estimates, setting, zooDefaults, zooFields } from '../zoo-schema.js';

/** The tensors of a `transformer` config (names as in the state dict). */
function estimate(config: ModelConfig) {
  const V = config.vocabSize;
  const T = config.blockSize;
  const E = setting(config, 'nEmbd');
  const nLayer = setting(config, 'nLayer');
  const { tensors, add, linear, repeat } = estimates();
  const e = ['nEmbd'];
  add('wte.weight', [V, E], e);
  add('wpe.weight', [T, E], ['blockSize', 'nEmbd']);
  repeat('h', nLayer, (l) => {
    const at = `h.${l}`;
    add(`${at}.ln1.weight`, [E], e);
    add(`${at}.ln1.bias`, [E], e);
    linear(`${at}.attn.cAttn`, E, 3 * E, e);
    linear(`${at}.attn.cProj`, E, E, e);
    add(`${at}.ln2.weight`, [E], e);
    add(`${at}.ln2.bias`, [E], e);
    linear(`${at}.cFc`, E, 4 * E, e);
    linear(`${at}.cProj`, 4 * E, E, e);
    add(`${at}.attn.bias`, [1, 1, T, T], ['blockSize'], false);
  });
  add('lnF.weight', [E], e);
  add('lnF.bias', [E], e);
  linear('lmHead', E, V, e, false);
  return tensors;
}

/** nEmbd must be a multiple of nHead (PyTorch's `embed_dim must be divisible by num_heads`). */
export function headsDivide(config: ModelConfig): ConfigProblem | undefined {
  const nEmbd = config.nEmbd as number;
  const nHead = config.nHead as number;
  if (nEmbd % nHead === 0) return undefined;
  let value = nHead;
  while (nEmbd % value !== 0) value--;
  return {
    field: 'nHead',
    value,
    message: `embed_dim must be divisible by num_heads: nEmbd (--n-embd) ${nEmbd} is not a multiple of nHead (--n-head) ${nHead} (each head gets nEmbd / nHead dimensions; ${value} heads would do)`,
  };
}

/** The `transformerFamily`'s `FamilyInfo`. */
export const transformerInfo: FamilyInfo = {
  name: 'transformer',
  title: 'Transformer (makemore.py, GPT-2 blocks)',
  schema: [zooFields.blockSize, zooFields.nEmbd, zooFields.nLayer, zooFields.nHead],
  trainable: true,
  defaults: zooDefaults,
  trainsOn: (config) => ({ examples: 'sequences', blockSize: config.blockSize, split: 'train' }),
  estimate,
  constrain: headsDivide,
};
