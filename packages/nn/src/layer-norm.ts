/**
 * `LayerNorm`: PyTorch's `nn.LayerNorm`, one fused kernel forward and backward (the tensor package's
 * `layerNorm`, PyTorch's native_layer_norm). Each
 * sample is normalised over its last dimensions (`normalizedShape`) with their mean and *biased*
 * variance, then scaled and shifted elementwise: the transformer's pre-attention and pre-MLP norm.
 */
import {
  type DType,
  DTypeError,
  layerNorm,
  ones,
  ShapeError,
  type Tensor,
  zeros,
} from '@llm-playground/tensor';
import { ConfigError, checkFloatingInput } from './errors.js';
import { checkSize } from './linear.js';
import { Module } from './module.js';
import { pythonFloat } from './python-repr.js';

export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learnable elementwise `weight` (ones) and `bias` (zeros) of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, whether there is a `bias` (default true; PyTorch 2.1's `bias=`). */
  bias?: boolean;
  /** float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Layer normalisation over the trailing `normalizedShape` dimensions (PyTorch's `nn.LayerNorm`):
 * `y = (x − mean) / √(var + eps) · weight + bias`, statistics per sample, the variance biased (÷ n).
 * Unlike `BatchNorm1d` it keeps no running statistics and acts the same in train and eval.
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(3, { dtype: 'float64' });
 * ln.forward(tensor([[1, 2, 3]], { dtype: 'float64' })).tolist()[0][0]; // ≈ -1.2247356859
 * ln.numParameters(); // 6
 * ln.toString(); // 'LayerNorm((3,), eps=1e-05, elementwise_affine=True)'
 * ln.forward(zeros([2, 4], { dtype: 'float64' })); // throws ShapeError
 * ```
 */
export class LayerNorm extends Module<[Tensor], Tensor> {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) {
      throw new ConfigError('LayerNorm: normalizedShape must name at least one dimension, got []');
    }
    for (const size of shape) checkSize(size, 'every size in normalizedShape', 'LayerNorm');
    const { eps = 1e-5, elementwiseAffine = true, dtype = 'float32' } = options;
    if (!(Number.isFinite(eps) && eps >= 0)) {
      throw new ConfigError(`LayerNorm: eps must be a finite number ≥ 0, got ${eps}`);
    }
    if (dtype === 'int32')
      throw new DTypeError('LayerNorm: dtype must be float32 or float64, got int32');
    this.normalizedShape = shape;
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? ones(shape, { dtype, requiresGrad: true }) : null;
    this.bias =
      elementwiseAffine && options.bias !== false
        ? zeros(shape, { dtype, requiresGrad: true })
        : null;
  }

  /** `[*, ...normalizedShape]` → the same shape. */
  forward(input: Tensor): Tensor {
    checkFloatingInput('LayerNorm', input);
    const k = this.normalizedShape.length;
    const trailing = input.shape.slice(input.ndim - k);
    if (input.ndim < k || trailing.some((size, i) => size !== this.normalizedShape[i])) {
      const expected = this.normalizedShape.join(', ');
      throw new ShapeError(
        `Given normalized_shape=[${expected}], expected input with shape [*, ${expected}], but got input of size[${input.shape.join(', ')}]`,
      );
    }
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    const shape = `(${this.normalizedShape.join(', ')}${this.normalizedShape.length === 1 ? ',' : ''})`;
    return `${shape}, eps=${pythonFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? 'True' : 'False'}`;
  }
}
