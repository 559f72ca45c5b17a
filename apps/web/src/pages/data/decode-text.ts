/**
 * Turns an uploaded file's bytes into text, refusing what would silently become garbage: UTF-16
 * files (Windows Notepad's "Unicode") and bytes that are not UTF-8. A UTF-8 BOM is fine
 * (the decoder drops it).
 *
 * @example
 * ```ts
 * decodeText(new TextEncoder().encode('emma\nava\n'), 'names.txt'); // 'emma\nava\n'
 * decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00]), 'names.txt'); // throws: … is UTF-16 …
 * ```
 */
export function decodeText(bytes: Uint8Array, fileName: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Error(
      `${fileName} is UTF-16 text: save it as UTF-8 (plain text) and upload it again.`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Point at the first bad byte so the learner can find it.
    let offset = 0;
    for (let end = bytes.length; offset < end; ) {
      const step = validUtf8Length(bytes, offset);
      if (step === 0) break;
      offset += step;
    }
    const where =
      offset < bytes.length
        ? ` (byte 0x${bytes[offset].toString(16).padStart(2, '0')} on line ${countLines(bytes, offset)})`
        : '';
    throw new Error(
      `${fileName} is not UTF-8 text${where}: upload a plain-text file with one word per line.`,
    );
  }
}

/** Length of the valid UTF-8 sequence at `i`, or 0 if it is invalid. */
function validUtf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  const cont = (k: number) => i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b >= 0xf0 && b <= 0xf4) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

function countLines(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
