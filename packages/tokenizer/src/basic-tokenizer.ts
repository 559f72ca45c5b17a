/**
 * minbpe's `BasicTokenizer`: BPE straight on the bytes of the whole text, no split pattern.
 * NOTE: unlike minbpe's, it also takes special tokens (the base class handles them for both).
 */

import { Tokenizer } from './tokenizer.js';

/**
 * Byte-level BPE on the whole text.
 *
 * @example
 * const tokenizer = new BasicTokenizer();
 * tokenizer.train('aaabdaaabac', 259);
 * tokenizer.encode('aaabdaaabac'); // [258, 100, 258, 97, 99]
 * tokenizer.decode([258, 100, 258, 97, 99]); // 'aaabdaaabac'
 */
export class BasicTokenizer extends Tokenizer {
  readonly kind = 'basic';
  constructor() {
    super('');
  }
}
