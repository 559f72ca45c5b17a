import { describe, expect, it } from 'vitest';
import { EXERCISE_LINES } from './exercises.js';
import { loadProgress, PROGRESS_KEY, saveProgress } from './progress.js';

class MemoryStorage {
  items = new Map<string, string>();
  full = false;
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(key, value);
  }
}

describe('backprop progress', () => {
  it('starts with the worked example in the first box and the rest empty', () => {
    const sources = loadProgress(new MemoryStorage() as unknown as Storage);
    expect(sources.logprobs).toBe(EXERCISE_LINES[0].solution);
    expect(sources.probs).toBe('');
    expect(Object.keys(sources)).toHaveLength(EXERCISE_LINES.length);
  });

  it('round-trips through storage (a reload gets the same boxes)', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const sources = {
      ...loadProgress(storage),
      probs: 'return dlogprobs.div(probs);',
      logprobs: '',
    };
    expect(saveProgress(sources, storage)).toBe(true);
    expect(loadProgress(storage)).toEqual(sources);
  });

  it('ignores a broken stored value and a full storage', () => {
    const storage = new MemoryStorage();
    storage.items.set(PROGRESS_KEY, '{not json');
    expect(loadProgress(storage as unknown as Storage).probs).toBe('');
    storage.items.set(PROGRESS_KEY, JSON.stringify({ probs: 42, h: 'return dh;' }));
    expect(loadProgress(storage as unknown as Storage)).toMatchObject({
      probs: '',
      h: 'return dh;',
    });
    storage.full = true;
    expect(saveProgress({ h: 'x' }, storage as unknown as Storage)).toBe(false);
  });
});
