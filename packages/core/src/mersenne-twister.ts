/**
 * The 32-bit Mersenne Twister (MT19937, Matsumoto & Nishimura 1998), as in the authors' reference
 * `mt19937ar.c`: 624 words of state, a "twist" that regenerates all of them every 624 outputs, and
 * a tempering of each word on the way out. PyTorch's CPU generator and CPython's `random` both use
 * this engine; they differ only in how a seed becomes the initial state (`seed` vs `seedByArray`)
 * and in how outputs become floats and integers, which `Generator` (PyTorch) and the data
 * package's `PythonRandom` (CPython) add on top.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The reference implementation's default seed (`genrand` before any `init_genrand`). */
const REFERENCE_DEFAULT_SEED = 5489;

/**
 * The MT19937 engine: raw unsigned 32-bit outputs from a seeded state.
 *
 * @example
 * ```ts
 * new MersenneTwister().seed(5489).nextUint32(); // 3499211612
 * const mt = new MersenneTwister().seedByArray([0x123, 0x234, 0x345, 0x456]);
 * [mt.nextUint32(), mt.nextUint32()]; // [1067595299, 955945823]
 * ```
 */
export class MersenneTwister {
  private readonly mt = new Uint32Array(N);
  /** Index of the next word to temper; N means "twist first". */
  private mti = N;

  /** Seeds with `seed(seed)`; the default 5489 is the reference implementation's. */
  constructor(seed: number = REFERENCE_DEFAULT_SEED) {
    this.seed(seed);
  }

  /**
   * The reference `init_genrand(s)`: `mt[0] = s`, `mt[i] = 1812433253·(mt[i−1] ⊕ (mt[i−1] ≫ 30)) + i`
   * modulo 2^32. PyTorch seeds this way (with the seed mod 2^32). Returns `this`.
   *
   * @example
   * ```ts
   * new MersenneTwister().seed(2147483647).nextUint32(); // 1689602031
   * new MersenneTwister().seed(-1); // throws RangeError
   * ```
   */
  seed(s: number): this {
    if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) {
      throw new RangeError(
        `Argument 's' passed to 'MersenneTwister.seed' must be an integer in [0, 2^32), got ${String(s)}`,
      );
    }
    const mt = this.mt;
    mt[0] = s;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // Math.imul keeps the product modulo 2^32 without losing precision in a double.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
    return this;
  }

  /**
   * The reference `init_by_array(key)`: `init_genrand(19650218)`, then two passes that mix every
   * key word into the state. CPython's `random.seed(n)` calls it with |n| in 32-bit words, least
   * significant first. Returns `this`.
   *
   * @example
   * ```ts
   * const mt = new MersenneTwister().seedByArray(new Uint32Array([0x123, 0x234, 0x345, 0x456]));
   * mt.nextUint32(); // 1067595299
   * new MersenneTwister().seedByArray([]); // throws RangeError
   * ```
   */
  seedByArray(key: Uint32Array | number[]): this {
    if (key.length === 0) {
      throw new RangeError(
        "Argument 'key' passed to 'MersenneTwister.seedByArray' must hold at least one word, got []",
      );
    }
    if (!(key instanceof Uint32Array)) {
      const bad = key.findIndex((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff);
      if (bad >= 0) {
        throw new RangeError(
          `Argument 'key' passed to 'MersenneTwister.seedByArray' must hold integers in [0, 2^32), got key[${bad}] = ${String(key[bad])}`,
        );
      }
    }
    const mt = this.mt;
    this.seed(19650218);
    let i = 1;
    let j = 0;
    // Math.imul keeps the products modulo 2^32, as the C code's unsigned long arithmetic does.
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000; // MSB is 1, assuring a non-zero initial array
    this.mti = N;
    return this;
  }

  /**
   * The next output, an unsigned 32-bit integer (the reference `genrand_int32`).
   *
   * @example
   * ```ts
   * const mt = new MersenneTwister(5489);
   * [mt.nextUint32(), mt.nextUint32()]; // [3499211612, 581869302]
   * ```
   */
  nextUint32(): number {
    // Kept small so that V8 inlines it into the callers' hot loops; the twist is out of line.
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++];
    // Tempering: an invertible bit mix that improves the equidistribution of the outputs.
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A snapshot of the state as plain data (JSON-serialisable).
   *
   * @example
   * ```ts
   * const mt = new MersenneTwister(1);
   * const saved = mt.getState();
   * const first = mt.nextUint32();
   * mt.setState(saved).nextUint32() === first; // true
   * ```
   */
  getState(): MersenneTwisterState {
    return { mt: Array.from(this.mt), mti: this.mti };
  }

  /**
   * Restores a snapshot taken by `getState()`; the state is unchanged when `state` is invalid.
   *
   * @example
   * ```ts
   * new MersenneTwister().setState({ mt: [1, 2, 3], mti: 0 }); // throws TypeError
   * ```
   */
  setState(state: MersenneTwisterState): this {
    const valid =
      state !== null &&
      typeof state === 'object' &&
      Array.isArray(state.mt) &&
      state.mt.length === N &&
      state.mt.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
      Number.isInteger(state.mti) &&
      state.mti >= 0 &&
      state.mti <= N;
    if (!valid) {
      throw new TypeError(
        `Argument 'state' passed to 'setState' must be a state from getState() ` +
          `(mt: ${N} unsigned 32-bit words, mti in [0, ${N}])`,
      );
    }
    this.mt.set(state.mt);
    this.mti = state.mti;
    return this;
  }

  /**
   * Regenerates all N words: each new word is `mt[k+M] ⊕ A(upper bit of mt[k] | lower 31 bits of
   * mt[k+1])`, where A shifts right by one and XORs MATRIX_A when the low bit is set.
   */
  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.mti = 0;
  }
}

/**
 * Plain-data state of a `MersenneTwister`: the 624 words and the index of the next one.
 *
 * @example
 * ```ts
 * const state: MersenneTwisterState = new MersenneTwister(1).getState();
 * [state.mt.length, state.mti]; // [624, 624]
 * ```
 */
export interface MersenneTwisterState {
  mt: number[];
  mti: number;
}
