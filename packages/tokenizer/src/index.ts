/**
 * @llm-playground/tokenizer: byte-level BPE from scratch ("let's build the GPT tokenizer").
 * `BasicTokenizer` and `RegexTokenizer` (minbpe's, with fast training), the GPT-2/GPT-4 split
 * patterns for JavaScript, minbpe's `.model`/`.vocab` files and a JSON form, and the real
 * `gpt2` / `cl100k_base` tokenizers loaded into our code.
 */

export { BasicTokenizer } from './basic-tokenizer.js';
export { DisallowedSpecialTokenError, ModelFormatError, TokenizerError } from './errors.js';
export { loadTokenizer, tokenizerFromJSON, tokenizerFromModelFile } from './load.js';
export { compilePattern, GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN, splitText } from './patterns.js';
export {
  loadPretrained,
  type PretrainedName,
  type TiktokenRanks,
  tokenizerFromTiktokenRanks,
} from './pretrained.js';
export { RegexTokenizer } from './regex-tokenizer.js';
export {
  type AllowedSpecial,
  type MergeInfo,
  type MergeRule,
  Tokenizer,
  type TokenizerJSON,
  type TrainOptions,
} from './tokenizer.js';
export { bytesRepr, renderToken } from './utf8.js';
