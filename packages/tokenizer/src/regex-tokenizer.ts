/**
 * minbpe's `RegexTokenizer`: the text is first split by a pattern (GPT-4's by default) and merges
 * never cross the pieces, so words, numbers, punctuation and whitespace runs stay apart.
 */

import { GPT4_SPLIT_PATTERN } from './patterns.js';
import { Tokenizer } from './tokenizer.js';

/**
 * Byte-level BPE inside the pieces of a split pattern, with special tokens.
 *
 * @example
 * const tokenizer = new RegexTokenizer(); // GPT4_SPLIT_PATTERN
 * tokenizer.train(text, 512);
 * tokenizer.registerSpecialTokens({ '<|endoftext|>': 512 });
 * tokenizer.encode('hi<|endoftext|>', 'all'); // [..., 512]
 */
export class RegexTokenizer extends Tokenizer {
  readonly kind = 'regex';
  /** `pattern`: a split pattern in Python syntax (see `compilePattern`); GPT-4's by default. */
  constructor(pattern: string = GPT4_SPLIT_PATTERN) {
    super(pattern);
  }
}
