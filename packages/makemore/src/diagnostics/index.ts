/** The network's vital signs (makemore part 3): `Diagnostics`, a `Trainer` observer, and `histogram`. */
export {
  type ActivationSummary,
  Diagnostics,
  type DiagnosticsOptions,
  type DiagnosticsSnapshot,
  formatActivation,
  formatGradient,
  formatSnapshot,
  formatWeightGradient,
  type GradientSummary,
  type TensorSummary,
  type UpdateRatios,
  type WeightGradientSummary,
} from './diagnostics.js';
export { type Histogram, type HistogramOptions, histogram } from './histogram.js';
