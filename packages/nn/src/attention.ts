/**
 * Causal self-attention, as makemore.py and nanoGPT's model.py write it (`CausalSelfAttention`: all
 * heads from one `c_attn` Linear, a lower-triangular mask buffer), and as the "let's build GPT"
 * lecture builds it up (`Head`, then `MultiHeadAttention` of several heads and a projection).
 *
 * attention(q, k, v) = softmax(q·kᵀ / √d, masked so that position t sees only positions ≤ t) · v
 */
import type { Generator } from '@llm-playground/core';
import { cat, type DType, ones, ShapeError, type Tensor } from '@llm-playground/tensor';
import { Dropout } from './dropout.js';
import { ConfigError } from './errors.js';
import { checkSize, Linear } from './linear.js';
import { Module } from './module.js';

export interface AttentionOptions {
  /** Dropout on the attention weights and on the output (nanoGPT's `dropout`; default 0, makemore's). */
  dropout?: number;
  /** Biases in the Linears (default true: makemore's and nanoGPT's `bias=True`). */
  bias?: boolean;
  generator?: Generator;
  /** float32 (default) or float64. */
  dtype?: DType;
}

function checkInput(name: string, x: Tensor, nEmbd: number, blockSize: number): void {
  if (x.ndim !== 3 || x.shape[2] !== nEmbd) {
    throw new ShapeError(
      `${name}: expected input of shape [B, T, ${nEmbd}], got [${x.shape.join(', ')}]`,
    );
  }
  if (x.shape[1] > blockSize) {
    throw new ShapeError(
      `Cannot forward sequence of length ${x.shape[1]}, block size is only ${blockSize}`,
    );
  }
}

/** softmax(q·kᵀ·scale, causally masked) along the last dim, with the `[.., T, T]` mask from `tril`. */
function causalWeights(q: Tensor, k: Tensor, tril: Tensor, T: number): Tensor {
  const att = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(k.shape[k.ndim - 1]));
  const mask = tril.slice(-2, 0, T).slice(-1, 0, T).eq(0);
  return att.maskedFill(mask, Number.NEGATIVE_INFINITY).softmax(-1);
}

/**
 * Multi-head causal self-attention (makemore's and nanoGPT's `CausalSelfAttention`): `cAttn`
 * (`Linear(nEmbd, 3·nEmbd)`) gives q, k, v for all heads at once, split into `nHead` heads of
 * `nEmbd / nHead`; each position attends to itself and the positions before it; `cProj` mixes the
 * heads. The mask is the buffer `bias` (`tril(ones)` viewed `[1, 1, blockSize, blockSize]`, saved in
 * the state dict under makemore's name).
 *
 * NOTE: the Linears are `cAttn` / `cProj` (makemore's `c_attn` / `c_proj` in camelCase).
 *
 * @example
 * ```ts
 * const attn = new CausalSelfAttention(64, 4, 16, { generator: new Generator(42) });
 * attn.numParameters(); // 16640
 * attn.forward(zeros([2, 10, 64])).shape; // [2, 10, 64]
 * new CausalSelfAttention(10, 3, 16); // throws ConfigError
 * ```
 */
export class CausalSelfAttention extends Module<[Tensor], Tensor> {
  readonly nEmbd: number;
  readonly nHead: number;
  readonly blockSize: number;
  cAttn: Linear;
  cProj: Linear;
  attnDropout: Dropout;
  residDropout: Dropout;
  declare bias: Tensor;

  constructor(nEmbd: number, nHead: number, blockSize: number, options: AttentionOptions = {}) {
    super();
    checkSize(nEmbd, 'nEmbd', 'CausalSelfAttention');
    checkSize(nHead, 'nHead', 'CausalSelfAttention');
    checkSize(blockSize, 'blockSize', 'CausalSelfAttention');
    if (nEmbd % nHead !== 0) {
      throw new ConfigError(
        `embed_dim must be divisible by num_heads, got nEmbd ${nEmbd} and nHead ${nHead}`,
      );
    }
    this.nEmbd = nEmbd;
    this.nHead = nHead;
    this.blockSize = blockSize;
    const { dropout = 0, ...linear } = options;
    this.cAttn = new Linear(nEmbd, 3 * nEmbd, linear);
    this.cProj = new Linear(nEmbd, nEmbd, linear);
    this.attnDropout = new Dropout(dropout, { generator: options.generator });
    this.residDropout = new Dropout(dropout, { generator: options.generator });
    const tril = ones([blockSize, blockSize], { dtype: options.dtype }).tril();
    this.registerBuffer('bias', tril.view(1, 1, blockSize, blockSize));
  }

  /** `[B, T, nEmbd]` (T ≤ blockSize) → `[B, T, nEmbd]`. */
  forward(x: Tensor): Tensor {
    checkInput('CausalSelfAttention', x, this.nEmbd, this.blockSize);
    const [B, T, C] = x.shape;
    const headSize = C / this.nHead;
    // [B, T, C] → [B, nHead, T, headSize] for each of q, k, v: views of the split's slices (no
    // copy), read in place by the batched matmul.
    const heads = (t: Tensor) => t.view(B, T, this.nHead, headSize).transpose(1, 2);
    const [q, k, v] = this.cAttn.forward(x).split(this.nEmbd, 2).map(heads);
    const att = this.attnDropout.forward(causalWeights(q, k, this.bias, T));
    const y = att.matmul(v).transpose(1, 2).contiguous().view(B, T, C);
    return this.residDropout.forward(this.cProj.forward(y));
  }

  /** The attention weights `[B, nHead, T, T]` for `x` (no dropout): what each position looks at. */
  attentionWeights(x: Tensor): Tensor {
    checkInput('CausalSelfAttention', x, this.nEmbd, this.blockSize);
    const [B, T, C] = x.shape;
    const heads = (t: Tensor) => t.view(B, T, this.nHead, C / this.nHead).transpose(1, 2);
    const [q, k] = this.cAttn.forward(x).split(this.nEmbd, 2).map(heads);
    return causalWeights(q, k, this.bias, T);
  }
}

/**
 * One head of causal self-attention, as the "let's build GPT" lecture writes it: `key`, `query`,
 * `value` (`Linear(nEmbd, headSize, bias=False)`), weights `q·kᵀ·headSize^−½` masked by the buffer
 * `tril` `[blockSize, blockSize]`, softmax, dropout, times v.
 *
 * @example
 * ```ts
 * const head = new Head(32, 8, 16, { generator: new Generator(1337) });
 * head.numParameters(); // 768
 * head.forward(zeros([4, 16, 32])).shape; // [4, 16, 8]
 * ```
 */
export class Head extends Module<[Tensor], Tensor> {
  readonly nEmbd: number;
  readonly headSize: number;
  readonly blockSize: number;
  key: Linear;
  query: Linear;
  value: Linear;
  dropout: Dropout;
  declare tril: Tensor;

  constructor(nEmbd: number, headSize: number, blockSize: number, options: AttentionOptions = {}) {
    super();
    checkSize(headSize, 'headSize', 'Head');
    checkSize(blockSize, 'blockSize', 'Head');
    this.nEmbd = nEmbd;
    this.headSize = headSize;
    this.blockSize = blockSize;
    const linear = { bias: false, generator: options.generator, dtype: options.dtype };
    this.key = new Linear(nEmbd, headSize, linear);
    this.query = new Linear(nEmbd, headSize, linear);
    this.value = new Linear(nEmbd, headSize, linear);
    this.dropout = new Dropout(options.dropout ?? 0, { generator: options.generator });
    this.registerBuffer('tril', ones([blockSize, blockSize], { dtype: options.dtype }).tril());
  }

  /** `[B, T, nEmbd]` → `[B, T, headSize]`. */
  forward(x: Tensor): Tensor {
    checkInput('Head', x, this.nEmbd, this.blockSize);
    const T = x.shape[1];
    const k = this.key.forward(x);
    const q = this.query.forward(x);
    const wei = this.dropout.forward(causalWeights(q, k, this.tril, T));
    return wei.matmul(this.value.forward(x));
  }
}

/**
 * The lecture's multi-head attention: `numHeads` `Head`s side by side, their outputs concatenated
 * and mixed by `proj` (`Linear(numHeads·headSize, nEmbd)`), then dropout.
 *
 * NOTE: not PyTorch's `nn.MultiheadAttention` (which takes query, key and value, and packs the
 * heads' weights in one `in_proj_weight`); `CausalSelfAttention` is that packing for self-attention.
 *
 * `forward` runs all heads in one pass when they are the standard `Head`s (see `forward`): the same
 * values as head by head (in float64 to ~1e-15; in float32 within rounding, the backward's sums
 * taken in another order), the same dropout masks, the same parameters and state dict.
 *
 * @example
 * ```ts
 * const mha = new MultiHeadAttention(32, 4, 8, 16, { generator: new Generator(1337) });
 * mha.numParameters(); // 4128
 * mha.forward(zeros([4, 16, 32])).shape; // [4, 16, 32]
 * ```
 */
export class MultiHeadAttention extends Module<[Tensor], Tensor> {
  heads: Head[];
  proj: Linear;
  dropout: Dropout;

  constructor(
    nEmbd: number,
    numHeads: number,
    headSize: number,
    blockSize: number,
    options: AttentionOptions = {},
  ) {
    super();
    checkSize(numHeads, 'numHeads', 'MultiHeadAttention');
    this.heads = Array.from(
      { length: numHeads },
      () => new Head(nEmbd, headSize, blockSize, options),
    );
    this.proj = new Linear(numHeads * headSize, nEmbd, {
      generator: options.generator,
      dtype: options.dtype,
    });
    this.dropout = new Dropout(options.dropout ?? 0, { generator: options.generator });
  }

  /**
   * `[B, T, nEmbd]` → `[B, T, nEmbd]`: `proj(cat(heads(x)))`, then dropout.
   *
   * All heads at once when they are plain `Head`s of one shape (no subclass, no forward hook on a
   * head or its parts, Linears all with or all without bias, dropouts all off or all alike): one
   * matmul of x with the heads' query, key and value weights concatenated (`cat` of the
   * parameters on every call, so each Linear still gets its own gradient), viewed `[H, B, T, hs]`
   * in place; one batched q·kᵀ·hs^−½, mask, softmax and ·v; back to `[B, T, H·hs]`, which is the
   * cat of the heads' outputs. Heads first, so one dropout over `[H, B, T, T]` draws the masks in
   * the order the heads would, one after the other. Otherwise head by head, as the lecture does.
   *
   * NOTE: the fused pass masks with the first head's `tril` (every `Head` holds the same one).
   */
  forward(x: Tensor): Tensor {
    const fused = this.fusedHeads();
    const out = fused
      ? this.forwardFused(x, fused)
      : cat(
          this.heads.map((head) => head.forward(x)),
          -1,
        );
    return this.dropout.forward(this.proj.forward(out));
  }

  /** The heads' shared settings when one pass can stand for them, else null (head by head). */
  private fusedHeads(): FusedHeads | null {
    const first = this.heads[0];
    if (first === undefined) return null;
    const { nEmbd, headSize, blockSize } = first;
    const linears: Linear[] = [];
    for (const part of ['query', 'key', 'value'] as const) {
      for (const head of this.heads) linears.push(head[part]);
    }
    // Exactly the class (a subclass may override forward), and no hook wrapping its forward.
    const plain = (module: Module, kind: unknown) =>
      module?.constructor === kind && !Object.hasOwn(module, 'forward');
    const withBias = first.query.bias !== null;
    const dtype = first.query.weight.dtype;
    const fits = (linear: Linear) =>
      plain(linear, Linear) &&
      (linear.bias !== null) === withBias &&
      linear.weight.dtype === dtype &&
      linear.weight.ndim === 2 &&
      linear.weight.shape[0] === headSize &&
      linear.weight.shape[1] === nEmbd;
    const alike = (head: Head) =>
      plain(head, Head) &&
      plain(head.dropout, Dropout) &&
      head.nEmbd === nEmbd &&
      head.headSize === headSize &&
      head.blockSize === blockSize;
    if (!this.heads.every(alike) || !linears.every(fits)) return null;
    // Dropout on the weights: all heads off (eval, or p = 0), or all on with one p and generator.
    const active = (d: Dropout) => d.training && d.p > 0;
    const dropouts = this.heads.map((head) => head.dropout);
    if (!dropouts.some(active)) return { nEmbd, headSize, blockSize, linears, dropout: null };
    const same = (d: Dropout) =>
      active(d) && d.p === first.dropout.p && d.generator === first.dropout.generator;
    if (!dropouts.every(same)) return null;
    return { nEmbd, headSize, blockSize, linears, dropout: first.dropout };
  }

  private forwardFused(x: Tensor, fused: FusedHeads): Tensor {
    checkInput('MultiHeadAttention', x, fused.nEmbd, fused.blockSize);
    const [B, T] = x.shape;
    const H = this.heads.length;
    const hs = fused.headSize;
    const weight = cat(
      fused.linears.map((linear) => linear.weight),
      0,
    );
    let qkv = x.matmul(weight.T);
    if (fused.linears[0].bias) {
      qkv = qkv.add(
        cat(
          fused.linears.map((linear) => linear.bias as Tensor),
          0,
        ),
      );
    }
    // [B, T, H·hs] → [H, B, T, hs] for each of q, k, v: views of the split's slices, read in
    // place by the batched matmul.
    const heads = (t: Tensor) => t.view(B, T, H, hs).permute(2, 0, 1, 3);
    const [q, k, v] = qkv.split(H * hs, 2).map(heads);
    let wei = causalWeights(q, k, this.heads[0].tril, T);
    if (fused.dropout) wei = fused.dropout.forward(wei);
    // [H, B, T, hs] → [B, T, H, hs] → [B, T, H·hs]: head h's output in columns h·hs … (h+1)·hs.
    return wei
      .matmul(v)
      .permute(1, 2, 0, 3)
      .contiguous()
      .view(B, T, H * hs);
  }
}

/** What `MultiHeadAttention.forward` needs to run its heads in one pass. */
interface FusedHeads {
  nEmbd: number;
  headSize: number;
  blockSize: number;
  /** Every head's query, then every head's key, then every head's value. */
  linears: Linear[];
  /** The first head's dropout when the heads' dropouts are on (all alike), else null. */
  dropout: Dropout | null;
}
