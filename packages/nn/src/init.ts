/**
 * In-place initializers (PyTorch's `torch.nn.init`). Each fills `t` without recording a graph and
 * returns it; every random one takes `{ generator }` (else the tensor package's seeded default).
 *
 * Kaiming (He) initialization keeps the variance of activations steady through a deep net:
 *   std = gain / √fan, where fan = fan_in (`mode: 'fanIn'`, preserves the forward pass) or fan_out,
 * and the uniform variant draws from U(−bound, bound) with bound = √3 · std (same variance).
 */
import type { Generator } from '@llm-playground/core';
import { noGrad, rand, randn, type Tensor, tensor } from '@llm-playground/tensor';
import { ConfigError } from './errors.js';

/** Nonlinearities `calculateGain` knows (PyTorch's names; `leakyRelu` is also accepted). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'selu';

export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (only for `'leaky_relu'`; default 0). */
  a?: number;
  /** Which fan scales the std (default `'fanIn'`; PyTorch's `'fan_in'`/`'fan_out'` are accepted). */
  mode?: 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';
  /** Default `'leaky_relu'` as in PyTorch (with `a = 0` that is ReLU's gain √2). */
  nonlinearity?: Nonlinearity;
  generator?: Generator;
}

/**
 * The recommended gain for a nonlinearity: 1 for linear and sigmoid, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + slope²)) for leaky relu (slope default 0.01), 3/4 for selu.
 *
 * @example
 * ```ts
 * calculateGain('tanh'); // 1.6666666666666667
 * calculateGain('relu'); // 1.4142135623730951
 * calculateGain('leaky_relu', 0.2); // ≈ 1.3867504905630728
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ConfigError(`Unsupported nonlinearity ${String(nonlinearity)}`);
  }
}

/** fan_in = size(1)·receptive field, fan_out = size(0)·receptive field (PyTorch's rule). */
function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) {
    throw new ConfigError(
      `Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [${t.shape.join(', ')}])`,
    );
  }
  let receptive = 1;
  for (let d = 2; d < t.ndim; d++) receptive *= t.shape[d];
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fill(t: Tensor, values: Tensor): Tensor {
  noGrad(() => t.copy_(values));
  return t;
}

function floatDtype(t: Tensor, op: string): 'float32' | 'float64' {
  if (t.dtype === 'int32')
    throw new ConfigError(`${op}: expected a floating-point tensor, got int32`);
  return t.dtype;
}

/**
 * Fills `t` with N(mean, std²) samples.
 *
 * @example
 * ```ts
 * const w = normal_(zeros([1000]), { std: 0.1, generator: new Generator(0) });
 * Math.abs(w.std().item() - 0.1) < 0.01; // true
 * ```
 */
export function normal_(
  t: Tensor,
  options: { mean?: number; std?: number; generator?: Generator } = {},
): Tensor {
  const dtype = floatDtype(t, 'normal_');
  const { mean = 0, std = 1, generator } = options;
  return fill(t, randn(t.shape, { dtype, generator }).mul(std).add(mean));
}

/**
 * Fills `t` with U(a, b) samples (`a + (b − a)·u`, u uniform in [0, 1)), the same numbers as
 * PyTorch's `t.uniform_(a, b, generator=g)` for the same seed.
 *
 * @example
 * ```ts
 * const w = uniform_(zeros([100]), { a: -2, b: 2, generator: new Generator(0) });
 * w.min().item() >= -2 && w.max().item() < 2; // true
 * ```
 */
export function uniform_(
  t: Tensor,
  options: { a?: number; b?: number; generator?: Generator } = {},
): Tensor {
  const dtype = floatDtype(t, 'uniform_');
  const { a = 0, b = 1, generator } = options;
  // PyTorch rounds a, b and (b − a) to the tensor's dtype, then computes u·(b − a) + a in double
  // and rounds once; doing the same keeps `Linear`'s init equal to PyTorch's for the same seed.
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  const low = round(a);
  const width = round(round(b) - low);
  const u = rand(t.shape, { dtype, generator }).data;
  return fill(
    t,
    tensor(
      Float64Array.from(u, (x) => x * width + low),
      { dtype, shape: t.shape },
    ),
  );
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { fanIn, fanOut } = fans(t);
  const mode = options.mode ?? 'fanIn';
  if (!['fanIn', 'fanOut', 'fan_in', 'fan_out'].includes(mode)) {
    throw new ConfigError(`Mode ${String(mode)} not supported, please use one of fanIn, fanOut`);
  }
  const fan = mode === 'fanIn' || mode === 'fan_in' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0) / Math.sqrt(fan);
}

/**
 * Kaiming normal: N(0, (gain/√fan)²).
 *
 * @example
 * ```ts
 * const w = kaimingNormal_(zeros([256, 400]), { nonlinearity: 'relu', generator: new Generator(0) });
 * Math.abs(w.std().item() - Math.sqrt(2 / 400)) < 0.002; // true
 * ```
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, { std: kaimingStd(t, options), generator: options.generator });
}

/**
 * Kaiming uniform: U(−bound, bound) with bound = gain·√(3/fan). PyTorch's `Linear` uses it with
 * `a = √5`, which makes bound = 1/√in_features.
 *
 * @example
 * ```ts
 * const w = kaimingUniform_(zeros([20, 9]), { a: Math.sqrt(5), generator: new Generator(0) });
 * w.abs().max().item() <= 1 / 3; // true
 * ```
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform_(t, { a: -bound, b: bound, generator: options.generator });
}

/** Options of the Xavier (Glorot) initializers. */
export interface XavierOptions {
  /** Scale factor (default 1; `calculateGain('tanh')` before a tanh). */
  gain?: number;
  generator?: Generator;
}

/**
 * Xavier (Glorot) normal: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).
 *
 * @example
 * ```ts
 * const w = xavierNormal_(zeros([300, 200]), { generator: new Generator(0) });
 * Math.abs(w.std().item() - Math.sqrt(2 / 500)) < 0.001; // true
 * ```
 */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  const std = (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal_(t, { std, generator: options.generator });
}

/**
 * Xavier (Glorot) uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)).
 *
 * @example
 * ```ts
 * const w = xavierUniform_(zeros([30, 20]), { gain: 2, generator: new Generator(0) });
 * w.abs().max().item() <= 2 * Math.sqrt(6 / 50); // true
 * ```
 */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  const { fanIn, fanOut } = fans(t);
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, { a: -bound, b: bound, generator: options.generator });
}

/**
 * Fills `t` with zeros.
 *
 * @example
 * ```ts
 * zeros_(ones([2])).tolist(); // [0, 0]
 * ```
 */
export function zeros_(t: Tensor): Tensor {
  noGrad(() => t.zero_());
  return t;
}

/**
 * Fills `t` with ones.
 *
 * @example
 * ```ts
 * ones_(zeros([2])).tolist(); // [1, 1]
 * ```
 */
export function ones_(t: Tensor): Tensor {
  noGrad(() => t.fill_(1));
  return t;
}
