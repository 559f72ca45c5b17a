/**
 * CPython's `random` module (3.11), bit for bit, for the parts the lectures use:
 * `random.seed(42); random.shuffle(words)` before the train/dev/test split.
 *
 * Python's generator is the same 32-bit Mersenne Twister as PyTorch's, but seeded differently:
 * `seed(n)` runs the reference `init_by_array` with the key |n| cut into 32-bit words (least
 * significant first), where PyTorch (core's `Generator`) uses the single-integer `init_genrand`.
 * So the same seed gives different streams, and this class exists only to reproduce Python's.
 * Both use core's `MersenneTwister` engine (`seed` is `init_genrand`, `seedByArray` `init_by_array`).
 */

import { MersenneTwister } from '@llm-playground/core';

/** The seed used when none is given: the lectures' 42 (Python itself would seed from the OS). */
const DEFAULT_PYTHON_SEED = 42;

/**
 * Python's `random.Random`: Mersenne Twister seeded like CPython, with `random()`, `getrandbits`,
 * `randbelow` (CPython's `_randbelow`) and `shuffle` consuming the stream exactly as CPython 3.11
 * does.
 *
 * NOTE: unlike Python, `new PythonRandom()` without a seed is deterministic (seed 42), because
 * nothing in this project draws from hidden entropy.
 *
 * @example
 * ```ts
 * const rng = new PythonRandom(42); // random.seed(42)
 * rng.random(); // 0.6394267984578837
 * rng.shuffle(['a', 'b', 'c', 'd', 'e']); // ['b', 'd', 'e', 'c', 'a']
 * ```
 */
export class PythonRandom {
  /** The raw 32-bit stream; the methods below consume it as CPython's `_random` does. */
  private readonly engine = new MersenneTwister();

  constructor(seed: number | bigint = DEFAULT_PYTHON_SEED) {
    this.seed(seed);
  }

  /**
   * Re-seeds like Python's `random.seed(n)` for an integer `n`: the key is `|n|` in 32-bit words,
   * least significant first (`[0]` for 0), fed to MT19937's `init_by_array`. Integers beyond 2^53
   * can be given as a `bigint`.
   *
   * @example
   * ```ts
   * const rng = new PythonRandom();
   * // random.seed(2**40 + 7): a two-word key [7, 256]
   * rng.seed(2 ** 40 + 7);
   * rng.random(); // 0.6137037779936511
   * ```
   */
  seed(n: number | bigint): void {
    let value: bigint;
    if (typeof n === 'bigint') value = n;
    else if (Number.isSafeInteger(n)) value = BigInt(n);
    else {
      throw new TypeError(
        `Argument 'n' passed to 'PythonRandom.seed' must be a safe integer or a bigint, got ${String(n)}`,
      );
    }
    if (value < 0n) value = -value;
    const key: number[] = [];
    do {
      key.push(Number(value & 0xffffffffn));
      value >>= 32n;
    } while (value > 0n);
    this.engine.seedByArray(key);
  }

  /**
   * A float in [0, 1) with 53 random bits, as Python's `random()`: `(a·2^26 + b) / 2^53` with
   * `a` the top 27 bits of one output and `b` the top 26 bits of the next.
   *
   * @example
   * ```ts
   * new PythonRandom(0).random(); // 0.8444218515250481
   * ```
   */
  random(): number {
    const a = this.engine.nextUint32() >>> 5;
    const b = this.engine.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * An integer with `k` random bits (0 ≤ k ≤ 53), as Python's `getrandbits(k)`: for k ≤ 32 one
   * output shifted right by 32 − k; for larger k whole 32-bit words from the least significant up,
   * the last one shifted like the k ≤ 32 case.
   *
   * @example
   * ```ts
   * new PythonRandom(42).getrandbits(8); // 163
   * ```
   */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 53) {
      throw new RangeError(
        `Argument 'k' passed to 'PythonRandom.getrandbits' must be an integer in [0, 53], got ${k}`,
      );
    }
    if (k === 0) return 0; // Python returns 0 without drawing
    if (k <= 32) return this.engine.nextUint32() >>> (32 - k);
    const low = this.engine.nextUint32();
    const high = this.engine.nextUint32() >>> (64 - k);
    return high * 4294967296 + low;
  }

  /**
   * A uniform integer in [0, n), as CPython's `_randbelow`: draw `getrandbits(bitLength(n))` until
   * it is below `n` (rejection sampling, so no modulo bias; each try succeeds with chance > 1/2).
   *
   * @example
   * ```ts
   * new PythonRandom(0).randbelow(10); // 6
   * ```
   */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(
        `Argument 'n' passed to 'PythonRandom.randbelow' must be a positive safe integer, got ${n}`,
      );
    }
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /**
   * Shuffles `items` in place and returns them, as Python's `random.shuffle`: for i from the last
   * index down to 1, swap `items[i]` with `items[randbelow(i + 1)]` (Fisher–Yates).
   *
   * NOTE: unlike Python, which returns `None`, the same array is returned for chaining.
   *
   * @example
   * ```ts
   * new PythonRandom(42).shuffle([1, 2, 3, 4, 5, 6]); // [4, 2, 3, 5, 1, 6]
   * ```
   */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

/** Python's `int.bit_length()` for a positive safe integer. */
function bitLength(n: number): number {
  return n < 4294967296 ? 32 - Math.clz32(n) : 32 + bitLength(Math.floor(n / 4294967296));
}
