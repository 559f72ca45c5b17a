/**
 * Bytes and text. Tokens are byte strings; we encode UTF-8 into reusable buffers ourselves (the hot
 * path of `encode`), decode with the WHATWG decoder, whose U+FFFD substitution of maximal invalid
 * subparts is the one CPython's `bytes.decode('utf-8', errors='replace')` uses, and render tokens the
 * way minbpe's `.vocab` file and verbose training print them.
 */

// ignoreBOM: a leading U+FEFF is text like any other (bytes are bytes; CPython keeps it too).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** UTF-8 bytes of `text` (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Bytes to text, each invalid sequence replaced by U+FFFD (Python's `errors="replace"`). */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Splits bytes into runs that are valid UTF-8 (`text` set) and single bytes that are not (`text`
 * undefined), so that a regex tokenizer can split the valid text and keep invalid bytes as bytes.
 */
export function utf8Runs(bytes: Uint8Array): { start: number; end: number; valid: boolean }[] {
  const runs: { start: number; end: number; valid: boolean }[] = [];
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = validSequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (i > start) runs.push({ start, end: i, valid: true });
    runs.push({ start: i, end: i + 1, valid: false });
    start = ++i;
  }
  if (i > start) runs.push({ start, end: i, valid: true });
  return runs;
}

/** Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0 if there is none. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const b0 = b[i];
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) =>
    i + k < b.length && b[i + k] >= lo && b[i + k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * minbpe's `render_token`: the token's text with U+FFFD for invalid UTF-8 and every control,
 * format, private-use or unassigned character (Unicode category C) escaped as `\uXXXX`.
 */
export function renderToken(bytes: Uint8Array): string {
  let out = '';
  for (const ch of utf8Decode(bytes)) {
    out += /\p{C}/u.test(ch) ? `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}` : ch;
  }
  return out;
}

/** Python's `repr(bytes)`: `b'hello'`, `b'\xe2\x80'`, as minbpe's verbose training prints tokens. */
export function bytesRepr(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x27 && quote === "'") out += "\\'";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}${quote}`;
}
