import { describe, expect, it } from 'vitest';
import reference from './fixtures/python-random.json' with { type: 'json' };
import { PythonRandom } from './python-random.js';

// Reference streams recorded from CPython 3.11 by scripts/python_random_fixtures.py.
const seedOf = (seed: number | string) => (typeof seed === 'string' ? BigInt(seed) : seed);

describe('PythonRandom against CPython', () => {
  it('was recorded with CPython 3.11', () => {
    expect(reference.python).toMatch(/^3\.11\./);
    expect(reference.cases.length).toBe(9);
  });

  for (const c of reference.cases) {
    describe(`seed ${c.seed}`, () => {
      it('random() gives the same doubles', () => {
        const rng = new PythonRandom(seedOf(c.seed));
        expect(Array.from({ length: c.random.length }, () => rng.random())).toEqual(c.random);
      });
      it('getrandbits(k) for k in 0..53', () => {
        const rng = new PythonRandom(seedOf(c.seed));
        for (const [k, value] of c.getrandbits) expect(rng.getrandbits(k)).toBe(value);
      });
      it('randbelow(n), including n ≥ 2^32', () => {
        const rng = new PythonRandom(seedOf(c.seed));
        for (const [n, value] of c.randbelow) expect(rng.randbelow(n)).toBe(value);
      });
      it('shuffle, and the stream after it', () => {
        const rng = new PythonRandom(seedOf(c.seed));
        const items = Array.from({ length: 20 }, (_, i) => i);
        expect(rng.shuffle(items)).toBe(items); // in place, returned
        expect(items).toEqual(c.shuffle20);
        expect([rng.random(), rng.random(), rng.random()]).toEqual(c.randomAfterShuffle);
      });
    });
  }

  for (const big of reference.bigShuffles) {
    it(`shuffles ${big.n.toLocaleString('en-US')} items with seed ${big.seed}`, () => {
      const rng = new PythonRandom(seedOf(big.seed));
      const items = rng.shuffle(Array.from({ length: big.n }, (_, i) => i));
      expect(items.slice(0, 50)).toEqual(big.head);
      if (big.values) expect(items).toEqual(big.values);
      let checksum = 0;
      for (let i = 0; i < items.length; i++)
        checksum = (checksum + (i + 1) * items[i]) % (2 ** 31 - 1);
      expect(checksum).toBe(big.checksum);
      expect(rng.random()).toBe(big.next);
    });
  }
});

describe('PythonRandom', () => {
  it('seed() restarts the stream, and a negative seed equals its absolute value', () => {
    const rng = new PythonRandom(7);
    const first = [rng.random(), rng.random()];
    rng.seed(7);
    expect([rng.random(), rng.random()]).toEqual(first);
    rng.seed(-7);
    expect(rng.random()).toBe(first[0]);
    expect(new PythonRandom(7n).random()).toBe(first[0]);
  });

  it('defaults to the lecture seed 42', () => {
    expect(new PythonRandom().random()).toBe(new PythonRandom(42).random());
  });

  it('randbelow is uniform: every residue of 6 about equally often', () => {
    const rng = new PythonRandom(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.randbelow(6)]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400); // ~4 sigma
  });

  it('rejects bad arguments with the argument named', () => {
    expect(() => new PythonRandom(1.5)).toThrow(
      "Argument 'n' passed to 'PythonRandom.seed' must be a safe integer or a bigint, got 1.5",
    );
    expect(() => new PythonRandom(2 ** 60)).toThrow(TypeError);
    expect(() => new PythonRandom().getrandbits(54)).toThrow(
      "Argument 'k' passed to 'PythonRandom.getrandbits' must be an integer in [0, 53], got 54",
    );
    expect(() => new PythonRandom().randbelow(0)).toThrow(
      "Argument 'n' passed to 'PythonRandom.randbelow' must be a positive safe integer, got 0",
    );
  });
});
