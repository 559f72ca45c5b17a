/**
 * The `gpt` family (the "let's build GPT" lecture's character-level model, trained on one long
 * text), without model code: its schema, the lecture's ladder and the CPU presets, and sizes.
 */
import type { ModelConfig } from '../../model.js';
import type { RunOverrides } from '../../run-settings.js';
import type { FamilyInfo } from '../family.js';
import { headsDivide } from '../transformer/schema.js';
import { estimates, MAX_SEQUENCE_BLOCK } from '../zoo-schema.js';

/**
 * The lecture's ladder, as architectures: `bigram` (bigram.py: a V×V table), `one-head` (token +
 * position embeddings, one attention head of size nEmbd, the head), `multi-head` (nHead heads of
 * nEmbd / nHead and a projection), `feed-forward` (+ a feed-forward layer), `blocks` (nLayer blocks
 * with residual connections and pre-LayerNorm, a final LayerNorm: gpt.py; with `dropout` > 0 the
 * last rung).
 */
export const GPT_ARCHITECTURES = [
  'bigram',
  'one-head',
  'multi-head',
  'feed-forward',
  'blocks',
] as const;
export type GptArchitecture = (typeof GPT_ARCHITECTURES)[number];

/** A named bundle of settings: the model's (`rawConfig`) and the run's (`run`). */
export interface GptPreset {
  title: string;
  config: { architecture: GptArchitecture } & Record<string, number | string>;
  run: RunOverrides;
}

/**
 * The lecture's ladder (its block 8, n_embd 32, batch 32 until the last rung), the lecture's final
 * gpt.py (`lecture`: 10.8M parameters, a GPU run), nanoGPT's shakespeare_char CPU settings
 * (`nanogpt-cpu`) and a CPU-sized default (`cpu`, the schema's defaults).
 * NOTE: nanoGPT decays its lr 1e-3 → 1e-4 with 100 warm-up steps; these presets keep it constant.
 *
 * @example
 * ```ts
 * gptPresets['nanogpt-cpu'].config; // { architecture: 'blocks', blockSize: 64, nEmbd: 128, nHead: 4, nLayer: 4, dropout: 0 }
 * ```
 */
export const gptPresets: Record<string, GptPreset> = {
  bigram: {
    title: 'bigram.py: a table of next-character logits',
    config: { architecture: 'bigram', blockSize: 8 },
    run: { lr: 1e-2, steps: 3000, batchSize: 32 },
  },
  'one-head': {
    title: '+ position embeddings and one self-attention head',
    config: { architecture: 'one-head', blockSize: 8, nEmbd: 32, nHead: 1, dropout: 0 },
    run: { lr: 1e-3, steps: 5000, batchSize: 32 },
  },
  'multi-head': {
    title: '+ four heads of size 8',
    config: { architecture: 'multi-head', blockSize: 8, nEmbd: 32, nHead: 4, dropout: 0 },
    run: { lr: 1e-3, steps: 5000, batchSize: 32 },
  },
  'feed-forward': {
    title: '+ a feed-forward layer',
    config: { architecture: 'feed-forward', blockSize: 8, nEmbd: 32, nHead: 4, dropout: 0 },
    run: { lr: 1e-3, steps: 5000, batchSize: 32 },
  },
  residual: {
    title: '3 blocks with residual connections and LayerNorm',
    config: { architecture: 'blocks', blockSize: 8, nEmbd: 32, nHead: 4, nLayer: 3, dropout: 0 },
    run: { lr: 1e-3, steps: 5000, batchSize: 32 },
  },
  dropout: {
    title: '+ dropout 0.2, scaled to CPU (block 32, n_embd 64)',
    config: { architecture: 'blocks', blockSize: 32, nEmbd: 64, nHead: 4, nLayer: 4, dropout: 0.2 },
    run: { lr: 1e-3, steps: 5000, batchSize: 32 },
  },
  lecture: {
    title: "the lecture's gpt.py (block 256, n_embd 384, 6 heads, 6 layers, dropout 0.2)",
    config: {
      architecture: 'blocks',
      blockSize: 256,
      nEmbd: 384,
      nHead: 6,
      nLayer: 6,
      dropout: 0.2,
    },
    run: { lr: 3e-4, steps: 5000, batchSize: 64 },
  },
  'nanogpt-cpu': {
    title:
      "nanoGPT's shakespeare_char on a CPU (block 64, batch 12, 4 layers, 4 heads, n_embd 128)",
    config: { architecture: 'blocks', blockSize: 64, nEmbd: 128, nHead: 4, nLayer: 4, dropout: 0 },
    run: { lr: 1e-3, steps: 2000, batchSize: 12 },
  },
  cpu: {
    title: 'CPU-sized default (block 32, n_embd 64, 4 heads, 3 layers)',
    config: { architecture: 'blocks', blockSize: 32, nEmbd: 64, nHead: 4, nLayer: 3, dropout: 0 },
    run: { lr: 1e-3, steps: 3000, batchSize: 32 },
  },
};

function architectureOf(config: ModelConfig): GptArchitecture {
  return (config.architecture as GptArchitecture | undefined) ?? 'blocks';
}

/** The tensors of a `gpt` config, in state-dict order (the attention masks with their heads). */
function estimate(config: ModelConfig) {
  const V = config.vocabSize;
  const T = config.blockSize;
  const E = (config.nEmbd as number | undefined) ?? 64;
  const nHead = (config.nHead as number | undefined) ?? 4;
  const nLayer = (config.nLayer as number | undefined) ?? 3;
  const architecture = architectureOf(config);
  const { tensors, add, linear, repeat } = estimates();
  const e = ['nEmbd'];
  if (architecture === 'bigram') {
    add('tokenEmbeddingTable.weight', [V, V], []);
    return tensors;
  }
  add('tokenEmbeddingTable.weight', [V, E], e);
  add('positionEmbeddingTable.weight', [T, E], ['blockSize', 'nEmbd']);
  const head = (at: string, size: number) => {
    for (const name of ['key', 'query', 'value']) linear(`${at}.${name}`, E, size, e, false);
    add(`${at}.tril`, [T, T], ['blockSize'], false);
  };
  const multiHead = (at: string) => {
    repeat(`${at}.heads`, nHead, (h) => head(`${at}.heads.${h}`, E / nHead));
    linear(`${at}.proj`, E, E, e);
  };
  const feedForward = (at: string) => {
    linear(`${at}.net.layers.0`, E, 4 * E, e);
    linear(`${at}.net.layers.2`, 4 * E, E, e);
  };
  if (architecture === 'one-head') head('saHead', E);
  if (architecture === 'multi-head' || architecture === 'feed-forward') multiHead('saHeads');
  if (architecture === 'feed-forward') feedForward('ffwd');
  if (architecture === 'blocks') {
    repeat('blocks', nLayer, (l) => {
      multiHead(`blocks.${l}.sa`);
      feedForward(`blocks.${l}.ffwd`);
      for (const ln of ['ln1', 'ln2']) {
        add(`blocks.${l}.${ln}.weight`, [E], e);
        add(`blocks.${l}.${ln}.bias`, [E], e);
      }
    });
    add('lnF.weight', [E], e);
    add('lnF.bias', [E], e);
  }
  linear('lmHead', E, V, e);
  return tensors;
}

/** The `gptFamily`'s `FamilyInfo` (defaults: the `cpu` preset). */
export const gptInfo: FamilyInfo = {
  name: 'gpt',
  title: "GPT (the 'let's build GPT' lecture)",
  schema: [
    {
      name: 'architecture',
      type: 'enum',
      default: 'blocks',
      choices: GPT_ARCHITECTURES,
      help: "the lecture's ladder: bigram, one-head, multi-head, feed-forward, blocks (residual + LayerNorm)",
    },
    {
      name: 'blockSize',
      type: 'int',
      default: 32,
      min: 1,
      max: MAX_SEQUENCE_BLOCK,
      help: 'context length in characters (block_size)',
      scale: 'log',
    },
    {
      name: 'nEmbd',
      type: 'int',
      default: 64,
      min: 1,
      max: 4096,
      help: 'embedding dimensions (n_embd); a multiple of --n-head',
      scale: 'log',
    },
    {
      name: 'nHead',
      type: 'int',
      default: 4,
      min: 1,
      max: 64,
      help: 'attention heads (n_head)',
      scale: 'linear',
    },
    {
      name: 'nLayer',
      type: 'int',
      default: 3,
      min: 1,
      max: 64,
      help: 'blocks (n_layer; architecture blocks)',
      scale: 'linear',
    },
    {
      name: 'dropout',
      type: 'float',
      default: 0,
      min: 0,
      max: 0.9,
      help: 'dropout probability in training (the lecture: 0.2)',
      scale: 'linear',
    },
  ],
  trainable: true,
  defaults: {
    optimizer: 'adamw',
    lr: 1e-3,
    steps: 3000,
    batchSize: 32,
    schedule: () => ({ kind: 'ConstantLR', factor: 1 }),
  },
  trainsOn: (config) => ({ examples: 'text', blockSize: config.blockSize, split: 'train' }),
  estimate,
  constrain: (config) => (architectureOf(config) === 'bigram' ? undefined : headsDivide(config)),
};
