/**
 * The tokenizer page's logic, without the DOM: the text cut into coloured spans by token, the
 * counts, and the compression curve of a trained BPE.
 *
 * A token can end inside a character (GPT-2 splits " 😉" into 30325 " \xf0\x9f\x98" and 231 "\x89"):
 * such tokens share one span, so that the spans, read in order, are exactly the text.
 *
 * @example
 * ```ts
 * const gpt2 = await loadPretrained('gpt2');
 * tokenSpans(gpt2, ' 😉').map((span) => span.ids); // [[30325, 231]]: one span
 * ```
 */
import type { AllowedSpecial, Tokenizer } from '@llm-playground/tokenizer';

/** The page's default text: the lecture's string, code, numbers, whitespace runs, a special token. */
export const DEFAULT_TEXT = `hello123!!!? (안녕하세요!) 😉
for i in range(1, 10):
    if i % 3 == 0:
        print("FizzBuzz"[i % 5 > 0 :])
Tokens in 2026: 1234567 + 3.14159 = 1234570.14159;   four   spaces,\ttabs\t\tand


blank lines. Don't, you'll, I'M<|endoftext|>`;

/** One coloured span: one token, or several when a token ends inside a character. */
export interface TokenSpan {
  /** The span's text (the spans concatenate back to the encoded text). */
  text: string;
  ids: number[];
  /** Each token's bytes. */
  bytes: Uint8Array[];
}

/**
 * Encodes `text` and groups the ids into spans that start and end on character boundaries.
 * Throws what `encode` throws (tiktoken's disallowed-special-token error).
 */
export function tokenSpans(
  tokenizer: Tokenizer,
  text: string,
  allowedSpecial: AllowedSpecial = 'all',
): TokenSpan[] {
  const ids = tokenizer.encode(text, allowedSpecial);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const spans: TokenSpan[] = [];
  let pending: TokenSpan = { text: '', ids: [], bytes: [] };
  let pendingBytes: number[] = [];
  for (const id of ids) {
    const bytes = tokenizer.tokenBytes(id);
    pending.ids.push(id);
    pending.bytes.push(bytes);
    for (const byte of bytes) pendingBytes.push(byte);
    if (!endsInsideCharacter(pendingBytes)) {
      pending.text = decoder.decode(Uint8Array.from(pendingBytes));
      spans.push(pending);
      pending = { text: '', ids: [], bytes: [] };
      pendingBytes = [];
    }
  }
  if (pending.ids.length > 0) {
    pending.text = decoder.decode(Uint8Array.from(pendingBytes));
    spans.push(pending);
  }
  return spans;
}

/** True when the UTF-8 bytes stop before the last character's continuation bytes. */
function endsInsideCharacter(bytes: number[]): boolean {
  // Look back over at most 3 continuation bytes (10xxxxxx) to the lead byte.
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return back < length;
  }
  return false;
}

/** The counts under the coloured text. */
export interface TextCounts {
  /** Unicode code points (what Python's `len(text)` counts). */
  characters: number;
  bytes: number;
  tokens: number;
  /** UTF-8 bytes per token. */
  ratio: number;
}

export function textCounts(text: string, tokens: number): TextCounts {
  const bytes = new TextEncoder().encode(text).length;
  return { characters: [...text].length, bytes, tokens, ratio: tokens > 0 ? bytes / tokens : 0 };
}

/** A span's text with its whitespace visible: `·` for a space, `→` for a tab, `↵` before a newline. */
export function visibleWhitespace(text: string): string {
  return text.replaceAll(' ', '·').replaceAll('\t', '→').replaceAll('\n', '↵\n');
}

/** What the tooltip of a span says: each token's id and bytes, as tiktokenizer shows them. */
export function describeSpan(span: TokenSpan): string {
  return span.ids
    .map(
      (id, i) =>
        `${id}: [${[...span.bytes[i]].join(', ')}] ${JSON.stringify(bytesText(span.bytes[i]))}`,
    )
    .join('\n');
}

function bytesText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/**
 * Token counts of a training text after each merge, from the counts training reports: tokens
 * after merge m = tokens before − its count. Exact when the pair's two tokens differ; for a pair
 * of the same token (`!!`, two spaces) the count includes overlapping occurrences (minbpe's
 * `get_stats` counts "!!!" as two `!!` but merging makes one), so this overstates the saving:
 * the page draws it while training runs and replaces it with `mergeApplications`'s exact curve.
 */
export function countCurve(bytes: number, counts: readonly number[]): number[] {
  const tokens = [bytes];
  for (const count of counts) tokens.push(tokens[tokens.length - 1] - count);
  return tokens;
}

/**
 * Token counts of a text after each merge, exactly: `ids` is the text encoded with all
 * `merges` (ids 256…), which applies the merges in rank order as training did. Every time merge
 * r was applied it made one node of id 256 + r in some final token's merge tree, and saved one
 * token; the tree nodes are counted from the final tokens down (a merged id's parts are lower
 * ids). Returns `[bytes, after merge 1, …, after the last]` (the last is `ids.length`).
 */
export function exactCurve(
  ids: ArrayLike<number>,
  merges: readonly { pair: [number, number]; id: number }[],
): number[] {
  const nodes = new Float64Array(256 + merges.length);
  for (let i = 0; i < ids.length; i++) nodes[ids[i]]++;
  for (let r = merges.length - 1; r >= 0; r--) {
    const { pair, id } = merges[r];
    nodes[pair[0]] += nodes[id];
    nodes[pair[1]] += nodes[id];
  }
  let tokens = 0;
  for (let b = 0; b < 256; b++) tokens += nodes[b];
  const curve = [tokens];
  for (const { id } of merges) {
    tokens -= nodes[id];
    curve.push(tokens);
  }
  return curve;
}

/** `bytes / tokens` for each point of a curve of token counts. */
export function ratios(bytes: number, tokens: readonly number[]): number[] {
  return tokens.map((count) => bytes / count);
}
