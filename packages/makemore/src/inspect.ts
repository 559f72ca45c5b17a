/**
 * Looking inside a trained model, for a prompt (the GPT page's "look inside", browser-safe): the
 * attention weights of every head of every layer over the prompt's characters, the residual
 * stream's norm per stage and position, the top-k next characters at each position
 * (`inspectAttention`, for `gpt` at every rung and `transformer`), and the hidden state over time
 * (`hiddenStates`, for `rnn` and `gru`). Everything runs in eval mode (no dropout), without
 * gradients, inside `tidy`, and returns plain arrays ready for JSON or `postMessage`.
 */
import { noGrad, Tensor, tidy } from '@llm-playground/tensor';
import { FamilyMismatchError } from './errors.js';
import { inEvalMode } from './evaluate.js';
import { GPT } from './families/gpt/gpt.js';
import { RNN } from './families/rnn/rnn.js';
import { Transformer } from './families/transformer/transformer.js';
import type { LanguageModel } from './model.js';

/**
 * What `inspectAttention` and `hiddenStates` need of a tokenizer: data's `CharTokenizer`, or a
 * `BpeTextTokenizer` (a model trained on BPE tokens: `tokens` are then its rendered tokens).
 */
export interface InspectTokenizer {
  readonly itos: readonly string[];
  /** The ids of every character; throws a clear error for characters outside the vocabulary. */
  encodeText(text: string): Int32Array;
}

export interface InspectOptions {
  /** How many of the most likely next characters to list at each position (default 5; capped at the vocabulary). */
  topK?: number;
}

/** One candidate next character and its probability softmax(logits)[id]. */
export interface TokenProbability {
  token: string;
  id: number;
  p: number;
}

/** The prompt as the model saw it. */
export interface InspectedPrompt {
  /** The characters fed to the model (the prompt's last `blockSize` when it is longer). */
  tokens: string[];
  /** Their ids. */
  ids: number[];
  /**
   * How many characters were cut off the prompt's start to fit the block size (0 = none).
   * NOTE: tokens, for a BPE model (the block size counts tokens).
   */
  droppedCharacters: number;
  /** The model's context length. */
  blockSize: number;
  /** `topK[t]`: the most likely characters after `tokens[0..t]`, most likely first (ties: lower id first). */
  topK: TokenProbability[][];
}

/** What `inspectAttention` returns. */
export interface AttentionInspection extends InspectedPrompt {
  /** `'gpt'` or `'transformer'`. */
  kind: string;
  /**
   * One entry per attention layer (gpt: the head, the heads, or each block; transformer: each
   * block): `heads[h][query][key]`, `T × T`, rows sum to 1, zero above the diagonal. Empty for
   * the bigram, which has no attention.
   */
  layers: { label: string; heads: number[][][] }[];
  /** What each row of `residualNorms` measures: `'embeddings'`, then `'block 0'`, … (or `'head'`, `'heads'`, `'feed-forward'`). */
  residualLabels: string[];
  /** `residualNorms[stage][t]`: the L2 norm over channels of the stream at that stage and position. */
  residualNorms: number[][];
}

/** What `hiddenStates` returns. */
export interface HiddenStateInspection extends InspectedPrompt {
  /** `'rnn'` or `'gru'`. */
  kind: string;
  /** The learned start state h₋₁ `[nEmbd2]`. */
  start: number[];
  /** `states[t]`: the hidden state h_t `[nEmbd2]` after reading `tokens[0..t]`. */
  states: number[][];
}

/**
 * Looks inside a `gpt` (any rung of the ladder) or `transformer` model for `prompt`: attention
 * weights per layer and head, the residual stream's norm per stage and position, and the top-k
 * next characters at each position. A prompt longer than the block size is cut to its last
 * `blockSize` characters (`droppedCharacters` says how many went).
 *
 * Throws a `RangeError` for an empty prompt, the tokenizer's `DataError` for characters outside
 * the vocabulary, and a `FamilyMismatchError` for other families (use `hiddenStates` for rnn/gru).
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromText('Call me Ishmael.\n');
 * const settings = { blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 2 };
 * const model = createModel(familyConfig('gpt', settings, { vocabSize: tokenizer.vocabSize }));
 * const view = inspectAttention(model, tokenizer, 'Call me', { topK: 3 });
 * view.tokens; // ['C', 'a', 'l', 'l', ' ', 'm', 'e']
 * view.layers.map((layer) => layer.heads.length); // [2, 2]
 * view.layers[0].heads[1][6].reduce((a, b) => a + b); // ≈ 1
 * view.residualLabels; // ['embeddings', 'block 0', 'block 1']
 * view.topK[6].length; // 3
 * inspectAttention(model, tokenizer, 'Call me Ishmael.').droppedCharacters; // 8
 * inspectAttention(model, tokenizer, ''); // throws RangeError
 * inspectAttention(model, tokenizer, 'Call me Bob'); // throws DataError
 * ```
 */
export function inspectAttention(
  model: LanguageModel,
  tokenizer: InspectTokenizer,
  prompt: string,
  options: InspectOptions = {},
): AttentionInspection {
  if (!(model instanceof GPT || model instanceof Transformer)) {
    throw mismatch(
      'inspectAttention',
      model,
      ['gpt', 'transformer'],
      'for rnn and gru use hiddenStates',
    );
  }
  const prepared = preparePrompt('inspectAttention', model, tokenizer, prompt, options);
  return run(model, () => {
    const idx = new Tensor(Int32Array.from(prepared.ids), [1, prepared.ids.length]);
    const stages = model.residualStream(idx);
    // The stages that attend: 'head', 'heads' or each 'block i' (not the embeddings or the MLP).
    const attending = stages.filter((s) => s.label !== 'embeddings' && s.label !== 'feed-forward');
    const layers = model.attentionWeights(idx).map((weights, i) => ({
      label: attending[i].label,
      heads: (weights.tolist() as number[][][][])[0],
    }));
    return {
      kind: model.config.kind,
      ...describe(prepared, tokenizer, model.forward(idx)),
      layers,
      residualLabels: stages.map((stage) => stage.label),
      residualNorms: stages.map((stage) => rowNorms(stage.x)),
    };
  });
}

/**
 * The hidden state of an `rnn` or `gru` model over time for `prompt`: h_t after each character,
 * the learned start state, and the top-k next characters at each position. Prompts longer than
 * the block size are cut to their last `blockSize` characters, as in `inspectAttention`, whose
 * errors it shares (a `FamilyMismatchError` for other families).
 *
 * @example
 * ```ts
 * const tokenizer = CharTokenizer.fromWords(['emma', 'ava']);
 * const model = createModel(familyConfig('gru', { nEmbd2: 8 }, { vocabSize: tokenizer.vocabSize }));
 * const view = hiddenStates(model, tokenizer, '.emma');
 * view.tokens; // ['.', 'e', 'm', 'm', 'a']
 * view.states.map((h) => h.length); // [8, 8, 8, 8, 8]
 * view.start; // [0, 0, 0, 0, 0, 0, 0, 0]
 * hiddenStates(createModel(familyConfig('gpt', {}, { vocabSize: 4 })), tokenizer, 'ava'); // throws FamilyMismatchError
 * ```
 */
export function hiddenStates(
  model: LanguageModel,
  tokenizer: InspectTokenizer,
  prompt: string,
  options: InspectOptions = {},
): HiddenStateInspection {
  if (!(model instanceof RNN)) {
    throw mismatch(
      'hiddenStates',
      model,
      ['rnn', 'gru'],
      'for gpt and transformer use inspectAttention',
    );
  }
  const prepared = preparePrompt('hiddenStates', model, tokenizer, prompt, options);
  return run(model, () => {
    const idx = new Tensor(Int32Array.from(prepared.ids), [1, prepared.ids.length]);
    const states = model.hiddenStates(idx);
    return {
      kind: model.config.kind,
      ...describe(prepared, tokenizer, model.lmHead.forward(states)),
      start: Array.from(model.start.data, Number),
      states: (states.tolist() as number[][][])[0],
    };
  });
}

interface PreparedPrompt {
  ids: number[];
  droppedCharacters: number;
  blockSize: number;
  topK: number;
}

function mismatch(
  fn: string,
  model: LanguageModel,
  expected: string[],
  hint: string,
): FamilyMismatchError {
  const family = String(model?.config?.kind ?? typeof model);
  return new FamilyMismatchError(
    `${fn}: this is a ${family} model; ${fn} reads ${expected.join(' and ')} models (${hint})`,
    { family, expected },
  );
}

/** Encodes the prompt (the tokenizer's errors), keeps its last `blockSize` ids, checks topK. */
function preparePrompt(
  fn: string,
  model: LanguageModel,
  tokenizer: InspectTokenizer,
  prompt: string,
  options: InspectOptions,
): PreparedPrompt {
  if (typeof prompt !== 'string') {
    throw new TypeError(
      `Argument 'prompt' passed to '${fn}' must be a string, got ${typeof prompt}`,
    );
  }
  if (prompt.length === 0) {
    throw new RangeError(
      `Argument 'prompt' passed to '${fn}' must hold at least one character — there is nothing to look at in an empty prompt`,
    );
  }
  const topK = options.topK ?? 5;
  if (!Number.isInteger(topK) || topK < 1) {
    throw new RangeError(`Argument 'topK' passed to '${fn}' must be an integer ≥ 1, got ${topK}`);
  }
  const all = tokenizer.encodeText(prompt);
  const { blockSize } = model.config;
  const ids = Array.from(all.subarray(Math.max(0, all.length - blockSize)));
  return { ids, droppedCharacters: all.length - ids.length, blockSize, topK };
}

function run<T>(model: LanguageModel, fn: () => T): T {
  return inEvalMode(model, () => noGrad(() => tidy(fn)));
}

/** The prompt's fields of the result, with the top-k of softmax(logits) `[1, T, V]` at each position. */
function describe(
  prepared: PreparedPrompt,
  tokenizer: InspectTokenizer,
  logits: Tensor,
): InspectedPrompt {
  const [, T, V] = logits.shape;
  const probs = logits.softmax(-1).data;
  const k = Math.min(prepared.topK, V);
  const topK = Array.from({ length: T }, (_, t) => {
    const row = probs.subarray(t * V, (t + 1) * V);
    const order = Array.from({ length: V }, (_, id) => id).sort((a, b) => row[b] - row[a] || a - b);
    return order.slice(0, k).map((id) => ({ token: tokenizer.itos[id], id, p: row[id] }));
  });
  return {
    tokens: prepared.ids.map((id) => tokenizer.itos[id]),
    ids: prepared.ids,
    droppedCharacters: prepared.droppedCharacters,
    blockSize: prepared.blockSize,
    topK,
  };
}

/** `x` `[1, T, C]` → the L2 norm of each position's channels, `[T]` (summed in float64). */
function rowNorms(x: Tensor): number[] {
  const [, T, C] = x.shape;
  const data = x.contiguous().data;
  return Array.from({ length: T }, (_, t) => {
    let sum = 0;
    for (let c = 0; c < C; c++) sum += data[t * C + c] ** 2;
    return Math.sqrt(sum);
  });
}
