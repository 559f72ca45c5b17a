import { describe, expect, it } from 'vitest';
import { decodeText } from './decode-text.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('decodes UTF-8, including non-ASCII letters and a BOM', () => {
    expect(decodeText(utf8('emma\nzoë\n'), 'a.txt')).toBe('emma\nzoë\n');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'a.txt')).toBe('a'); // TextDecoder drops the BOM
    expect(decodeText(new Uint8Array(), 'a.txt')).toBe('');
  });

  it('refuses UTF-16 (either byte order) and says to save as UTF-8', () => {
    expect(() => decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00]), 'names.txt')).toThrow(
      'names.txt is UTF-16 text: save it as UTF-8',
    );
    expect(() => decodeText(new Uint8Array([0xfe, 0xff, 0x00, 0x61]), 'n.txt')).toThrow('UTF-16');
  });

  it('refuses Latin-1 bytes and names the byte and its line', () => {
    // "emma\nzoë" in Latin-1: ë is the lone byte 0xeb.
    const latin1 = new Uint8Array([...utf8('emma\nzo'), 0xeb, 0x0a]);
    expect(() => decodeText(latin1, 'latin.txt')).toThrow(
      'latin.txt is not UTF-8 text (byte 0xeb on line 2)',
    );
  });
});
