import { bundledNames } from '@llm-playground/data';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  bundledDataset,
  checkWords,
  dataset,
  datasetFromLink,
  decodeWordsParam,
  describeWords,
  encodeWordsParam,
  loadStoredDataset,
  MAX_LINK_CHARS,
  MAX_VOCABULARY,
  MAX_WORDS,
  resetDataset,
  useCustomWords,
  type WordStorage,
  wordsLink,
} from './dataset.js';

class MemoryStorage implements WordStorage {
  items = new Map<string, string>();
  quota = Number.POSITIVE_INFINITY;
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (value.length > this.quota) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  resetDataset(storage);
});

describe('the default dataset', () => {
  it('is the bundled names (Node has no localStorage)', () => {
    expect(dataset.value.kind).toBe('bundled');
    expect(dataset.value.words).toEqual(bundledNames().words);
    expect(dataset.value.words.length).toBe(8422);
    expect(bundledDataset()).toBe(bundledDataset());
  });
});

describe('useCustomWords', () => {
  it('parses, lowercases, dedupes, names the list and makes it current', () => {
    const used = useCustomWords('Emma\r\n\r\nOlivia\nemma\n  Ava  \n', {
      lowercase: true,
      dedupe: true,
      name: 'names.txt',
      storage,
    });
    expect(used.words).toEqual(['emma', 'olivia', 'ava']);
    expect(used).toMatchObject({ kind: 'custom', name: 'names.txt', remembered: true });
    expect(used.summary).toContain('3 words from names.txt');
    expect(dataset.value).toBe(used);
  });

  it('keeps case unless asked', () => {
    expect(useCustomWords('Emma\nava', { storage }).words).toEqual(['Emma', 'ava']);
  });

  it('round-trips through storage: a reload gets the same list and name', () => {
    useCustomWords('zoë\nanne-marie\n', { name: 'mine.txt', storage });
    const restored = loadStoredDataset(storage);
    expect(restored).toMatchObject({
      kind: 'custom',
      name: 'mine.txt',
      words: ['zoë', 'anne-marie'],
      remembered: true,
    });
  });

  it('rejects unusable lists with a clear message and changes nothing', () => {
    useCustomWords('emma', { storage });
    const before = dataset.value;
    expect(() => useCustomWords(' \n\n', { storage })).toThrow(
      'The list has no words: put one word per line.',
    );
    expect(() => useCustomWords('emma\ndr.no\n', { storage })).toThrow(
      "Word 2 ('dr.no') contains '.'",
    );
    expect(dataset.value).toBe(before);
    expect(loadStoredDataset(storage)?.words).toEqual(['emma']);
  });

  it('a list too big for localStorage is used for this visit, not remembered', () => {
    storage.quota = 10;
    const used = useCustomWords('alexander\nbartholomew\n', { storage });
    expect(used.remembered).toBe(false);
    expect(dataset.value.words).toEqual(['alexander', 'bartholomew']);
    expect(loadStoredDataset(storage)).toBeNull();
  });

  it('resetDataset goes back to the bundled names and forgets the list', () => {
    useCustomWords('emma', { storage });
    resetDataset(storage);
    expect(dataset.value.kind).toBe('bundled');
    expect(loadStoredDataset(storage)).toBeNull();
  });

  it('a stored list that is no longer valid is ignored', () => {
    storage.setItem('llm-playground:words', 'a.b\n');
    expect(loadStoredDataset(storage)).toBeNull();
    expect(loadStoredDataset(undefined)).toBeNull();
  });
});

describe('checkWords', () => {
  it('limits the vocabulary and the number of words', () => {
    const manyChars = Array.from({ length: MAX_VOCABULARY + 1 }, (_, i) =>
      String.fromCodePoint(0x4e00 + i),
    );
    expect(() => checkWords(manyChars)).toThrow(
      `The list uses ${MAX_VOCABULARY + 1} different characters; the pages take at most ${MAX_VOCABULARY}`,
    );
    expect(() => checkWords(manyChars.slice(0, MAX_VOCABULARY))).not.toThrow();
    expect(() => checkWords(new Array(MAX_WORDS + 1).fill('a'))).toThrow(
      'The list has 300,001 words; the browser pages take at most 300,000.',
    );
  });
});

describe('describeWords', () => {
  it('counts characters by code point, sorted like Python sorted()', () => {
    const stats = describeWords(['emma', 'zoë', 'ava', '😀x'], { examples: 2 });
    expect(stats).toEqual({
      words: 4,
      characters: ['a', 'e', 'm', 'o', 'v', 'x', 'z', 'ë', '😀'],
      shortest: 2,
      longest: 4,
      meanLength: (4 + 3 + 3 + 2) / 4,
      examples: ['emma', 'ava'],
    });
  });

  it('the bundled names: 26 letters and "-", lengths 2..15', () => {
    const stats = describeWords(bundledNames().words);
    expect(stats.characters.join('')).toBe('-abcdefghijklmnopqrstuvwxyz');
    expect(stats.examples).toHaveLength(8);
    expect(stats.shortest).toBeGreaterThanOrEqual(2);
  });

  it('an empty list', () => {
    expect(describeWords([])).toEqual({
      words: 0,
      characters: [],
      shortest: 0,
      longest: 0,
      meanLength: 0,
      examples: [],
    });
  });
});

describe('a word list in a link', () => {
  it('round-trips through the URL, unicode and spaces included', () => {
    const words = ['zoë', 'new york', 'émile', '東京', 'a+b&c=d#e%f'];
    const link = wordsLink('https://example.org/app/?x=1#/bigram?lr=2', words);
    expect(link.startsWith('https://example.org/app/?x=1#/data?words=')).toBe(true);
    expect(link).not.toContain('\n');
    const hash = link.slice(link.indexOf('#'));
    expect(
      decodeWordsParam(new URLSearchParams(hash.slice(hash.indexOf('?') + 1)).get('words')!),
    ).toEqual(words);
    const opened = datasetFromLink(hash, storage);
    expect(opened.error).toBeNull();
    expect(opened.dataset).toMatchObject({ kind: 'custom', words, remembered: true });
    expect(opened.notice).toContain('This link carries its own word list (5 words)');
    // Saved like an uploaded list: a later visit without the link keeps it.
    expect(loadStoredDataset(storage)?.words).toEqual(words);
  });

  it('takes lists up to MAX_LINK_CHARS characters and refuses longer ones with the way out', () => {
    const fits = Array.from({ length: 400 }, (_, i) => `w${String(i).padStart(3, '0')}`);
    expect(fits.join('\n').length).toBe(1999);
    expect(encodeWordsParam(fits)).toBe(fits.join('\n'));
    const tooLong = [...fits, 'ab'];
    expect(tooLong.join('\n').length).toBe(MAX_LINK_CHARS + 2);
    expect(() => encodeWordsParam(tooLong)).toThrow(
      'The list has 2,002 characters; a link carries at most 2,000. Download it as a file',
    );
    expect(() => decodeWordsParam('a'.repeat(MAX_LINK_CHARS + 1))).toThrow(
      'The word list in this link has 2,001 characters; a link may carry at most 2,000.',
    );
  });

  it('bad input gives a clear message and changes nothing', () => {
    expect(() => decodeWordsParam('')).toThrow(
      'The word list in this link cannot be used: The list has no words',
    );
    expect(() => decodeWordsParam('emma\ndr.no')).toThrow("Word 2 ('dr.no') contains '.'");
    const opened = datasetFromLink('#/data?words=emma%0Adr.no', storage);
    expect(opened.dataset).toBeNull();
    expect(opened.error).toContain("Word 2 ('dr.no') contains '.'");
    expect(storage.items.size).toBe(0);
    expect(datasetFromLink('#/data?lr=1', storage)).toEqual({
      dataset: null,
      notice: null,
      error: null,
    });
    expect(datasetFromLink('', storage).dataset).toBeNull();
  });
});
