/**
 * A layer stack as data: what the `deep-mlp` and `wavenet` families build, written once so that
 * their size estimates (`schema.ts`, no model code) and their modules (`build-layers.ts`, nn) can
 * never disagree. `planEstimate` names each tensor as the built `Sequential` does in `stateDict()`
 * (`layers.2.weight`, `layers.3.running_mean`), which is what a checkpoint's header is checked
 * against before the model is allocated.
 */
import { bytesOf, type TensorEstimate } from './family.js';

/** One layer of a plan; `dependsOn` names the schema fields its size grows with. */
export type LayerSpec =
  | { kind: 'embedding'; numEmbeddings: number; embeddingDim: number; dependsOn: string[] }
  | { kind: 'flatten' }
  | { kind: 'flattenConsecutive'; n: number }
  | { kind: 'linear'; inFeatures: number; outFeatures: number; bias: boolean; dependsOn: string[] }
  | { kind: 'batchNorm'; numFeatures: number; channelsLast: boolean; dependsOn: string[] }
  | { kind: 'tanh' };

/**
 * The tensors of a plan under their `Sequential` names: parameters (trainable) and BatchNorm's
 * buffers (`running_mean`, `running_var`, `num_batches_tracked`, not trainable).
 *
 * @example
 * ```ts
 * planEstimate([{ kind: 'linear', inFeatures: 30, outFeatures: 100, bias: false, dependsOn: [] }])
 *   .map((t) => `${t.name} [${t.shape}]`); // ['layers.0.weight [100,30]']
 * ```
 */
export function planEstimate(plan: readonly LayerSpec[]): TensorEstimate[] {
  const out: TensorEstimate[] = [];
  const add = (name: string, shape: number[], dependsOn: string[], trainable = true) =>
    out.push({ name, shape, bytes: bytesOf(shape), dependsOn, trainable });
  plan.forEach((layer, i) => {
    const at = `layers.${i}`;
    if (layer.kind === 'embedding') {
      add(`${at}.weight`, [layer.numEmbeddings, layer.embeddingDim], layer.dependsOn);
    } else if (layer.kind === 'linear') {
      add(`${at}.weight`, [layer.outFeatures, layer.inFeatures], layer.dependsOn);
      if (layer.bias) add(`${at}.bias`, [layer.outFeatures], layer.dependsOn);
    } else if (layer.kind === 'batchNorm') {
      const C = [layer.numFeatures];
      add(`${at}.weight`, C, layer.dependsOn);
      add(`${at}.bias`, C, layer.dependsOn);
      add(`${at}.running_mean`, C, layer.dependsOn, false);
      add(`${at}.running_var`, C, layer.dependsOn, false);
      add(`${at}.num_batches_tracked`, [], [], false);
    }
  });
  return out;
}

/**
 * The learning rate `lr` until `fraction` of the run, then `lr / 10`: parts 3 (deep net) and 5
 * decay at step 150,000 of 200,000 (`fraction` 0.75); the MLP's `lectureDecay` is `fraction` 0.5.
 *
 * @example
 * ```ts
 * decayAt(0.1, 200_000, 0.75); // { kind: 'PiecewiseConstantLR', boundaries: [150000], values: [0.1, 0.01] }
 * ```
 */
export function decayAt(lr: number, steps: number, fraction: number) {
  const boundary = Math.floor(steps * fraction);
  if (boundary < 1 || boundary >= steps) return { kind: 'ConstantLR' as const, factor: 1 };
  return {
    kind: 'PiecewiseConstantLR' as const,
    boundaries: [boundary],
    values: [lr, Number((lr / 10).toPrecision(12))],
  };
}
