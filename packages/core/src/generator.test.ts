import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, Generator, type GeneratorState } from './generator.js';

/** `count` draws of `draw` from a fresh generator seeded with `seed`. */
function draws<T>(seed: number, count: number, draw: (g: Generator) => T): T[] {
  const g = new Generator(seed);
  return Array.from({ length: count }, () => draw(g));
}

describe('PyTorch reference values (torch 1.13, CPU)', () => {
  it('seed 2147483647: torch.rand(3)', () => {
    const values = draws(2147483647, 3, (g) => g.rand());
    expect(values.map((x) => x.toFixed(4))).toEqual(['0.7081', '0.3542', '0.1054']);
    // Exactly the float32 values PyTorch prints with full precision.
    expect(values).toEqual([0.7081288695335388, 0.3542391061782837, 0.10543233156204224]);
    for (const x of values) expect(Math.fround(x)).toBe(x);
  });

  it('seed 2147483647: torch.randn(5)', () => {
    const values = draws(2147483647, 5, (g) => g.randn());
    expect(values.map((x) => x.toFixed(4))).toEqual([
      '-0.9800',
      '-1.6578',
      '-0.0572',
      '-0.3409',
      '2.0992',
    ]);
  });

  it('seed 2147483647: torch.randint(0, 100, (8,))', () => {
    expect(draws(2147483647, 8, (g) => g.randint(0, 100))).toEqual([
      31, 94, 49, 72, 53, 80, 84, 16,
    ]);
  });

  it('seed 2147483647: torch.randperm(10)', () => {
    expect(Array.from(new Generator(2147483647).randperm(10))).toEqual([
      1, 9, 7, 4, 0, 5, 6, 8, 3, 2,
    ]);
  });

  it('seed 42: torch.randn(3)', () => {
    expect(draws(42, 3, (g) => g.randn().toFixed(4))).toEqual(['0.3367', '0.1288', '0.2345']);
  });

  it('randn(mean, std) scales the same stream', () => {
    const standard = draws(42, 3, (g) => g.randn());
    const scaled = draws(42, 3, (g) => g.randn(1, 2));
    for (let i = 0; i < 3; i++) expect(scaled[i]).toBeCloseTo(1 + 2 * standard[i], 14);
  });
});

describe('MT19937', () => {
  it('seed 5489 (the reference default): first output 3499211612', () => {
    expect(new Generator(5489).nextUint32()).toBe(3499211612);
  });

  it('seed 5489: the 10000th output is 4123659995 (C++ std::mt19937 check)', () => {
    const g = new Generator(5489);
    for (let i = 0; i < 9999; i++) g.nextUint32();
    expect(g.nextUint32()).toBe(4123659995);
  });

  it('uses the seed mod 2^32; negative seeds as 64-bit two’s complement; bigint seeds', () => {
    const first = (seed: number | bigint) => new Generator(seed).nextUint32();
    expect(first(5489 + 2 ** 32)).toBe(3499211612);
    expect(first(5489n)).toBe(3499211612);
    expect(first(-1)).toBe(first(2 ** 32 - 1));
    expect(first(2n ** 64n - 1n)).toBe(first(2 ** 32 - 1));
  });
});

describe('determinism and state', () => {
  it('the same seed gives the same streams; another seed does not', () => {
    const mixed = (g: Generator) => [
      g.rand(),
      g.randn(),
      g.randint(-5, 5),
      g.randDouble(),
      g.uniform(2, 3),
    ];
    expect(draws(7, 20, mixed)).toEqual(draws(7, 20, mixed));
    expect(draws(8, 20, mixed)).not.toEqual(draws(7, 20, mixed));
  });

  it('manualSeed re-seeds, resets the cached normal and returns this', () => {
    const g = new Generator(1);
    g.randn(); // caches the second Box–Muller value
    expect(g.manualSeed(42)).toBe(g);
    expect(g.randn().toFixed(4)).toBe('0.3367');
    expect(g.initialSeed()).toBe(42);
    expect(new Generator().manualSeed(42).randn().toFixed(4)).toBe('0.3367');
    expect(new Generator().initialSeed()).toBe(DEFAULT_SEED);
  });

  it('has one manualSeed: the method (the free function with another meaning is gone)', async () => {
    // tensor's `manualSeed(seed)` re-seeds the global generator, as torch.manual_seed does; core
    // exports no function of that name, so the name means one thing across the packages.
    const core = await import('./index.js');
    expect('manualSeed' in core).toBe(false);
  });

  it('getState/setState restore the stream exactly, including the cached normal and via JSON', () => {
    const g = new Generator(2147483647);
    for (let i = 0; i < 700; i++) g.nextUint32(); // cross a twist boundary
    g.randn(); // leaves a cached normal in the state
    const state: GeneratorState = JSON.parse(JSON.stringify(g.getState()));
    const next = (gen: Generator) => [gen.randn(), gen.rand(), gen.randint(0, 1000), gen.randn()];
    const expected = next(g);
    expect(next(new Generator(0).setState(state))).toEqual(expected);
    expect(next(g.setState(state))).toEqual(expected);
  });

  it('uniform(low, high) stays in range; rand in [0, 1) on 24 bits', () => {
    const g = new Generator(3);
    for (let i = 0; i < 1000; i++) {
      const u = g.uniform(-2, 5);
      expect(u).toBeGreaterThanOrEqual(-2);
      expect(u).toBeLessThan(5);
      const r = g.rand();
      expect(Number.isInteger(r * 2 ** 24)).toBe(true);
    }
  });

  it('shuffle applies the same permutation as randperm', () => {
    const perm = Array.from(new Generator(11).randperm(26));
    const letters = Array.from('abcdefghijklmnopqrstuvwxyz');
    const shuffled = new Generator(11).shuffle(letters.slice());
    expect(shuffled).toEqual(perm.map((i) => letters[i]));
    expect([...shuffled].sort()).toEqual(letters);
  });
});

describe('bad arguments', () => {
  const bad = (x: unknown) => x as number;
  it('bad seeds', () => {
    expect(() => new Generator(1.5)).toThrow(
      new TypeError(
        "Argument 'seed' passed to 'manualSeed' must be a safe integer or a bigint, got number 1.5",
      ),
    );
    expect(() => new Generator(Number.NaN)).toThrow(/got number NaN/);
    expect(() => new Generator(2 ** 60)).toThrow(/safe integer/);
    expect(() => new Generator(bad('42'))).toThrow(/got string '42'/);
    expect(() => new Generator(2n ** 64n)).toThrow(
      new RangeError(
        "Argument 'seed' passed to 'manualSeed' must be in [-2^63, 2^64), got 18446744073709551616",
      ),
    );
  });

  it('bad bounds, sizes and states', () => {
    const g = new Generator(1);
    expect(() => g.randint(5, 5)).toThrow(/from=5 >= to=5/);
    expect(() => g.randint(0.5, 3)).toThrow(
      /'low' and 'high' passed to 'randint' must be integers, got low=0.5, high=3/,
    );
    expect(() => g.randint(0, 2 ** 33)).toThrow(/up to 2\^32/);
    expect(() => g.randperm(-1)).toThrow(
      /Argument 'n' passed to 'randperm' must be a non-negative integer, got number -1/,
    );
    expect(() => g.setState(bad({ mt: [1, 2, 3] }) as never)).toThrow(
      /Argument 'state' passed to 'setState'/,
    );
    const state = g.getState();
    expect(() => g.setState({ ...state, mti: 9999 })).toThrow(TypeError);
    expect(() => g.setState({ ...state, mt: state.mt.map(() => -1) })).toThrow(TypeError);
  });
});
