/**
 * The byte-level BPE tokenizer: minbpe's `Tokenizer` base class with everything in one place
 * (training, encoding, decoding, special tokens, the GPT-4 byte shuffle, the file formats), so
 * that `BasicTokenizer` and `RegexTokenizer` only choose a split pattern.
 *
 * Token ids: 0–255 are the bytes (permuted by `byteShuffle` for the real GPT ranks, as minbpe's
 * gpt4.py does), then one id per merge, then the special tokens. Bytes are bytes: `encode` accepts
 * a `Uint8Array` and `decodeBytes` gives the exact bytes back, invalid UTF-8 included; `decode`
 * gives text with U+FFFD where the bytes are not UTF-8, like minbpe's `errors="replace"`.
 */

import { DisallowedSpecialTokenError, ModelFormatError, TokenizerError } from './errors.js';
import { compilePattern } from './patterns.js';
import { type MergeInfo, pairKey, trainMerges } from './train-merges.js';
import { bytesRepr, renderToken, utf8Decode, utf8Encode, utf8Runs } from './utf8.js';

export type { MergeInfo } from './train-merges.js';

/**
 * Which special tokens `encode` turns into their ids (minbpe's `allowed_special`): `'all'`,
 * `'none'` (their text is encoded as ordinary text), `'none_raise'` (the default, tiktoken's:
 * throw `DisallowedSpecialTokenError` if one occurs), or a set of the allowed ones.
 * NOTE: with a set, the other special tokens are encoded as ordinary text, as in minbpe;
 * tiktoken would raise for them unless told `disallowed_special=()`.
 */
export type AllowedSpecial = 'all' | 'none' | 'none_raise' | ReadonlySet<string>;

/** Options of `train`. */
export interface TrainOptions {
  /** `true` prints each merge as minbpe does; a function receives each merge instead. */
  verbose?: boolean | ((merge: MergeInfo & { bytes: Uint8Array }) => void);
}

/** One learned merge: the two ids it joins and the id it makes. */
export interface MergeRule {
  pair: [number, number];
  id: number;
}

/** The JSON form of a tokenizer (`toJSON`, `tokenizerFromJSON`). */
export interface TokenizerJSON {
  format: 'llm-playground-bpe';
  version: 1;
  kind: 'basic' | 'regex';
  pattern: string;
  specialTokens: Record<string, number>;
  /** `[left, right, id]`, in the order they are applied. */
  merges: [number, number, number][];
  /** Byte → base token id, only when the bytes are permuted (the real GPT ranks). */
  byteShuffle?: number[];
}

/** Chunks longer than this are encoded with a heap (n log n) instead of repeated scans (n²). */
const LONG_CHUNK = 48;
/** Encoded chunks are cached by their text; the cache is emptied when it holds this many. */
const CACHE_LIMIT = 200_000;

export abstract class Tokenizer {
  /** `'basic'` or `'regex'`: what `loadTokenizer` rebuilds from a file. */
  abstract readonly kind: 'basic' | 'regex';
  /** The split pattern in Python syntax as files record it; `''` means no split (BasicTokenizer). */
  readonly pattern: string;
  private readonly regex: RegExp | undefined;
  private rules: MergeRule[] = [];
  private ranks = new Map<number, number>(); // pair key → merged id
  private pairs = new Map<number, [number, number]>(); // merged id → pair
  private vocabBytes: Uint8Array[] = [];
  private specials = new Map<string, number>();
  private specialIds = new Map<number, string>();
  private shuffle: Uint8Array | undefined;
  private cache = new Map<string, number[]>();

  protected constructor(pattern: string) {
    this.pattern = pattern;
    this.regex = pattern === '' ? undefined : compilePattern(pattern);
    this.setMerges([]);
  }

  // ---------------------------------------------------------------- properties

  /** The merges in the order they apply (minbpe's `merges` dict, as a list). */
  get merges(): readonly MergeRule[] {
    return this.rules;
  }

  /** The registered special tokens, text → id. */
  get specialTokens(): ReadonlyMap<string, number> {
    return this.specials;
  }

  /** Byte → base token id when the bytes are permuted (GPT-2/GPT-4 ranks), else undefined. */
  get byteShuffle(): Uint8Array | undefined {
    return this.shuffle;
  }

  /** One more than the largest id (bytes, merges, special tokens): an embedding table's size. */
  get vocabSize(): number {
    let size = this.vocabBytes.length;
    for (const id of this.specials.values()) size = Math.max(size, id + 1);
    return size;
  }

  /** The bytes of token `id` (special tokens: their UTF-8). */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.vocabBytes[id];
    if (bytes) return bytes;
    const special = this.specialIds.get(id);
    if (special !== undefined) return utf8Encode(special);
    throw new TokenizerError(
      `invalid token id: ${id} (this tokenizer has ids 0..${this.vocabSize - 1}; was it trained or loaded?)`,
    );
  }

  /** minbpe's rendering of token `id` for people: U+FFFD for broken UTF-8, control characters escaped. */
  renderToken(id: number): string {
    return renderToken(this.tokenBytes(id));
  }

  // ---------------------------------------------------------------- training

  /**
   * Learns `vocabSize − 256` merges from `text` (minbpe's `train`, same merges in the same order,
   * ties between equally frequent pairs broken by first occurrence as Python's dict does).
   *
   * @example
   * const tokenizer = new BasicTokenizer();
   * tokenizer.train('aaabdaaabac', 256 + 3);
   * tokenizer.encode('aaabdaaabac'); // [258, 100, 258, 97, 99]
   */
  train(text: string | Uint8Array, vocabSize: number, options: TrainOptions = {}): void {
    if (!Number.isInteger(vocabSize) || vocabSize <= 256) {
      throw new TokenizerError(
        `vocabSize must be an integer greater than 256 (the 256 bytes plus at least one merge), got ${vocabSize}`,
      );
    }
    if (text.length === 0)
      throw new TokenizerError(
        'cannot train on an empty text: pass some text to learn merges from',
      );
    for (const [special, id] of this.specials) {
      if (id < vocabSize) {
        throw new TokenizerError(
          `special token ${JSON.stringify(special)} has id ${id}, which training to vocabSize ${vocabSize} would give to a merge: register special tokens with ids ≥ vocabSize`,
        );
      }
    }
    const { chunks, weights } = this.trainingChunks(text);
    const numMerges = vocabSize - 256;
    const vocab: Uint8Array[] = [];
    for (let b = 0; b < 256; b++) vocab.push(Uint8Array.of(b));
    const { verbose } = options;
    const merges = trainMerges(
      chunks,
      weights,
      numMerges,
      (merge) => {
        const bytes = concat(vocab[merge.pair[0]], vocab[merge.pair[1]]);
        vocab.push(bytes);
        if (typeof verbose === 'function') verbose({ ...merge, bytes });
        else if (verbose) {
          console.log(
            `merge ${merge.index}/${merge.numMerges}: (${merge.pair[0]}, ${merge.pair[1]}) -> ${merge.id} (${bytesRepr(bytes)}) had ${merge.count} occurrences`,
          );
        }
      },
      (done) =>
        new TokenizerError(
          `cannot learn ${numMerges} merges: after ${done} the text has no adjacent pair of tokens left; use a longer text or vocabSize ≤ ${256 + done}`,
        ),
    );
    this.setMerges(merges.map((pair, i) => ({ pair, id: 256 + i })));
  }

  /** The distinct chunks of the text in order of first appearance, with their counts. */
  private trainingChunks(text: string | Uint8Array): { chunks: Uint8Array[]; weights: number[] } {
    // No pattern: one chunk, the whole text (keying it would spread every byte into a call).
    if (!this.regex) {
      return { chunks: [typeof text === 'string' ? utf8Encode(text) : text], weights: [1] };
    }
    const pieces = this.split(text);
    const index = new Map<string, number>();
    const chunks: Uint8Array[] = [];
    const weights: number[] = [];
    for (const piece of pieces) {
      // an invalid byte is keyed by a lone surrogate, which no valid text chunk contains
      const key = typeof piece === 'string' ? piece : `\ud800${String.fromCharCode(...piece)}`;
      const i = index.get(key);
      if (i !== undefined) {
        weights[i]++;
        continue;
      }
      index.set(key, chunks.length);
      chunks.push(typeof piece === 'string' ? utf8Encode(piece) : piece);
      weights.push(1);
    }
    return { chunks, weights };
  }

  /** The split pattern's chunks; invalid UTF-8 bytes are chunks of their own (as bytes). */
  private split(text: string | Uint8Array): (string | Uint8Array)[] {
    if (!this.regex) return [text];
    if (typeof text === 'string') return text.match(this.regex) ?? [];
    const pieces: (string | Uint8Array)[] = [];
    for (const run of utf8Runs(text)) {
      const bytes = text.subarray(run.start, run.end);
      // NOTE: a loop, not push(...matches): a long text has more chunks than a call has arguments.
      if (run.valid)
        for (const piece of utf8Decode(bytes).match(this.regex) ?? []) pieces.push(piece);
      else pieces.push(bytes);
    }
    return pieces;
  }

  // ---------------------------------------------------------------- special tokens

  /**
   * Registers special tokens, text → id (minbpe's `register_special_tokens`; replaces earlier
   * ones). Their ids must be integers that are not bytes or merges.
   */
  registerSpecialTokens(tokens: Record<string, number> | ReadonlyMap<string, number>): void {
    const entries = tokens instanceof Map ? [...tokens] : Object.entries(tokens);
    const specials = new Map<string, number>();
    const ids = new Map<number, string>();
    for (const [text, id] of entries) {
      if (text.length === 0) throw new TokenizerError('a special token cannot be the empty string');
      if (!Number.isInteger(id) || id < 0 || this.vocabBytes[id] !== undefined || ids.has(id)) {
        throw new TokenizerError(
          `special token ${JSON.stringify(text)} needs an unused integer id ≥ ${this.vocabBytes.length}, got ${id}`,
        );
      }
      specials.set(text, id);
      ids.set(id, text);
    }
    this.specials = specials;
    this.specialIds = ids;
  }

  // ---------------------------------------------------------------- encoding

  /**
   * Text (or raw bytes) to token ids. Special tokens follow `allowedSpecial` (default
   * `'none_raise'`). A `Uint8Array` is encoded as bytes: no special tokens, invalid UTF-8 kept.
   *
   * @example
   * const gpt4 = await loadPretrained('cl100k_base');
   * gpt4.encode('hello123!!!? (안녕하세요!) 😉');
   * // [15339, 4513, 12340, 30, 320, 31495, 230, 75265, 243, 92245, 16715, 57037]
   */
  encode(text: string | Uint8Array, allowedSpecial: AllowedSpecial = 'none_raise'): number[] {
    if (typeof text !== 'string') return this.encodeOrdinary(text);
    let special: Map<string, number>;
    if (allowedSpecial === 'all') special = this.specials;
    else if (allowedSpecial === 'none') special = new Map();
    else if (allowedSpecial === 'none_raise') {
      special = new Map();
      const found = this.firstSpecial(text, this.specials);
      if (found) throw new DisallowedSpecialTokenError(found.token);
    } else if (allowedSpecial instanceof Set) {
      special = new Map([...this.specials].filter(([token]) => allowedSpecial.has(token)));
    } else {
      throw new TokenizerError(
        `allowedSpecial=${String(allowedSpecial)} not understood: use 'all', 'none', 'none_raise' or a Set of special tokens`,
      );
    }
    if (special.size === 0) return this.encodeOrdinary(text);
    const ids: number[] = [];
    let start = 0;
    for (
      let found = this.firstSpecial(text, special, start);
      found;
      found = this.firstSpecial(text, special, start)
    ) {
      this.encodeInto(text.slice(start, found.index), ids);
      ids.push(special.get(found.token)!);
      start = found.index + found.token.length;
    }
    this.encodeInto(text.slice(start), ids);
    return ids;
  }

  /** Encoding that treats special tokens' text as ordinary text (minbpe's `encode_ordinary`). */
  encodeOrdinary(text: string | Uint8Array): number[] {
    const ids: number[] = [];
    this.encodeInto(text, ids);
    return ids;
  }

  private firstSpecial(text: string, specials: ReadonlyMap<string, number>, from = 0) {
    let best: { index: number; token: string } | undefined;
    for (const token of specials.keys()) {
      const index = text.indexOf(token, from);
      if (index >= 0 && (!best || index < best.index)) best = { index, token };
    }
    return best;
  }

  private encodeInto(text: string | Uint8Array, ids: number[]): void {
    if (!this.regex) {
      this.encodeChunk(typeof text === 'string' ? utf8Encode(text) : text, ids);
      return;
    }
    if (typeof text !== 'string') {
      for (const piece of this.split(text)) {
        if (typeof piece === 'string') this.encodeInto(piece, ids);
        else this.encodeChunk(piece, ids);
      }
      return;
    }
    const regex = this.regex;
    const cache = this.cache;
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      const chunk = match[0];
      let chunkIds = cache.get(chunk);
      if (!chunkIds) {
        chunkIds = [];
        this.encodeChunk(utf8Encode(chunk), chunkIds);
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(chunk, chunkIds);
      }
      for (let i = 0; i < chunkIds.length; i++) ids.push(chunkIds[i]);
    }
  }

  /** BPE on one chunk: apply the merge with the lowest id until none applies (minbpe's `_encode_chunk`). */
  private encodeChunk(bytes: Uint8Array, out: number[]): void {
    const shuffle = this.shuffle;
    const t: number[] = new Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) t[i] = shuffle ? shuffle[bytes[i]] : bytes[i];
    if (t.length > LONG_CHUNK) {
      this.encodeLong(t, out);
      return;
    }
    const ranks = this.ranks;
    let n = t.length;
    while (n >= 2) {
      let best = Infinity;
      for (let i = 0; i < n - 1; i++) {
        const id = ranks.get(pairKey(t[i], t[i + 1]));
        if (id !== undefined && id < best) best = id;
      }
      if (best === Infinity) break;
      const [a, b] = this.pairs.get(best)!;
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (i < n - 1 && t[i] === a && t[i + 1] === b) {
          t[k++] = best;
          i++;
        } else t[k++] = t[i];
      }
      n = k;
    }
    for (let i = 0; i < n; i++) out.push(t[i]);
  }

  /** The same result in O(n log n) for long chunks: a heap of (merge id, position), left to right. */
  private encodeLong(t: number[], out: number[]): void {
    const n = t.length;
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new MinHeap();
    const ranks = this.ranks;
    const offer = (i: number) => {
      const j = next[i];
      if (j < 0) return;
      const id = ranks.get(pairKey(t[i], t[j]));
      if (id !== undefined) heap.push(id * 0x80000000 + i);
    };
    for (let i = 0; i < n - 1; i++) offer(i);
    while (heap.size > 0) {
      const top = heap.pop();
      const id = Math.floor(top / 0x80000000);
      const i = top - id * 0x80000000;
      const j = next[i];
      if (t[i] < 0 || j < 0 || ranks.get(pairKey(t[i], t[j])) !== id) continue; // stale
      t[i] = id;
      t[j] = -1;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      if (prev[i] >= 0) offer(prev[i]);
      offer(i);
    }
    for (let i = 0; i >= 0; i = next[i]) out.push(t[i]);
  }

  // ---------------------------------------------------------------- decoding

  /** Token ids to their exact bytes (special tokens as their UTF-8). */
  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (let i = 0; i < ids.length; i++) {
      const bytes = this.tokenBytes(ids[i]);
      parts.push(bytes);
      length += bytes.length;
    }
    const out = new Uint8Array(length);
    let offset = 0;
    for (const part of parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  /** Token ids to text; bytes that are not UTF-8 become U+FFFD (minbpe's `errors="replace"`). */
  decode(ids: ArrayLike<number>): string {
    return utf8Decode(this.decodeBytes(ids));
  }

  // ---------------------------------------------------------------- state

  /**
   * Replaces the merges (each `pair` made of ids that exist before it) and optionally the byte
   * permutation; rebuilds the vocabulary. Used by training and by the loaders.
   */
  setMerges(rules: readonly MergeRule[], byteShuffle?: ArrayLike<number>): void {
    let shuffle: Uint8Array | undefined;
    const vocab: Uint8Array[] = [];
    if (byteShuffle) {
      shuffle = Uint8Array.from(byteShuffle);
      if (shuffle.length !== 256 || new Set(shuffle).size !== 256) {
        throw new TokenizerError('byteShuffle must be a permutation of the 256 byte values');
      }
      for (let b = 0; b < 256; b++) vocab[shuffle[b]] = Uint8Array.of(b);
    } else for (let b = 0; b < 256; b++) vocab[b] = Uint8Array.of(b);
    const ranks = new Map<number, number>();
    const pairs = new Map<number, [number, number]>();
    rules.forEach(({ pair: [a, b], id }, i) => {
      if (
        !Number.isInteger(a) ||
        !Number.isInteger(b) ||
        !vocab[a] ||
        !vocab[b] ||
        vocab[id] ||
        !Number.isInteger(id) ||
        id >= 0x200000
      ) {
        throw new ModelFormatError(
          `merge ${i + 1} (${a}, ${b}) -> ${id} is invalid: both ids must exist before it and ${id} must be a new id`,
        );
      }
      vocab[id] = concat(vocab[a], vocab[b]);
      ranks.set(pairKey(a, b), id);
      pairs.set(id, [a, b]);
    });
    for (const id of this.specials.values()) {
      if (vocab[id])
        throw new TokenizerError(
          `special token id ${id} is also a merge's id: re-register the special tokens`,
        );
    }
    this.rules = rules.map(({ pair, id }) => ({ pair: [pair[0], pair[1]], id }));
    this.ranks = ranks;
    this.pairs = pairs;
    this.vocabBytes = vocab;
    this.shuffle = shuffle;
    this.cache = new Map();
  }

  /** minbpe's `.model` file: version, pattern, special tokens, one merge per line. */
  toModelFile(): string {
    if (this.shuffle) {
      throw new TokenizerError(
        'a tokenizer with permuted bytes (GPT ranks) has no minbpe .model form: use toJSON()',
      );
    }
    const lines = ['minbpe v1', this.pattern, String(this.specials.size)];
    for (const [text, id] of this.specials) lines.push(`${text} ${id}`);
    this.rules.forEach(({ pair, id }, i) => {
      if (id !== 256 + i)
        throw new TokenizerError(
          `merge ids must be 256, 257, … for a .model file; merge ${i + 1} has id ${id}`,
        );
      lines.push(`${pair[0]} ${pair[1]}`);
    });
    return `${lines.join('\n')}\n`;
  }

  /**
   * minbpe's `.vocab` file for people: `[x] id` per byte, `[a][b] -> [ab] id` per merge.
   * Special tokens are not listed, as in the file minbpe writes after training.
   */
  toVocabFile(): string {
    const rule = new Map(this.rules.map((r) => [r.id, r.pair]));
    let out = '';
    for (let id = 0; id < this.vocabBytes.length; id++) {
      if (!this.vocabBytes[id]) continue;
      const s = this.renderToken(id);
      const pair = rule.get(id);
      out += pair
        ? `[${this.renderToken(pair[0])}][${this.renderToken(pair[1])}] -> [${s}] ${id}\n`
        : `[${s}] ${id}\n`;
    }
    return out;
  }

  /** The JSON form: everything, including a byte permutation. */
  toJSON(): TokenizerJSON {
    return {
      format: 'llm-playground-bpe',
      version: 1,
      kind: this.kind,
      pattern: this.pattern,
      specialTokens: Object.fromEntries(this.specials),
      merges: this.rules.map(({ pair, id }) => [pair[0], pair[1], id]),
      ...(this.shuffle ? { byteShuffle: [...this.shuffle] } : {}),
    };
  }

  /**
   * Writes `prefix.model` and `prefix.vocab` (minbpe's `save`; Node only). Each file is written
   * beside its place and renamed over it, so an interrupted save leaves the old file whole.
   */
  async save(prefix: string): Promise<void> {
    const { rename, writeFile } = await import('node:fs/promises');
    for (const [path, text] of [
      [`${prefix}.model`, this.toModelFile()],
      [`${prefix}.vocab`, this.toVocabFile()],
    ]) {
      const tmp = `${path}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, path);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A binary min-heap of numbers. */
class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }
  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && items[child + 1] < items[child]) child++;
        if (items[child] >= last) break;
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
