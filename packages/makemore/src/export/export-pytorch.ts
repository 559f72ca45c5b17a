/**
 * Hand a model to PyTorch: a checkpoint as the files of a plain PyTorch project (`model.py`,
 * `train.py`, `model.safetensors`, `config.json`, `tokenizer.json`). Browser-safe (bytes and
 * text only); `exportCheckpoint` in export-checkpoint.ts writes them to a folder.
 */

import type { OptimizerState } from '@llm-playground/nn';
import { Module, Sequential } from '@llm-playground/nn';
import type { Tensor } from '@llm-playground/tensor';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from '../checkpoint-format.js';
import { ConfigError } from '../errors.js';
import { getFamilyInfo } from '../families/catalog.js';
import { deepMlpPlan } from '../families/deep-mlp/schema.js';
import type { TrainingDefaults } from '../families/family.js';
import { wavenetPlan } from '../families/wavenet/schema.js';
import type { LanguageModel, ModelConfig } from '../model.js';
import { encodeSafetensors } from '../safetensors.js';
import type { ModelTokenizer } from '../text-tokenizer.js';
import type { TrainerState } from '../trainer.js';
import {
  BIGRAM_NET_PY,
  BOW_PY,
  GPT_PY,
  LAYER_STACK_PY,
  MLP_PY,
  MODEL_HEAD,
  RNN_PY,
  TRANSFORMER_PY,
} from './python-model.js';
import { TRAIN_PY } from './python-train.js';

/** The families `exportToPyTorch` writes a `model.py` for, and the Python class of each. */
export const EXPORTABLE_FAMILIES: Readonly<Record<string, string>> = {
  mlp: MLP_PY,
  'mlp-bn': MLP_PY,
  transformer: TRANSFORMER_PY,
  gpt: GPT_PY,
  bow: BOW_PY,
  rnn: RNN_PY,
  gru: RNN_PY,
  'bigram-net': BIGRAM_NET_PY,
  'deep-mlp': LAYER_STACK_PY,
  wavenet: LAYER_STACK_PY,
};

/** The family's layer plan as a Python literal (deep-mlp, wavenet), without `dependsOn`. */
function layersLiteral(config: ModelConfig): string {
  if (config.kind !== 'deep-mlp' && config.kind !== 'wavenet') return '[]';
  const plan = config.kind === 'deep-mlp' ? deepMlpPlan(config) : wavenetPlan(config);
  const rows = plan.map((layer) => {
    const { dependsOn: _unused, ...spec } = layer as typeof layer & { dependsOn?: string[] };
    // JSON is Python but for its booleans (the plan has no strings holding 'true' or 'false').
    return JSON.stringify(spec).replaceAll('true', 'True').replaceAll('false', 'False');
  });
  return `[\n    ${rows.join(',\n    ')},\n]`;
}

/** What `exportToPyTorch` reads: a `Checkpoint` (or its parts) — the model, its tokenizer, the step. */
export interface ExportInput {
  config: ModelConfig;
  tokenizer: ModelTokenizer;
  model: LanguageModel;
  step: number;
  /** The run's optimizer (a checkpoint's): its kind and hyperparameters become `train.py`'s defaults. */
  optimizerState?: OptimizerState;
  trainerState?: Pick<TrainerState, 'optimizer'>;
}

/** `train.py`'s defaults: the run's optimizer and its current lr when saved, else the family's. */
function runSettings(checkpoint: ExportInput, defaults: TrainingDefaults) {
  const { optimizer, lr, batchSize, betas, weightDecay } = defaults;
  const run = { optimizer: optimizer as string, lr, batchSize, betas, weightDecay };
  if (!Number.isFinite(batchSize)) run.batchSize = 32; // full batch: pick a size for many processes
  const saved = (checkpoint.trainerState?.optimizer ?? checkpoint.optimizerState) as
    | OptimizerState
    | undefined;
  const group = saved?.groups[0] as { lr?: number; betas?: [number, number]; weightDecay?: number };
  if (!saved || !group) return run;
  run.optimizer = saved.kind.toLowerCase();
  if (typeof group.lr === 'number') run.lr = group.lr;
  if (group.betas) run.betas = group.betas;
  if (typeof group.weightDecay === 'number') run.weightDecay = group.weightDecay;
  return run;
}

/** The exported project: file name → text or bytes. */
export interface PyTorchExport {
  files: Record<string, string | Uint8Array>;
}

/**
 * A checkpoint as a PyTorch project: `model.py` (a readable `torch.nn` definition of the family,
 * no dependency on this project), `model.safetensors` (the state dict, our names), `config.json`
 * (the model config, the run defaults `train.py` uses, the step), `tokenizer.json` (the
 * checkpoint's tokenizer JSON: a char tokenizer's `chars` from id 1, id 0 the `boundary`; or a
 * BPE's `{ kind: 'bpe', bpe: <its toJSON()> }`, which `train.py` applies to its `--data` in plain
 * Python, with the `regex` module for a RegexTokenizer's pattern) and `train.py` (continues
 * training, one process or `torchrun --nproc_per_node N` with DistributedDataParallel).
 *
 * NOTE: unlike makemore.py and nanoGPT, the Python attribute names are ours (camelCase:
 * `h.0.attn.cAttn` for makemore.py's `transformer.h.0.attn.c_attn`), so `load_state_dict` takes
 * our weights unchanged; every layout already is PyTorch's (Linear weights `[out, in]`). The one
 * rename: our `Sequential` keeps its modules in `layers` (`ffwd.net.layers.0.weight`), PyTorch's
 * directly (`ffwd.net.0.weight`); `config.json`'s `names` maps PyTorch's names back to ours, and
 * `train.py` saves its checkpoints with our names.
 * Throws a `ConfigError` for a family without a PyTorch definition yet, or a BPE tokenizer with a
 * word family (BPE tokens are for `gpt`).
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromText('hello world\n');
 * const settings = { blockSize: 4, nEmbd: 8, nHead: 2, nLayer: 1 };
 * const config = familyConfig('gpt', settings, { vocabSize: tokenizer.vocabSize });
 * const { files } = exportToPyTorch({ config, tokenizer, model: createModel(config), step: 0 });
 * Object.keys(files).sort(); // ['config.json', 'model.py', 'model.safetensors', 'tokenizer.json', 'train.py']
 * ```
 */
export function exportToPyTorch(checkpoint: ExportInput): PyTorchExport {
  const { model, tokenizer, step } = checkpoint;
  const config = model.config;
  const source = EXPORTABLE_FAMILIES[config.kind];
  if (!source) {
    throw new ConfigError(
      `exportToPyTorch: no PyTorch definition for the '${config.kind}' family yet; exportable: ${Object.keys(EXPORTABLE_FAMILIES).join(', ')}`,
    );
  }
  const tokenizerJson = tokenizer.toJSON() as unknown as Record<string, unknown>;
  const info = getFamilyInfo(config.kind);
  const examples = info.trainsOn(config).examples;
  if (tokenizerJson.kind === 'bpe' && examples !== 'text') {
    throw new ConfigError(
      `exportToPyTorch: a BPE tokenizer with the '${config.kind}' family, which trains on words (${examples}); BPE tokens are for the text families (gpt): export a checkpoint trained with a character tokenizer`,
    );
  }
  const tensors: Record<string, Tensor> = {};
  const names: Record<string, string> = {};
  for (const [name, value] of Object.entries(model.stateDict())) {
    const torchName = toPyTorchName(model, name);
    tensors[torchName] = value;
    if (torchName !== name) names[torchName] = name;
  }
  const exported = {
    family: config.kind,
    config,
    step,
    examples,
    run: runSettings(checkpoint, info.defaults),
    names,
    checkpoint: { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION },
  };
  const title = `${info.title} (${config.kind}, step ${step})`;
  return {
    files: {
      'model.py':
        MODEL_HEAD.replace('{{TITLE}}', title) +
        source.replace('{{LAYERS}}', layersLiteral(config)),
      'train.py': TRAIN_PY,
      'model.safetensors': encodeSafetensors(tensors, { format: 'pt', step: String(step) }),
      'config.json': `${JSON.stringify(exported, null, 2)}\n`,
      'tokenizer.json': `${JSON.stringify(tokenizerJson)}\n`,
    },
  };
}

/**
 * The PyTorch state dict name of one of ours: a `Sequential`'s `p.layers.i.…` is PyTorch's
 * `p.i.…`; every other name is the same.
 *
 * @example
 * ```ts
 * const settings = { blockSize: 4, nEmbd: 8, nHead: 2, nLayer: 1 };
 * const gpt = createModel(familyConfig('gpt', settings, { vocabSize: 9 }));
 * toPyTorchName(gpt, 'blocks.0.ffwd.net.layers.2.bias'); // 'blocks.0.ffwd.net.2.bias'
 * ```
 */
export function toPyTorchName(model: LanguageModel, name: string): string {
  if (!(model instanceof Module)) return name;
  let result = name;
  for (const [path, module] of model.namedModules()) {
    if (!(module instanceof Sequential)) continue;
    const prefix = path ? `${path}.layers.` : 'layers.';
    if (name.startsWith(prefix)) result = `${path ? `${path}.` : ''}${name.slice(prefix.length)}`;
  }
  return result;
}
