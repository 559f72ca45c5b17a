/**
 * `BatchNorm1d`: PyTorch's `nn.BatchNorm1d`, composed from tensor ops (autograd gives the backward).
 * In training it normalises each channel with the batch's mean and biased variance and folds the
 * batch's mean and *unbiased* variance into running estimates; in eval it uses those estimates.
 * The running-stat update runs in an eager island (`replayEagerly`), so a captured step
 * (`captureStep`/`compileStep`) updates them on every replay, the cumulative average included.
 */
import {
  type DType,
  DTypeError,
  ones,
  replayEagerly,
  ShapeError,
  type Tensor,
  zeros,
} from '@llm-playground/tensor';
import { ConfigError } from './errors.js';
import { checkSize } from './linear.js';
import { Module } from './module.js';
import { pythonFloat } from './python-repr.js';

export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running estimates (default 0.1); `null`: a cumulative average. */
  momentum?: number | null;
  /** Learnable per-channel `weight` (ones) and `bias` (zeros) (default true). */
  affine?: boolean;
  /** Keep running estimates for eval (default true); without them eval uses batch statistics too. */
  trackRunningStats?: boolean;
  /**
   * Channels in the last dimension: `[N, C]` or `[N, L, C]` (the lecture's `[B, T, C]`, reduced
   * over dims (0, 1)) instead of PyTorch's `[N, C, L]` (default false).
   */
  channelsLast?: boolean;
  /** float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` (PyTorch's `nn.BatchNorm1d`):
 * `y = (x − mean) / √(var + eps) · weight + bias` per channel, statistics over all dims but C.
 *
 * Buffers: `runningMean` (zeros), `runningVar` (ones), `numBatchesTracked` (int32 0-d), saved in
 * `stateDict()` under PyTorch's names `running_mean`, `running_var`, `num_batches_tracked`, so a
 * PyTorch checkpoint's keys load as they are.
 *
 * NOTE: `channelsLast: true` is not in PyTorch: it takes `[N, L, C]` and reduces over dims (0, 1),
 * as the WaveNet lecture's hand-written BatchNorm1d does for `[B, T, C]`; it equals PyTorch's
 * `bn(x.transpose(1, 2)).transpose(1, 2)`. Without it, feed `[B, T, C]` as `x.transpose(1, 2)`.
 * NOTE: unlike PyTorch, which accepts any value, `eps` must be ≥ 0 and `momentum` in [0, 1] or null.
 * NOTE: `numBatchesTracked` is int32 (PyTorch: int64).
 * NOTE: the lectures' hand-written layers normalise with `x.var(0)`/`x.std(0)`, torch's *unbiased*
 * default; PyTorch's layer, and this one, normalise with the biased variance (n vs n − 1).
 *
 * @example
 * ```ts
 * const bn = new BatchNorm1d(2, { dtype: 'float64' });
 * const x = tensor([[1, 10], [3, 20], [5, 60]], { dtype: 'float64' });
 * console.log(bn.forward(x).detach().toString({ precision: 4 }));
 * // tensor([[-1.2247, -0.9258],
 * //         [ 0.0000, -0.4629],
 * //         [ 1.2247,  1.3887]], dtype=torch.float64)
 * console.log(bn.runningMean.toString(), bn.runningVar.toString({ precision: 2 }));
 * // tensor([0.3000, 3.0000], dtype=torch.float64) tensor([ 1.30, 70.90], dtype=torch.float64)
 * bn.eval().forward(tensor([[0.3, 3]], { dtype: 'float64' })).tolist(); // [[0, 0]]
 * bn.toString(); // 'BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)'
 * Object.keys(bn.stateDict()); // ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
 * bn.train().forward(zeros([1, 2], { dtype: 'float64' })); // throws ShapeError
 * ```
 */
export class BatchNorm1d extends Module<[Tensor], Tensor> {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly channelsLast: boolean;
  weight: Tensor | null;
  bias: Tensor | null;
  // Registered under PyTorch's names (running_mean, …); the camelCase accessors below read them.
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    checkSize(numFeatures, 'numFeatures', 'BatchNorm1d');
    const { eps = 1e-5, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (!(Number.isFinite(eps) && eps >= 0)) {
      throw new ConfigError(`BatchNorm1d: eps must be a finite number ≥ 0, got ${eps}`);
    }
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) {
      throw new ConfigError(`BatchNorm1d: momentum must be in [0, 1] or null, got ${momentum}`);
    }
    if (dtype === 'int32') {
      throw new DTypeError('BatchNorm1d: dtype must be float32 or float64, got int32');
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.channelsLast = options.channelsLast ?? false;
    this.weight = affine ? ones([numFeatures], { dtype, requiresGrad: true }) : null;
    this.bias = affine ? zeros([numFeatures], { dtype, requiresGrad: true }) : null;
    const track = (t: Tensor) => (trackRunningStats ? t : null);
    this.registerBuffer('running_mean', track(zeros([numFeatures], { dtype })));
    this.registerBuffer('running_var', track(ones([numFeatures], { dtype })));
    this.registerBuffer('num_batches_tracked', track(zeros([], { dtype: 'int32' })));
  }

  /** The running mean (`running_mean`; null without `trackRunningStats`). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  /** The running unbiased variance (`running_var`). */
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  /** How many training batches went into the running estimates (`num_batches_tracked`). */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  /** `[N, C]` or `[N, C, L]` (`[N, L, C]` with `channelsLast`) → the same shape. */
  forward(input: Tensor): Tensor {
    const C = this.numFeatures;
    const where = `BatchNorm1d(${C})`;
    const layout = this.channelsLast ? `[N, ${C}] or [N, L, ${C}]` : `[N, ${C}] or [N, ${C}, L]`;
    const shape = `[${input.shape.join(', ')}]`;
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new ShapeError(
        `${where}: expected 2D or 3D input (got ${input.ndim}D input of shape ${shape}); it takes ${layout}`,
      );
    }
    const channelDim = this.channelsLast || input.ndim === 2 ? input.ndim - 1 : 1;
    if (input.shape[channelDim] !== C) {
      throw new ShapeError(
        `${where}: expected input of shape ${layout}, got ${shape} with ${input.shape[channelDim]} channels in dimension ${channelDim}`,
      );
    }
    if (input.dtype === 'int32') {
      throw new DTypeError(`${where}: expected a floating-point input, got int32`);
    }
    const dims = [0, 1, 2].filter((d) => d < input.ndim && d !== channelDim);
    // Per-channel tensors broadcast as [C] when the channels are last, as [C, 1] for [N, C, L].
    const perChannel = (t: Tensor) => (channelDim === 2 || input.ndim === 2 ? t : t.view(C, 1));
    // y = (x − mean)·scale + bias with scale = weight/√(var + eps) per channel: in eval two passes
    // over x (mul, add), in training six (mean, sub, square, mean, mul, add), where sub, div, mul,
    // add and var's own mean and centring would take four and nine (README: measured times).
    const weight = this.weight ? perChannel(this.weight) : null;
    const bias = this.bias ? perChannel(this.bias) : null;
    if (!this.training && this.running_mean !== null) {
      const invStd = perChannel((this.running_var as Tensor).add(this.eps).sqrt().rdiv(1));
      const scale = weight ? invStd.mul(weight) : invStd;
      const shift = perChannel(this.running_mean).mul(scale).neg();
      return input.mul(scale).add(bias ? shift.add(bias) : shift);
    }
    const count = input.numel() / C;
    if (count <= 1) {
      // NOTE: PyTorch prints the size as torch.Size([1, 10]).
      throw new ShapeError(
        `Expected more than 1 value per channel when training, got input size ${shape}`,
      );
    }
    const mean = input.mean(dims, true);
    const centered = input.sub(mean);
    const variance = centered.square().mean(dims, true); // biased: normalises the batch
    if (this.training && this.running_mean !== null) {
      this.updateRunningStats(mean.data, variance.data, count);
    }
    const invStd = variance.add(this.eps).sqrt().rdiv(1);
    const y = centered.mul(weight ? invStd.mul(weight) : invStd);
    return bias ? y.add(bias) : y;
  }

  /**
   * running ← (1 − f)·running + f·batch, with f = momentum (or 1/numBatchesTracked when momentum is
   * null) and the batch variance made unbiased (·n/(n − 1)), PyTorch's update. `mean` and `variance`
   * (biased) are the batch's typed arrays, in channel order.
   */
  private updateRunningStats(
    mean: ArrayLike<number>,
    variance: ArrayLike<number>,
    n: number,
  ): void {
    replayEagerly(() => {
      const tracked = (this.num_batches_tracked as Tensor).data;
      tracked[0] += 1;
      const f = this.momentum ?? 1 / tracked[0];
      const runningMean = (this.running_mean as Tensor).data;
      const runningVar = (this.running_var as Tensor).data;
      for (let c = 0; c < this.numFeatures; c++) {
        runningMean[c] = (1 - f) * runningMean[c] + f * mean[c];
        runningVar[c] = (1 - f) * runningVar[c] + (f * variance[c] * n) / (n - 1);
      }
    });
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pythonFloat(this.momentum);
    const bool = (b: boolean) => (b ? 'True' : 'False');
    return `${this.numFeatures}, eps=${pythonFloat(this.eps)}, momentum=${momentum}, affine=${bool(this.affine)}, track_running_stats=${bool(this.trackRunningStats)}`;
  }
}
