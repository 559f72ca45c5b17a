/**
 * What makemore.py's four sequence families (`bow`, `rnn`, `gru`, `transformer`) share without
 * model code: its settings (block size 16 — names.txt's longest word + 1 —, n_embd 64, n_embd2 64,
 * 4 layers, 4 heads), its optimizer (AdamW, lr 5e-4, weight decay 0.01, betas (0.9, 0.99), batch
 * 32, a constant rate) and a helper for the families' size estimates.
 */
import type { ModelConfig } from '../model.js';
import type { ConfigField } from './config-schema.js';
import { bytesOf, type TensorEstimate, type TrainingDefaults } from './family.js';

/** The largest block size the sequence families accept. */
export const MAX_SEQUENCE_BLOCK = 1024;

/** makemore.py's settings as schema fields, by name. */
export const zooFields = {
  blockSize: {
    name: 'blockSize',
    type: 'int',
    default: 16,
    min: 2,
    max: MAX_SEQUENCE_BLOCK,
    help: 'longest sequence in tokens: the longest word + 1 (set from the words when not given)',
    scale: 'linear',
  },
  nEmbd: {
    name: 'nEmbd',
    type: 'int',
    default: 64,
    min: 1,
    max: 4096,
    help: 'embedding dimensions (n_embd)',
    scale: 'log',
  },
  nEmbd2: {
    name: 'nEmbd2',
    type: 'int',
    default: 64,
    min: 1,
    max: 4096,
    help: 'hidden state / MLP width (n_embd2)',
    scale: 'log',
  },
  nLayer: {
    name: 'nLayer',
    type: 'int',
    default: 4,
    min: 1,
    max: 64,
    help: 'transformer blocks (n_layer)',
    scale: 'linear',
  },
  nHead: {
    name: 'nHead',
    type: 'int',
    default: 4,
    min: 1,
    max: 64,
    help: 'attention heads per block (n_head); must divide --n-embd',
    scale: 'linear',
  },
} as const satisfies Record<string, ConfigField>;

/** makemore.py's training: AdamW(lr 5e-4, weight_decay 0.01, betas (0.9, 0.99)), batch 32, constant rate. */
export const zooDefaults: TrainingDefaults = {
  optimizer: 'adamw',
  lr: 5e-4,
  steps: 10_000,
  batchSize: 32,
  schedule: () => ({ kind: 'ConstantLR', factor: 1 }),
  betas: [0.9, 0.99],
  weightDecay: 0.01,
};

/** A setting of a full config (filled by `familyConfig`), or its makemore default. */
export function setting(config: ModelConfig, name: keyof typeof zooFields): number {
  return (config[name] as number | undefined) ?? zooFields[name].default;
}

/** Repeated blocks listed one by one up to this count; beyond it, lumped into one entry. */
const MAX_LISTED = 64;

/**
 * Collects `TensorEstimate`s: `add(name, shape, dependsOn, trainable = true)`, `linear(…)`, and
 * `repeat(prefix, count, fn)` for `count` blocks (`fn(i)` adds block i's tensors). Past 64 blocks
 * — a config edited to `nLayer: 1e9` — the rest is one entry `prefix.64…` of shape
 * `[count − 64, block size]`, so an estimate never loops a billion times.
 */
export function estimates(): {
  tensors: TensorEstimate[];
  add(name: string, shape: number[], dependsOn: string[], trainable?: boolean): void;
  linear(name: string, inF: number, outF: number, dependsOn: string[], bias?: boolean): void;
  repeat(prefix: string, count: number, fn: (i: number) => void): void;
} {
  const tensors: TensorEstimate[] = [];
  const add = (name: string, shape: number[], dependsOn: string[], trainable = true) => {
    tensors.push({ name, shape, bytes: bytesOf(shape), dependsOn, trainable });
  };
  const linear = (name: string, inF: number, outF: number, dependsOn: string[], bias = true) => {
    add(`${name}.weight`, [outF, inF], dependsOn);
    if (bias) add(`${name}.bias`, [outF], dependsOn);
  };
  const repeat = (prefix: string, count: number, fn: (i: number) => void) => {
    const listed = Math.min(count, MAX_LISTED);
    for (let i = 0; i < listed; i++) {
      const before = tensors.length;
      fn(i);
      if (i === listed - 1 && count > listed) {
        for (const trainable of [true, false]) {
          const block = tensors.slice(before).filter((t) => t.trainable === trainable);
          if (block.length === 0) continue;
          const numel = block.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
          const dependsOn = [...new Set(block.flatMap((t) => t.dependsOn))];
          const name = `${prefix}.${listed}…${count - 1}${trainable ? '' : ' (buffers)'}`;
          add(name, [count - listed, numel], dependsOn, trainable);
        }
      }
    }
  };
  return { tensors, add, linear, repeat };
}
