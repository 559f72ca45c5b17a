/**
 * numpy's legacy `RandomState` (what `np.random.seed(n)` and scikit-learn's `random_state` use),
 * bit for bit, for the parts micrograd's demo.ipynb touches through `make_moons`: `shuffle` of an
 * index array and `normal`. Same MT19937 engine as PyTorch (core's `MersenneTwister`, seeded with
 * `init_genrand` for an integer seed, as numpy's `_legacy_seeding` does), with numpy's own
 * conversions: 53-bit doubles from two words, rejection-sampled bounded integers, and the polar
 * Box–Muller `legacy_gauss` that caches its second value. With `sklearnMakeMoons` it gives the
 * points of micrograd's demo.ipynb (`lmp micrograd moons --lecture`); `PythonRandom` is the
 * same idea for Python's `random`.
 */
import { MersenneTwister } from '@llm-playground/core';
import type { Moons } from './moons.js';

/**
 * `numpy.random.RandomState(seed)` (legacy seeding, integer seed).
 *
 * NOTE: numpy's other seeds (arrays, `None`) and draws (`randint`, `choice`, …) are not here: only
 * what make_moons uses.
 *
 * @example
 * ```ts
 * const rs = new NumpyRandomState(1337); // np.random.seed(1337)
 * rs.randomSample(); // 0.2620246750155817
 * ```
 */
export class NumpyRandomState {
  private readonly engine = new MersenneTwister();
  private gauss: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(
        `NumpyRandomState: seed must be an integer between 0 and 2**32 - 1, got ${seed}`,
      );
    }
    this.engine.seed(seed >>> 0);
  }

  /** `random_sample()`: a double in [0, 1) from two 32-bit words (27 + 26 bits). */
  randomSample(): number {
    const a = this.engine.nextUint32() >>> 5;
    const b = this.engine.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** numpy's `random_interval(max)`: a uniform integer in [0, max] by masked rejection. */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const value = (this.engine.nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** `shuffle(x)` of a 1-D array, in place: Fisher–Yates from the end, as numpy's legacy shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** `legacy_gauss`: polar Box–Muller; every other call returns the cached second value. */
  standardNormal(): number {
    if (this.gauss !== undefined) {
      const cached = this.gauss;
      this.gauss = undefined;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }

  /** `normal(loc, scale)`: one draw, `loc + scale · standard normal`. */
  normal(loc: number, scale: number): number {
    return loc + scale * this.standardNormal();
  }
}

/**
 * scikit-learn's `make_moons(n_samples, noise, shuffle=True, random_state=rs)`: two interleaved
 * half circles (`n // 2` outer points first, labelled 0), shuffled with `rs.shuffle` of the index
 * array, then `noise · normal` added to every coordinate in row-major order.
 *
 * @example
 * ```ts
 * const { X, y } = sklearnMakeMoons(100, 0.1, new NumpyRandomState(1337)); // demo.ipynb's data
 * X[0]; // [1.1221146075409685, 0.08147717341718697]
 * y.slice(0, 4); // [0, 0, 1, 0]
 * ```
 */
export function sklearnMakeMoons(nSamples: number, noise: number, rs: NumpyRandomState): Moons {
  if (!Number.isInteger(nSamples) || nSamples < 1) {
    throw new RangeError(
      `Argument 'nSamples' passed to 'sklearnMakeMoons' must be a positive integer, got ${nSamples}`,
    );
  }
  if (!(noise >= 0)) {
    throw new RangeError(
      `Argument 'noise' passed to 'sklearnMakeMoons' must be a number ≥ 0, got ${noise}`,
    );
  }
  const nOut = Math.floor(nSamples / 2);
  const nIn = nSamples - nOut;
  // np.linspace(0, pi, n): start + k·step, the last point exactly pi.
  const linspace = (n: number) =>
    Array.from({ length: n }, (_, k) =>
      n === 1 ? 0 : k === n - 1 ? Math.PI : (k * Math.PI) / (n - 1),
    );
  const points: [number, number][] = [];
  for (const t of linspace(nOut)) points.push([Math.cos(t), Math.sin(t)]);
  for (const t of linspace(nIn)) points.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
  const labels = [...new Array(nOut).fill(0), ...new Array(nIn).fill(1)];
  const order = rs.shuffle(Array.from({ length: nSamples }, (_, k) => k));
  const X = order.map((k) => [points[k][0], points[k][1]] as [number, number]);
  const y = order.map((k) => labels[k]);
  if (noise > 0) {
    for (const point of X) {
      point[0] += rs.normal(0, noise);
      point[1] += rs.normal(0, noise);
    }
  }
  return { X, y };
}
