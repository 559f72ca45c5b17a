/**
 * The GPT split patterns. The Python strings are tiktoken's (and minbpe's), kept verbatim because
 * they are what a `.model` file records; JavaScript cannot compile the GPT-4 one (possessive `?+`,
 * `++` and the `(?i:…)` group), so `compilePattern` swaps each for an equivalent that gives the same
 * splits, checked against Python's `regex` module by `split-pattern.test.ts`:
 * - `(?i:[sdmt]|ll|ve|re)` lists the case variants, with `ſ` (U+017F), which simple case folding
 *   maps to `s` (Python's `regex` and tiktoken's Rust engine both match `'ſ` as a contraction);
 * - `[^\r\n\p{L}\p{N}]?+\p{L}+`: giving back the optional character could only help if that
 *   character were a letter, and it cannot be one, so the possessive `?+` is a plain `?`;
 * - `[^\s\p{L}\p{N}]++[\r\n]*`: what follows can match nothing, so the greedy `+` never gives back;
 * - `\s` is Python's (Unicode White_Space, with U+0085 NEL), not JavaScript's (which adds U+FEFF).
 * NOTE: `\p{L}` and `\p{N}` are the JavaScript engine's Unicode (17 in Node 20.20), which may be
 * newer than the reference's: characters assigned since then can split differently.
 */

/** GPT-2's split pattern, as tiktoken writes it (`'s|'t|…` folded into one group). */
export const GPT2_SPLIT_PATTERN =
  "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** GPT-4's (cl100k_base) split pattern, as tiktoken writes it; not valid JavaScript. */
export const GPT4_SPLIT_PATTERN =
  "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

/** Python's `\s` in Unicode mode (White_Space), as the body of a character class. */
const S = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const JS_EQUIVALENTS: Record<string, string> = {
  [GPT2_SPLIT_PATTERN]: `'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^${S}\\p{L}\\p{N}]+|[${S}]+(?![^${S}])|[${S}]+`,
  [GPT4_SPLIT_PATTERN]:
    `'(?:[sdmtSDMTſ]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}` +
    `| ?[^${S}\\p{L}\\p{N}]+[\\r\\n]*|[${S}]*[\\r\\n]|[${S}]+(?![^${S}])|[${S}]+`,
};

/**
 * The global, Unicode-aware JavaScript RegExp for a split pattern: the equivalent above for the two
 * GPT patterns, else the pattern itself (which must then be valid JavaScript).
 *
 * @example
 * '\'Hello world123  !'.match(compilePattern(GPT4_SPLIT_PATTERN));
 * // ["'Hello", ' world', '123', ' ', ' !'] (as Python's regex splits it)
 */
export function compilePattern(pattern: string): RegExp {
  const source = JS_EQUIVALENTS[pattern] ?? pattern;
  try {
    return new RegExp(source, 'gu');
  } catch (error) {
    throw new TypeError(
      `split pattern ${JSON.stringify(pattern)} is not a valid JavaScript RegExp (${(error as Error).message}); ` +
        'JavaScript has no possessive quantifiers or (?i:…) groups: rewrite them, or use GPT2_SPLIT_PATTERN / GPT4_SPLIT_PATTERN',
    );
  }
}

/** The chunks `pattern` splits `text` into: Python's `regex.findall(pattern, text)`. */
export function splitText(text: string, pattern: string | RegExp): string[] {
  const regex = typeof pattern === 'string' ? compilePattern(pattern) : pattern;
  return text.match(regex) ?? [];
}
