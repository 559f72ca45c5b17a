/**
 * The real GPT-2 and GPT-4 (cl100k_base) tokenizers in our own `RegexTokenizer`: the rank tables
 * come from js-tiktoken (MIT, pure JavaScript, pinned), the encoding is ours. tiktoken stores
 * ranks of byte strings, not merges, so we recover each token's merge by running BPE on its bytes
 * with only the lower ranks (minbpe's gpt4.py `recover_merges`), and keep tiktoken's odd numbering
 * of the single bytes as a byte permutation (minbpe's `byte_shuffle`).
 */

import { TokenizerError } from './errors.js';
import { GPT2_SPLIT_PATTERN, GPT4_SPLIT_PATTERN } from './patterns.js';
import { RegexTokenizer } from './regex-tokenizer.js';
import type { MergeRule } from './tokenizer.js';

/** js-tiktoken's rank file: lines of `<anything> <first rank> <base64 token> <base64 token> …`. */
export interface TiktokenRanks {
  bpe_ranks: string;
  special_tokens: Record<string, number>;
}

/** The pretrained encodings we ship: GPT-2's and GPT-4's. */
export type PretrainedName = 'gpt2' | 'cl100k_base';

const PATTERNS: Record<PretrainedName, string> = {
  gpt2: GPT2_SPLIT_PATTERN,
  cl100k_base: GPT4_SPLIT_PATTERN,
};

/**
 * GPT-2's or GPT-4's tokenizer with its special tokens (`<|endoftext|>` is 50256 / 100257). The
 * rank table (0.5 / 1 MB of JavaScript) is imported on first use.
 *
 * @example
 * const gpt4 = await loadPretrained('cl100k_base');
 * gpt4.encode('hello world<|endoftext|>', 'all'); // [15339, 1917, 100257]
 */
export async function loadPretrained(name: PretrainedName): Promise<RegexTokenizer> {
  let ranks: TiktokenRanks;
  if (name === 'gpt2') ranks = (await import('js-tiktoken/ranks/gpt2')).default;
  else if (name === 'cl100k_base') ranks = (await import('js-tiktoken/ranks/cl100k_base')).default;
  else
    throw new TokenizerError(
      `unknown pretrained tokenizer ${JSON.stringify(name)}: use 'gpt2' or 'cl100k_base'`,
    );
  return tokenizerFromTiktokenRanks(ranks, PATTERNS[name]);
}

/** A RegexTokenizer from tiktoken ranks (js-tiktoken's format) and a split pattern. */
export function tokenizerFromTiktokenRanks(ranks: TiktokenRanks, pattern: string): RegexTokenizer {
  const rankOf = new Map<string, number>(); // token bytes as a latin-1 string → rank
  for (const line of ranks.bpe_ranks.split('\n')) {
    if (line === '') continue;
    const [, offset, ...tokens] = line.split(' ');
    for (let i = 0; i < tokens.length; i++) rankOf.set(atob(tokens[i]), Number(offset) + i);
  }
  const byteShuffle: number[] = [];
  for (let b = 0; b < 256; b++) {
    const rank = rankOf.get(String.fromCharCode(b));
    if (rank === undefined || rank > 255)
      throw new TokenizerError(`rank table has no rank below 256 for byte ${b}`);
    byteShuffle.push(rank);
  }
  const rules: MergeRule[] = [];
  const sorted = [...rankOf].filter(([token]) => token.length > 1).sort((x, y) => x[1] - y[1]);
  for (const [token, rank] of sorted) {
    const parts = bpe(rankOf, token, rank);
    // A token that BPE cannot build from two lower-ranked ones is never produced by encoding.
    if (parts.length === 2)
      rules.push({ pair: [rankOf.get(parts[0])!, rankOf.get(parts[1])!], id: rank });
  }
  const tokenizer = new RegexTokenizer(pattern);
  tokenizer.setMerges(rules, byteShuffle);
  tokenizer.registerSpecialTokens(ranks.special_tokens);
  return tokenizer;
}

/** BPE of `token` using only ranks below `maxRank`: the parts it ends in (minbpe's gpt4.py `bpe`). */
function bpe(rankOf: Map<string, number>, token: string, maxRank: number): string[] {
  let parts = [...token];
  for (;;) {
    let minIndex = -1;
    let minRank = maxRank;
    for (let i = 0; i < parts.length - 1; i++) {
      const rank = rankOf.get(parts[i] + parts[i + 1]);
      if (rank !== undefined && rank < minRank) {
        minIndex = i;
        minRank = rank;
      }
    }
    if (minIndex < 0) return parts;
    parts = [
      ...parts.slice(0, minIndex),
      parts[minIndex] + parts[minIndex + 1],
      ...parts.slice(minIndex + 2),
    ];
  }
}
