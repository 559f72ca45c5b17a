/**
 * Random tensors that reproduce PyTorch's CPU streams exactly (see ../shared/NOTES-RNG.md):
 * the same seed gives the same numbers as `torch.Generator().manual_seed(seed)`.
 */

import { DEFAULT_SEED, Generator } from '@llm-playground/core';
import { CaptureError, isCapturing } from './capture-tape.js';
import { type CreateOptions, checkShape } from './creation.js';
import { allocate, isFloating } from './dtype.js';
import { DTypeError, ShapeError } from './errors.js';
import { logf, sincosf } from './kernels/avx-mathfun.js';
import { optionsArg } from './options.js';
import { numel, type Shape } from './shape.js';
import { Tensor } from './tensor.js';

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

const RANDOM_KEYS = ['dtype', 'requiresGrad', 'generator'] as const;

let defaultGenerator: Generator | null = null;

/**
 * The generator used when none is passed (seeded with PyTorch's default seed on first use).
 *
 * @example
 * ```ts
 * getDefaultGenerator().initialSeed(); // 67280421310721
 * ```
 */
export function getDefaultGenerator(): Generator {
  if (defaultGenerator === null) defaultGenerator = new Generator(DEFAULT_SEED);
  return defaultGenerator;
}

/**
 * Re-seeds the default generator and returns it (PyTorch's `torch.manual_seed`).
 *
 * @example
 * ```ts
 * manualSeed(2147483647);
 * rand([3]).tolist(); // ≈ [0.7081288695335388, 0.3542391061782837, 0.10543233156204224]
 * manualSeed(67280421310721);
 * ```
 */
export function manualSeed(seed: number | bigint): Generator {
  return getDefaultGenerator().manualSeed(seed);
}

const gen = (options: RandomOptions): Generator => {
  if (isCapturing()) {
    throw new CaptureError(
      'a random draw inside captureStep would be made once, at capture time, and repeat on every replay; draw outside the step and pass the tensors as inputs (or wrap the draw in replayEagerly)',
    );
  }
  return options.generator ?? getDefaultGenerator();
};

/** The output of a floating sampler (float32 by default); other dtypes get PyTorch's error naming its `kernel`. */
function floatingOutput(shape: Shape, options: RandomOptions, kernel: string) {
  optionsArg(options, kernel === 'normal_kernel_cpu' ? 'randn' : 'rand', RANDOM_KEYS);
  checkShape(shape);
  const dtype = options.dtype ?? 'float32';
  if (!isFloating(dtype)) throw new DTypeError(`"${kernel}" not implemented for '${dtype}'`);
  return { dtype, out: allocate(dtype, numel(shape)) };
}

/**
 * Uniform [0, 1): float32 uses 24 bits of one 32-bit output, float64 53 bits of two.
 *
 * @example
 * ```ts
 * const g = new Generator(2147483647);
 * rand([3], { generator: g }).toString(); // 'tensor([0.7081, 0.3542, 0.1054])'
 * ```
 */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  const { dtype, out } = floatingOutput(shape, options, 'check_uniform_bounds');
  const g = gen(options);
  const n = out.length;
  if (dtype === 'float32') for (let i = 0; i < n; i++) out[i] = g.rand();
  else for (let i = 0; i < n; i++) out[i] = g.randDouble();
  return new Tensor(out, shape, { requiresGrad: options.requiresGrad ?? false });
}

/**
 * Standard normal. Below 16 elements PyTorch draws Box–Muller pairs from uniform doubles; from 16 on
 * it fills uniforms first and transforms blocks of 16 in place (the tail block redrawn). Both paths
 * are reproduced here.
 *
 * @example
 * ```ts
 * randn([5], { generator: new Generator(2147483647) }).toString(); // 'tensor([-0.9800, -1.6578, -0.0572, -0.3409,  2.0992])'
 * ```
 */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  const { dtype, out } = floatingOutput(shape, options, 'normal_kernel_cpu');
  const g = gen(options);
  const n = out.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = g.randn();
  } else {
    const uniform = dtype === 'float32' ? () => g.rand() : () => g.randDouble();
    for (let i = 0; i < n; i++) out[i] = uniform();
    // float32 follows PyTorch's AVX2 kernel (single-precision Cephes log/sincos); float64 its scalar
    // kernel in double. NOTE: float64 can differ from PyTorch in the last bit where V8's Math.cos/sin
    // and glibc's round differently.
    const twoPi = Math.fround(2 * Math.PI);
    const block =
      dtype === 'float32'
        ? (start: number) => {
            for (let j = 0; j < 8; j++) {
              const u1 = Math.fround(1 - out[start + j]);
              const u2 = out[start + j + 8];
              const radius = Math.fround(Math.sqrt(Math.fround(-2 * logf(u1))));
              const [sin, cos] = sincosf(Math.fround(twoPi * u2));
              out[start + j] = Math.fround(cos * radius);
              out[start + j + 8] = Math.fround(sin * radius);
            }
          }
        : (start: number) => {
            for (let j = 0; j < 8; j++) {
              const u1 = 1 - out[start + j];
              const u2 = out[start + j + 8];
              const radius = Math.sqrt(-2 * Math.log(u1));
              const theta = 2 * Math.PI * u2;
              out[start + j] = radius * Math.cos(theta);
              out[start + j + 8] = radius * Math.sin(theta);
            }
          };
    for (let start = 0; start + 16 <= n; start += 16) block(start);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = uniform();
      block(n - 16);
    }
  }
  return new Tensor(out, shape, { requiresGrad: options.requiresGrad ?? false });
}

/**
 * Integers in [low, high): `low + output mod (high − low)` per element. int32 by default.
 *
 * @example
 * ```ts
 * randint(0, 100, [8], { generator: new Generator(2147483647) }).tolist(); // [31, 94, 49, 72, 53, 80, 84, 16]
 * ```
 */
export function randint(
  low: number,
  high: number,
  shape: Shape,
  options: RandomOptions = {},
): Tensor {
  optionsArg(options, 'randint', RANDOM_KEYS);
  checkShape(shape);
  const g = gen(options);
  const n = numel(shape);
  const out = allocate(options.dtype ?? 'int32', n);
  for (let i = 0; i < n; i++) out[i] = g.randint(low, high);
  return new Tensor(out, shape);
}

/**
 * A random permutation of 0…n−1 (int32).
 *
 * @example
 * ```ts
 * randperm(10, { generator: new Generator(2147483647) }).tolist(); // [1, 9, 7, 4, 0, 5, 6, 8, 3, 2]
 * ```
 */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  optionsArg(options, 'randperm', RANDOM_KEYS);
  const perm = gen(options).randperm(n);
  return new Tensor(options.dtype && options.dtype !== 'int32' ? Float32Array.from(perm) : perm, [
    n,
  ]);
}

/**
 * Draws `numSamples` category indices per row of `probs` (1-d or 2-d, non-negative weights, not
 * necessarily normalised). With replacement: one uniform double per draw, searched in the running
 * cumulative sum divided by the total (PyTorch's CPU algorithm). Without: the k largest p/q where q are
 * exponential draws.
 *
 * @example
 * ```ts
 * const g = new Generator(2147483647);
 * const p = rand([3], { generator: g });
 * multinomial(p.div(p.sum()), 8, { replacement: true, generator: g }).tolist(); // [1, 1, 2, 0, 0, 2, 1, 1]
 * multinomial(p, 2, true).shape; // [2]
 * ```
 */
export function multinomial(
  probs: Tensor,
  numSamples: number,
  replacementOrOptions: boolean | { replacement?: boolean; generator?: Generator } = {},
): Tensor {
  // PyTorch's positional form `multinomial(p, n, True)` means replacement; honoured, not ignored.
  const options =
    typeof replacementOrOptions === 'boolean'
      ? { replacement: replacementOrOptions }
      : optionsArg<{ replacement: boolean; generator: Generator }>(
          replacementOrOptions,
          'multinomial',
          ['replacement', 'generator'],
        );
  if (!isFloating(probs.dtype))
    throw new DTypeError(
      `multinomial only supports floating-point dtypes for input, got: ${probs.dtype}`,
    );
  if (probs.ndim < 1 || probs.ndim > 2)
    throw new ShapeError(`prob_dist must be 1 or 2 dim, got ${probs.ndim}`);
  const replacement = options.replacement ?? false;
  const categories = probs.shape[probs.ndim - 1];
  const rows = probs.ndim === 2 ? probs.shape[0] : 1;
  if (!Number.isInteger(numSamples) || numSamples <= 0)
    throw new RangeError(`cannot sample n_sample <= 0 samples (got ${numSamples})`);
  if (!replacement && numSamples > categories) {
    throw new RangeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  }
  const g = gen(options);
  const p = probs.data;
  const f = probs.dtype === 'float32' ? Math.fround : (v: number) => v;
  const out = new Int32Array(rows * numSamples);
  const cumulative = new Float64Array(categories);
  for (let r = 0; r < rows; r++) {
    const base = r * categories;
    let total = 0;
    for (let c = 0; c < categories; c++) {
      const v = p[base + c];
      if (!(v >= 0) || !Number.isFinite(v))
        throw new RangeError('probability tensor contains either `inf`, `nan` or element < 0');
      total = f(total + v);
      cumulative[c] = total;
    }
    if (total <= 0)
      throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
    if (replacement) {
      for (let c = 0; c < categories; c++) cumulative[c] = f(cumulative[c] / total);
      for (let s = 0; s < numSamples; s++) {
        const u = g.randDouble();
        let lo = 0;
        let hi = categories;
        while (hi - lo > 0) {
          const mid = lo + ((hi - lo) >> 1);
          if (cumulative[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        out[r * numSamples + s] = Math.min(lo, categories - 1);
      }
    } else {
      const keys = new Float64Array(categories);
      for (let c = 0; c < categories; c++) {
        const q = f(-Math.log1p(-g.randDouble()));
        keys[c] = f(p[base + c] / q);
      }
      const order = Array.from({ length: categories }, (_, c) => c).sort(
        (a, b) => keys[b] - keys[a] || a - b,
      );
      for (let s = 0; s < numSamples; s++) out[r * numSamples + s] = order[s];
    }
  }
  return new Tensor(out, probs.ndim === 2 ? [rows, numSamples] : [numSamples]);
}
