/**
 * `Optimizer`: PyTorch's `torch.optim.Optimizer`. Holds parameter groups (one here: the params and
 * their hyperparameters) and per-parameter state buffers, allocated on the first step and reused
 * after, so a step allocates nothing. Updates write the parameters' typed arrays directly: that is
 * an in-place update outside the graph, like PyTorch's `with torch.no_grad(): p.add_(…)`, through the
 * backend's `sgdStep` / `adamStep` kernels.
 */
import { keep, replayEagerly, type Tensor, tidy, zeroGrad, zeros } from '@llm-playground/tensor';
import { ConfigError, StateDictError } from '../errors.js';

/** One parameter group: its tensors and hyperparameters (`lr`, `momentum`, `betas`, …). */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  [hyperparameter: string]: unknown;
}

/** A parameter's state: a step count and buffers the length of the parameter. */
export interface ParamState {
  step?: number;
  [buffer: string]: number | Float32Array | Float64Array | undefined;
}

/**
 * A checkpointable snapshot (PyTorch's `optimizer.state_dict()`): JSON-serialisable apart from the
 * typed arrays. `groups[g].params` lists the indices of that group's parameters; `state` is keyed
 * by parameter index (its position across all groups).
 */
export interface OptimizerState {
  kind: string;
  groups: { params: number[]; [hyperparameter: string]: unknown }[];
  state: { [paramIndex: string]: ParamState };
}

export type FloatArray = Float32Array | Float64Array;

/**
 * The base of `SGD`, `Adam` and `AdamW`: subclasses implement `updateGroup`.
 *
 * @example
 * ```ts
 * const w = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
 * const optimizer = new SGD([w], { lr: 0.1 });
 * // d(w·w)/dw = 2w
 * w.mul(w).sum().backward();
 * optimizer.step();
 * w.tolist(); // ≈ [0.8, 1.6]
 * optimizer.zeroGrad();
 * w.grad; // null
 * ```
 */
export abstract class Optimizer {
  readonly paramGroups: ParamGroup[];
  /** Per-parameter state, by parameter tensor. */
  protected readonly state = new Map<Tensor, ParamState>();

  constructor(params: Iterable<Tensor>, defaults: { lr: number; [k: string]: unknown }) {
    const list = [...params];
    if (list.length === 0) throw new ConfigError('optimizer got an empty parameter list');
    const seen = new Set<Tensor>();
    list.forEach((p, i) => {
      if (p.dtype === 'int32') {
        throw new ConfigError(
          `optimizer: parameter ${i} has dtype int32; only float tensors can be optimized`,
        );
      }
      if (!p.isLeaf)
        throw new ConfigError(`optimizer: can't optimize a non-leaf Tensor (parameter ${i})`);
      if (!p.isContiguous() || p.offset !== 0 || p.storage.length !== p.numel()) {
        throw new ConfigError(
          `optimizer: parameter ${i} is a view of another tensor's storage; pass the tensor that owns it`,
        );
      }
      if (seen.has(p))
        throw new ConfigError('some parameters appear more than once in the parameter list');
      seen.add(p);
    });
    this.paramGroups = [{ ...defaults, params: list }];
  }

  /** The optimizer's name in state dicts (`'SGD'`, `'Adam'`, `'AdamW'`). */
  abstract get kind(): string;

  /** The buffer names this optimizer keeps per parameter (checked by `loadStateDict`). */
  protected abstract get bufferNames(): readonly string[];

  /** Updates one group's parameters from their gradients (parameters whose grad is null are skipped). */
  protected abstract updateGroup(group: ParamGroup): void;

  /** One update of every parameter that has a gradient. */
  step(): void {
    // An eager island: inside a captured step (`captureStep`), every replay runs the update again with
    // the group's current hyperparameters (a scheduler's lr) and step counts.
    replayEagerly(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
  }

  /** Resets the gradients of every parameter (to null by default; see tensor's `zeroGrad`). */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    for (const group of this.paramGroups) zeroGrad(group.params, options);
  }

  /** The state of `p`, created on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /** A zero buffer the size and dtype of `p`, kept in its state under `name`. */
  protected buffer(p: Tensor, s: ParamState, name: string): FloatArray {
    let b = s[name] as FloatArray | undefined;
    if (!b) {
      // Made in a scope and kept: on the wasm backend the state lives in the kernel memory (updated
      // in place, no copies in and out per step) even when the first step runs outside any `tidy`.
      b = tidy(() => keep(zeros([p.numel()], { dtype: p.dtype }))).storage as FloatArray;
      s[name] = b;
    }
    return b;
  }

  private allParams(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * A copy of the hyperparameters and state buffers (safe to keep while training continues).
   *
   * @example
   * ```ts
   * const w = tensor([1], { dtype: 'float32', requiresGrad: true });
   * const adam = new Adam([w]);
   * w.sum().backward();
   * adam.step();
   * const state = adam.stateDict();
   * state.kind; // 'Adam'
   * state.state['0'].step; // 1
   * state.groups[0].lr; // 0.001
   * ```
   */
  stateDict(): OptimizerState {
    const params = this.allParams();
    let index = 0;
    const groups = this.paramGroups.map(({ params: groupParams, ...hyper }) => {
      const indices = groupParams.map(() => index++);
      return { ...structuredClone(hyper), params: indices };
    });
    const state: OptimizerState['state'] = {};
    params.forEach((p, i) => {
      const s = this.state.get(p);
      if (!s) return;
      const copy: ParamState = {};
      for (const [key, value] of Object.entries(s)) {
        copy[key] = typeof value === 'number' ? value : (value as FloatArray).slice();
      }
      state[String(i)] = copy;
    });
    return { kind: this.kind, groups, state };
  }

  /**
   * Restores hyperparameters and buffers saved by `stateDict()` from an optimizer of the same kind
   * over parameters of the same sizes. Validates everything before changing anything.
   */
  loadStateDict(state: OptimizerState): void {
    const fail = (message: string): never => {
      throw new StateDictError(`${this.kind}.loadStateDict: ${message}`);
    };
    if (state === null || typeof state !== 'object') fail('expected an object from stateDict()');
    if (state.kind !== this.kind) {
      fail(`the state is for ${String(state.kind)}, this optimizer is ${this.kind}`);
    }
    if (!Array.isArray(state.groups) || state.groups.length !== this.paramGroups.length) {
      fail('loaded state dict has a different number of parameter groups');
    }
    state.groups.forEach((g, i) => {
      if (!Array.isArray(g.params) || g.params.length !== this.paramGroups[i].params.length) {
        fail(
          "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
        );
      }
      if (typeof g.lr !== 'number') fail(`group ${i} has no numeric lr`);
    });
    const params = this.allParams();
    const restored = new Map<Tensor, ParamState>();
    for (const [key, saved] of Object.entries(state.state ?? {})) {
      const p = params[Number(key)];
      if (!p || !/^\d+$/.test(key))
        fail(`state for parameter ${key}, but there are ${params.length} parameters`);
      const s: ParamState = {};
      for (const [name, value] of Object.entries(saved)) {
        if (name === 'step') {
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
            fail(`parameter ${key}: step must be a non-negative integer, got ${String(value)}`);
          }
          s.step = value as number;
        } else if (this.bufferNames.includes(name)) {
          if (!(value instanceof Float32Array || value instanceof Float64Array)) {
            fail(`parameter ${key}: buffer ${name} must be a Float32Array or Float64Array`);
          }
          const array = value as FloatArray;
          if (array.length !== p.numel()) {
            fail(
              `size mismatch for parameter ${key} buffer ${name}: got ${array.length} elements, the parameter has ${p.numel()}`,
            );
          }
          const own = keep(zeros([array.length], { dtype: p.dtype })).storage as FloatArray;
          own.set(array);
          s[name] = own;
        } else {
          fail(
            `parameter ${key}: unexpected buffer "${name}" (${this.kind} keeps ${this.bufferNames.join(', ') || 'none'})`,
          );
        }
      }
      restored.set(p, s);
    }
    state.groups.forEach(({ params: _indices, ...hyper }, i) => {
      Object.assign(this.paramGroups[i], structuredClone(hyper));
    });
    this.state.clear();
    for (const [p, s] of restored) this.state.set(p, s);
  }
}

/** Checks a hyperparameter, in PyTorch's words (`Invalid learning rate: -1`). */
export function checkHyper(value: number, what: string, ok: boolean): void {
  if (!ok || Number.isNaN(value)) throw new ConfigError(`Invalid ${what}: ${value}`);
}
