/**
 * A seeded random number generator that produces the same streams as PyTorch's CPU generator:
 * the 32-bit Mersenne Twister (MT19937) with PyTorch's ways of turning its outputs into floats,
 * normals, integers and permutations. A learner's `manualSeed(2147483647)` means the same thing here
 * as in the lectures.
 *
 * NOTE: single-number methods (`rand()`, `randn()`, …) consume the stream exactly as a PyTorch call
 * of size 1 would (`torch.rand(1)`, `torch.randn(1)`); a tensor library built on top fills larger
 * tensors with PyTorch's vectorised rules (see `../shared/NOTES-RNG.md`).
 */

import { MersenneTwister } from './mersenne-twister.js';

/**
 * PyTorch's default seed for its global generator (`default_rng_seed_val`).
 *
 * @example
 * ```ts
 * new Generator().initialSeed() === DEFAULT_SEED; // true
 * ```
 */
export const DEFAULT_SEED = 67280421310721;

/**
 * PyTorch's CPU random generator (`torch.Generator`): MT19937 plus PyTorch's rules for floats,
 * normals, integers and permutations.
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(2147483647); // torch.Generator().manual_seed(2147483647)
 * [g.rand(), g.rand(), g.rand()].map((x) => x.toFixed(4)); // ['0.7081', '0.3542', '0.1054']
 * ```
 */
export class Generator {
  /** The raw 32-bit stream; everything below turns its outputs into PyTorch's numbers. */
  private readonly engine = new MersenneTwister();
  private seedValue = 0;
  /** Box–Muller's second value, kept for the next `randn()` as PyTorch's scalar path does. */
  private nextNormal: number | null = null;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the stream (standard MT19937 single-integer initialisation of `seed mod 2^32`, as
   * PyTorch's CPU generator does) and returns `this`, so `new Generator().manualSeed(42)` chains.
   *
   * @example
   * ```ts
   * new Generator().manualSeed(42).randn().toFixed(4); // '0.3367'
   * ```
   */
  manualSeed(seed: number | bigint): this {
    let s: bigint;
    if (typeof seed === 'bigint') s = seed;
    else if (typeof seed === 'number' && Number.isSafeInteger(seed)) s = BigInt(seed);
    else {
      throw new TypeError(
        `Argument 'seed' passed to 'manualSeed' must be a safe integer or a bigint, got ${describe(seed)}`,
      );
    }
    // PyTorch accepts [-2^63, 2^64) and reads negative seeds as their 64-bit two's complement.
    if (s < -(2n ** 63n) || s >= 2n ** 64n) {
      throw new RangeError(
        `Argument 'seed' passed to 'manualSeed' must be in [-2^63, 2^64), got ${seed}`,
      );
    }
    const low = Number(BigInt.asUintN(32, s));
    this.seedValue = typeof seed === 'bigint' ? Number(seed) : seed;
    this.engine.seed(low);
    this.nextNormal = null;
    return this;
  }

  /**
   * The seed last given to `manualSeed` (PyTorch's `initial_seed()`).
   *
   * @example
   * ```ts
   * new Generator(7).initialSeed(); // 7
   * ```
   */
  initialSeed(): number {
    return this.seedValue;
  }

  /**
   * The next raw 32-bit output of the Mersenne Twister, as an unsigned integer.
   *
   * @example
   * ```ts
   * new Generator(5489).nextUint32(); // 3499211612
   * ```
   */
  nextUint32(): number {
    return this.engine.nextUint32();
  }

  /**
   * A uniform float in [0, 1) with 24 random bits: PyTorch's float32 `rand` for one element.
   *
   * @example
   * ```ts
   * new Generator(2147483647).rand(); // 0.7081288695335388
   * ```
   */
  rand(): number {
    return (this.nextUint32() & 0xffffff) * 2 ** -24;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits, from two outputs (the first is the high word):
   * PyTorch's `uniform` for doubles, used inside `randn`, `multinomial` and `exponential_`.
   *
   * @example
   * ```ts
   * new Generator(2147483647).randDouble(); // 0.6650313816112263
   * ```
   */
  randDouble(): number {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    // Low 53 bits of the 64-bit number hi·2^32 + lo: 21 bits of hi, all 32 of lo.
    return ((hi & 0x1fffff) * 4294967296 + lo) * 2 ** -53;
  }

  /**
   * A uniform number in [low, high) (float32 resolution, like `torch.empty(1).uniform_(low, high)`).
   *
   * @example
   * ```ts
   * new Generator(2147483647).uniform(-1, 1); // 0.41625773906707764
   * ```
   */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.rand();
  }

  /**
   * A standard normal sample (mean 0, std 1), by Box–Muller in double precision as PyTorch's scalar
   * path does: each pair of samples costs two uniform doubles, the second is cached.
   *
   * @example
   * ```ts
   * const g = new Generator(2147483647);
   * [g.randn(), g.randn()].map((x) => x.toFixed(4)); // ['-0.9800', '-1.6578']
   * ```
   */
  randn(mean = 0, std = 1): number {
    if (this.nextNormal !== null) {
      const cached = this.nextNormal;
      this.nextNormal = null;
      return mean + std * cached;
    }
    const u1 = this.randDouble();
    const u2 = this.randDouble();
    const radius = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.nextNormal = radius * Math.sin(theta);
    return mean + std * radius * Math.cos(theta);
  }

  /**
   * An integer in [low, high): `low + output mod (high − low)`, PyTorch's `randint` per element.
   *
   * @example
   * ```ts
   * const g = new Generator(2147483647);
   * [g.randint(0, 100), g.randint(0, 100)]; // [31, 94]
   * ```
   */
  randint(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) {
      throw new RangeError(
        `Arguments 'low' and 'high' passed to 'randint' must be integers, got low=${low}, high=${high}`,
      );
    }
    const range = high - low;
    if (range <= 0) {
      throw new RangeError(
        `random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`,
      );
    }
    if (range > 2 ** 32) {
      throw new RangeError(
        `'randint' supports ranges up to 2^32, got high - low = ${range} (low=${low}, high=${high})`,
      );
    }
    return low + (this.nextUint32() % range);
  }

  /**
   * A random permutation of 0…n−1 (PyTorch's `randperm` for n below 2^24 on the CPU).
   *
   * @example
   * ```ts
   * new Generator(2147483647).randperm(10); // [1, 9, 7, 4, 0, 5, 6, 8, 3, 2]
   * ```
   */
  randperm(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(
        `Argument 'n' passed to 'randperm' must be a non-negative integer, got ${describe(n)}`,
      );
    }
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = 0; i < n - 1; i++) {
      const z = this.nextUint32() % (n - i);
      const t = perm[i];
      perm[i] = perm[i + z];
      perm[i + z] = t;
    }
    return perm;
  }

  /**
   * Shuffles `items` in place with the `randperm` rule and returns it.
   *
   * @example
   * ```ts
   * new Generator(2147483647).shuffle(['a', 'b', 'c', 'd']); // ['d', 'a', 'b', 'c']
   * ```
   */
  shuffle<T>(items: T[]): T[] {
    const n = items.length;
    for (let i = 0; i < n - 1; i++) {
      const z = this.nextUint32() % (n - i);
      const t = items[i];
      items[i] = items[i + z];
      items[i + z] = t;
    }
    return items;
  }

  /**
   * A snapshot of the whole state, for checkpoints (PyTorch's `get_state()`).
   *
   * @example
   * ```ts
   * const g = new Generator(1);
   * const saved = g.getState();
   * const first = g.rand();
   * g.setState(saved).rand() === first; // true
   * ```
   */
  getState(): GeneratorState {
    const { mt, mti } = this.engine.getState();
    return {
      mt,
      mti,
      seed: this.seedValue,
      nextNormal: this.nextNormal,
    };
  }

  /**
   * Restores a snapshot taken by `getState()`.
   *
   * @example
   * ```ts
   * const saved = JSON.stringify(new Generator(3).getState());
   * new Generator().setState(JSON.parse(saved)).initialSeed(); // 3
   * ```
   */
  setState(state: GeneratorState): this {
    // The engine checks `mt` and `mti` (and changes nothing when they are invalid); this checks the rest.
    if (
      state === null ||
      typeof state !== 'object' ||
      (state.nextNormal !== null && typeof state.nextNormal !== 'number')
    ) {
      throw new TypeError(
        "Argument 'state' passed to 'setState' must be a state from getState() " +
          '(mt: 624 unsigned 32-bit words, mti in [0, 624], nextNormal a number or null)',
      );
    }
    this.engine.setState({ mt: state.mt, mti: state.mti });
    this.seedValue = state.seed;
    this.nextNormal = state.nextNormal;
    return this;
  }
}

/**
 * Plain-data state of a `Generator` (JSON-serialisable).
 *
 * @example
 * ```ts
 * const state: GeneratorState = new Generator(1).getState();
 * JSON.stringify(state).length > 0; // true
 * ```
 */
export interface GeneratorState {
  mt: number[];
  mti: number;
  seed: number;
  nextNormal: number | null;
}

function describe(x: unknown): string {
  if (typeof x === 'string') return `string '${x}'`;
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`;
}
