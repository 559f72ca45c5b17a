import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseHash, route } from '../router.js';
import { createUrlState, readParam, readParams, type Schema, writeParams } from './url-state.js';

const schema = {
  lr: { type: 'number', default: 0.1, min: 1e-4, max: 10, log: true },
  batch: { type: 'number', default: 32, min: 1, max: 512, integer: true },
  optimizer: { type: 'enum', default: 'sgd', values: ['sgd', 'adam'] },
  shuffle: { type: 'boolean', default: true },
  word: { type: 'string', default: 'emma', maxLength: 5 },
} satisfies Schema;

const read = (query: string) => readParams(schema, new URLSearchParams(query));

describe('readParam', () => {
  it('numbers: parsed, clamped to [min, max], rounded when integer', () => {
    expect(read('lr=0.5').lr).toBe(0.5);
    expect(read('lr=1e-3').lr).toBe(0.001);
    expect(read('lr=100').lr).toBe(10);
    expect(read('lr=-1').lr).toBe(1e-4);
    expect(read('batch=33.6').batch).toBe(34);
    expect(read('batch=0').batch).toBe(1);
    expect(read('batch=100000').batch).toBe(512);
  });

  it('numbers: missing, empty or malformed fall back to the default', () => {
    for (const query of ['', 'lr=', 'lr=%20', 'lr=abc', 'lr=NaN', 'lr=Infinity', 'lr=1,5']) {
      expect(read(query).lr, query).toBe(0.1);
    }
  });

  it('enums accept only listed values (case-sensitive)', () => {
    expect(read('optimizer=adam').optimizer).toBe('adam');
    expect(read('optimizer=Adam').optimizer).toBe('sgd');
    expect(read('optimizer=rmsprop').optimizer).toBe('sgd');
  });

  it('booleans: 1/0/true/false, anything else is the default', () => {
    expect(read('shuffle=0').shuffle).toBe(false);
    expect(read('shuffle=false').shuffle).toBe(false);
    expect(read('shuffle=1').shuffle).toBe(true);
    expect(read('shuffle=yes').shuffle).toBe(true);
    expect(readParam({ type: 'boolean', default: false }, 'maybe')).toBe(false);
  });

  it('strings are cut to maxLength', () => {
    expect(read('word=olivia').word).toBe('olivi');
    expect(read('word=').word).toBe('');
    expect(read('').word).toBe('emma');
  });
});

describe('writeParams', () => {
  it('writes only non-default values, booleans as 1/0', () => {
    expect(writeParams(schema, read('')).toString()).toBe('');
    const values = { ...read(''), lr: 0.01, shuffle: false, optimizer: 'adam' };
    expect(writeParams(schema, values).toString()).toBe('lr=0.01&optimizer=adam&shuffle=0');
  });

  it('round-trips: read(write(v)) === v for valid values, including awkward floats', () => {
    const cases = [
      { ...read(''), lr: 0.1 + 0.2, batch: 7, word: 'a&b=c' },
      { ...read(''), lr: 1e-4, optimizer: 'adam', shuffle: false, word: '' },
      { ...read(''), lr: 2 ** -10, batch: 512, word: 'zoë' },
    ];
    for (const values of cases) {
      expect(readParams(schema, writeParams(schema, values))).toEqual(values);
      // …and through the hash, as a shared link carries them.
      const link = `#/mlp?${writeParams(schema, values)}`;
      expect(readParams(schema, parseHash(link).params)).toEqual(values);
    }
  });

  it('normalizes a bad link: read → write → read is a fixed point', () => {
    const messy = read('lr=999&batch=2.4&optimizer=x&shuffle=2&word=abcdefgh&extra=1');
    expect(messy).toEqual({ lr: 10, batch: 2, optimizer: 'sgd', shuffle: true, word: 'abcde' });
    expect(writeParams(schema, messy).toString()).toBe('lr=10&batch=2&word=abcde');
    expect(readParams(schema, writeParams(schema, messy))).toEqual(messy);
  });
});

describe('createUrlState', () => {
  // A minimal location/history: replaceParams writes the hash through history.replaceState.
  beforeEach(() => {
    const location = { hash: '' };
    vi.stubGlobal('location', location);
    vi.stubGlobal('history', {
      replaceState: (_state: unknown, _title: string, url: string) => {
        location.hash = url;
      },
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    route.value = parseHash('');
  });
  const goTo = (hash: string) => {
    location.hash = hash;
    route.value = parseHash(hash);
  };

  it('reads the link it was opened with, validated', () => {
    goTo('#/mlp?lr=0.01&batch=9999');
    const state = createUrlState(schema);
    expect(state.values.value).toMatchObject({ lr: 0.01, batch: 512, optimizer: 'sgd' });
  });

  it('set() validates, writes only non-defaults to the URL, and updates values', () => {
    goTo('#/mlp');
    const state = createUrlState(schema);
    state.set({ lr: 50, optimizer: 'adam' });
    expect(state.values.value).toMatchObject({ lr: 10, optimizer: 'adam', batch: 32 });
    expect(location.hash).toBe('#/mlp?lr=10&optimizer=adam');
    state.set({ batch: 64 });
    expect(location.hash).toBe('#/mlp?lr=10&batch=64&optimizer=adam');
    state.set({ optimizer: 'nonsense' } as never);
    expect(state.values.value.optimizer).toBe('sgd');
    expect(location.hash).toBe('#/mlp?lr=10&batch=64');
  });

  it('reset() goes back to the defaults and a clean URL', () => {
    goTo('#/mlp?lr=0.5&shuffle=0');
    const state = createUrlState(schema);
    state.reset();
    expect(location.hash).toBe('#/mlp');
    expect(state.values.value).toEqual(read(''));
  });

  it('follows a pasted link to the same page; ignores other pages and late writes after leaving', () => {
    goTo('#/mlp');
    const state = createUrlState(schema);
    const before = state.values.value;
    goTo('#/mlp?lr=0.02');
    expect(state.values.value.lr).toBe(0.02);
    // An unrelated query change keeps the same object (effects don't re-run).
    const now = state.values.value;
    goTo('#/mlp?lr=0.02&unrelated=1');
    expect(state.values.value).toBe(now);
    expect(before).not.toBe(now);
    goTo('#/bigram?lr=5');
    expect(state.values.value.lr).toBe(0.02);
    state.set({ lr: 1 });
    expect(location.hash).toBe('#/bigram?lr=5');
  });
});
