/**
 * The tokenizers a model can be trained with: data's `CharTokenizer` (a character per token, the
 * lectures' default) or a byte-level BPE from `@llm-playground/tokenizer` (the GPT family on
 * tokens, `lmp train --model gpt --tokenizer DIR`). `BpeTextTokenizer` gives a BPE the few methods
 * the text path uses (`vocabSize`, `encodeText`, `decode`, `itos`, `toJSON`), so the data, the
 * trainer, evaluation and checkpoints treat both alike; a checkpoint stores the BPE as its JSON
 * form under `{ kind: 'bpe' }` (a char tokenizer's JSON is unchanged, so char checkpoints stay
 * byte-identical). Also: the loss per character, which makes char- and BPE-level runs comparable.
 */
import { CharTokenizer } from '@llm-playground/data';
import { type Tokenizer, type TokenizerJSON, tokenizerFromJSON } from '@llm-playground/tokenizer';

/** A checkpoint's JSON form of a BPE tokenizer. */
export interface BpeTextTokenizerJSON {
  kind: 'bpe';
  bpe: TokenizerJSON;
}

/**
 * A byte-level BPE as a model's tokenizer: ids are the BPE's, `vocabSize` its largest id + 1.
 *
 * @example
 * ```ts
 * const bpe = new BasicTokenizer();
 * bpe.train('aaabdaaabac', 259);
 * const tokenizer = new BpeTextTokenizer(bpe);
 * [...tokenizer.encodeText('aaabdaaabac')]; // [258, 100, 258, 97, 99]
 * tokenizer.decode([258, 97]); // 'aaaba'
 * ```
 */
export class BpeTextTokenizer {
  readonly kind = 'bpe';
  private names: string[] | undefined;

  constructor(readonly bpe: Tokenizer) {}

  /** The number of ids (the embedding's size). */
  get vocabSize(): number {
    return this.bpe.vocabSize;
  }

  /**
   * The text's ids. NOTE: special tokens' text is encoded as ordinary text (minbpe's
   * `encode_ordinary`): a training text is data, not instructions.
   */
  encodeText(text: string): Int32Array {
    return Int32Array.from(this.bpe.encodeOrdinary(text));
  }

  /** Text of the ids, U+FFFD where their bytes are not whole UTF-8. */
  decode(ids: Iterable<number>): string {
    return this.bpe.decode([...ids]);
  }

  /** The exact bytes of the ids (for a streaming `TextDecoder`: a token may end inside a character). */
  decodeBytes(ids: Iterable<number>): Uint8Array {
    return this.bpe.decodeBytes([...ids]);
  }

  /** Each id's token rendered as text (minbpe's `render_token`), for tables and plots. */
  get itos(): readonly string[] {
    if (this.names === undefined) {
      this.names = Array.from({ length: this.vocabSize }, (_, id) => {
        try {
          return this.bpe.renderToken(id);
        } catch {
          return ''; // an id between the merges and a special token
        }
      });
    }
    return this.names;
  }

  toJSON(): BpeTextTokenizerJSON {
    return { kind: 'bpe', bpe: this.bpe.toJSON() };
  }

  /** Reads `toJSON()`'s output back (`ModelFormatError` for anything else). */
  static fromJSON(json: BpeTextTokenizerJSON): BpeTextTokenizer {
    return new BpeTextTokenizer(tokenizerFromJSON(json.bpe, 'checkpoint tokenizer'));
  }
}

/** A model's tokenizer: characters or byte-level BPE. */
export type ModelTokenizer = CharTokenizer | BpeTextTokenizer;

/**
 * Reads a checkpoint's `tokenizer` field: a BPE (`{ kind: 'bpe' }`) or a `CharTokenizer`'s JSON.
 *
 * @example
 * modelTokenizerFromJSON(CharTokenizer.fromText('ab').toJSON()) instanceof CharTokenizer; // true
 */
export function modelTokenizerFromJSON(json: unknown): ModelTokenizer {
  if ((json as { kind?: unknown } | null)?.kind === 'bpe') {
    return BpeTextTokenizer.fromJSON(json as BpeTextTokenizerJSON);
  }
  return CharTokenizer.fromJSON(json);
}

/**
 * The char tokenizer of a word model, or a clear error for a BPE (word models need characters).
 */
export function requireCharTokenizer(tokenizer: ModelTokenizer, caller: string): CharTokenizer {
  if (tokenizer instanceof CharTokenizer) return tokenizer;
  throw new TypeError(
    `${caller}: this model's tokenizer is a byte-level BPE; word models need a character tokenizer`,
  );
}

/**
 * The characters (code points) per token of `ids`: the factor that turns a loss per token into a
 * loss per character (`lossPerChar = lossPerToken × tokens / characters`), 1 for a char tokenizer.
 * Comparing char- and BPE-level models of the same size by loss per character is fair: both then
 * pay for the same text.
 *
 * @example
 * tokensPerCharacter(CharTokenizer.fromText('héllo'), Int32Array.of(1, 2)); // 1
 */
export function tokensPerCharacter(tokenizer: ModelTokenizer, ids: Int32Array): number {
  if (tokenizer instanceof CharTokenizer || ids.length === 0) return 1;
  const characters = [...tokenizer.decode(ids)].length;
  return characters === 0 ? 1 : ids.length / characters;
}
