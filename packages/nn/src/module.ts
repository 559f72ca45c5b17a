/**
 * `Module`: PyTorch's `nn.Module` for tensors. A module's parameters and children are discovered
 * from its own fields, in field order (the order they are assigned in the constructor):
 *   - a `Tensor` with `requiresGrad` is a parameter (`weight`), and stays one when frozen later,
 *   - a `Module` is a child (`fc`), an array of modules is a list of children (`layers.0`, `layers.1`).
 * Buffers (state that is not trained, such as a BatchNorm's running mean or a count matrix) are
 * declared explicitly with `registerBuffer`, as in PyTorch.
 * Names are dotted paths, as in PyTorch's `named_parameters()` and `state_dict()`.
 */
import { isTensor, noGrad, type Tensor, zeroGrad } from '@llm-playground/tensor';
import { StateDictError } from './errors.js';

// NOTE: unlike PyTorch (`torch.Size([30, 200])`), shapes print as `[30, 200]`, the way every
// other message of this project writes them.
const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * A forward hook (PyTorch's `register_forward_hook`): called after `forward` with the module, the
 * arguments `forward` received and its output; returning a value other than `undefined` replaces
 * the output.
 */
// biome-ignore lint/suspicious/noExplicitAny: a hook may watch any module
export type ForwardHook<M extends Module = any> = (
  module: M,
  inputs: Parameters<M['forward']>,
  output: ReturnType<M['forward']>,
) => HookResult<ReturnType<M['forward']>>;

// biome-ignore lint/suspicious/noConfusingVoidType: a hook written as `(m, i, o) => { … }` returns void.
type HookResult<Output> = Output | undefined | void;

/** What `registerForwardHook` returns (PyTorch's `RemovableHandle`): `remove()` unregisters. */
export interface RemovableHandle {
  remove(): void;
}

/** Options of `Module.registerBuffer`. */
export interface BufferOptions {
  /** Saved in `stateDict()` and expected by `loadStateDict()` (default true, as in PyTorch). */
  persistent?: boolean;
}

/**
 * The base class of every tensor layer and model: subclasses assign their parameters and
 * sub-modules as fields and implement `forward`.
 *
 * @example
 * ```ts
 * class TwoLayer extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 2);
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.fc1.forward(x).tanh());
 *   }
 * }
 * const model = new TwoLayer();
 * model.namedParameters().map(([name]) => name); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 * model.numParameters(); // 58
 * model.forward(zeros([3, 4])).shape; // [3, 2]
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: the default signature accepts any forward
export abstract class Module<Args extends unknown[] = any[], Output = any> {
  /** Training mode (`train()`) or evaluation mode (`eval()`); layers like dropout and batch norm read it. */
  training = true;

  /**
   * The computation. Any signature: `forward(x: Tensor): Tensor` for a layer,
   * `forward(contexts, targets): { logits, loss }` for a model; `Module<[Tensor], Tensor>` types it.
   */
  abstract forward(...args: Args): Output;

  // Buffers by name, in registration order (PyTorch's `_buffers`), with their persistence. Each is
  // also readable and assignable as a property of the module (`this.runningMean`), which is not
  // enumerable so that field discovery never takes it for a parameter.
  readonly #buffers = new Map<string, { tensor: Tensor | null; persistent: boolean }>();

  // NOTE: a module remembers the tensors it has found as parameters, so one frozen later
  // (`p.requiresGrad = false`, PyTorch's `p.requires_grad = False`) is still a parameter: it stays
  // in `namedParameters()`, `stateDict()` and `loadStateDict()`, and an optimizer given it skips it
  // (its grad stays null). Discovery is lazy (a base class cannot see subclass fields in its
  // constructor), so a tensor is remembered from the first listing of the module's parameters on:
  // list them (`parameters()`, `stateDict()`, building the optimizer) before freezing. A tensor
  // field that never required grad is not a parameter. An ES private field, so `Object.entries`
  // (field discovery) never sees it.
  readonly #registered = new WeakSet<Tensor>();

  // Forward hooks by id, in registration order (PyTorch's `_forward_hooks`).
  readonly #forwardHooks = new Map<number, ForwardHook>();
  #nextHookId = 0;

  // ---- buffers ------------------------------------------------------------------------------

  /**
   * Adds a buffer: a tensor that belongs to the module's state but is not trained (PyTorch's
   * `register_buffer`). It is then a property of the module (`module[name]`, and assigning
   * `module[name] = t` replaces it), listed by `namedBuffers()`, moved by nothing else, and — when
   * `persistent` (the default) — saved by `stateDict()` and restored by `loadStateDict()`.
   * `null` registers the name without a tensor (skipped by `stateDict`).
   *
   * @example
   * ```ts
   * class Counter extends Module {
   *   declare counts: Tensor;
   *   constructor() {
   *     super();
   *     this.registerBuffer('counts', zeros([3], { dtype: 'int32' }));
   *   }
   *   forward(x: Tensor): Tensor { return x; }
   * }
   * const c = new Counter();
   * Object.keys(c.stateDict()); // ['counts']
   * c.parameters().length; // 0
   * ```
   */
  registerBuffer(name: string, tensor: Tensor | null, options: BufferOptions = {}): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new TypeError(
        `buffer name should be a non-empty string without ".", got ${JSON.stringify(name)}`,
      );
    }
    if (tensor !== null && !isTensor(tensor)) {
      throw new TypeError(
        `cannot assign '${typeof tensor}' object to buffer '${name}' (Tensor or null required)`,
      );
    }
    const own = Object.getOwnPropertyDescriptor(this, name);
    if (!this.#buffers.has(name) && own && own.value !== undefined) {
      throw new Error(`attribute '${name}' already exists`);
    }
    const entry = { tensor, persistent: options.persistent ?? true };
    this.#buffers.set(name, entry);
    Object.defineProperty(this, name, {
      configurable: true,
      enumerable: false,
      get: () => entry.tensor,
      set: (value: Tensor | null) => {
        if (value !== null && !isTensor(value)) {
          throw new TypeError(
            `cannot assign '${typeof value}' as buffer '${name}' (Tensor or null required)`,
          );
        }
        entry.tensor = value;
      },
    });
  }

  /**
   * Every buffer with its dotted name (`'bn.runningMean'`), module by module, each tensor once.
   *
   * @example
   * ```ts
   * new Linear(2, 2).namedBuffers(); // []
   * ```
   */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, { tensor }] of module.#buffers) {
        if (tensor === null || seen.has(tensor)) continue;
        seen.add(tensor);
        out.push([prefix ? `${prefix}.${name}` : name, tensor]);
      }
    }
    return out;
  }

  /** Every buffer, in `namedBuffers()` order. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  // ---- discovery ------------------------------------------------------------------------------

  /** Own parameters and children, in field order (children of an array field named `field.i`). */
  private ownEntries(): { parameters: [string, Tensor][]; children: [string, Module][] } {
    const parameters: [string, Tensor][] = [];
    const children: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (isTensor(value)) {
        if (value.requiresGrad) this.#registered.add(value);
        if (this.#registered.has(value)) parameters.push([key, value]);
      } else if (value instanceof Module) {
        children.push([key, value]);
      } else if (
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((v) => v instanceof Module)
      ) {
        value.forEach((child: Module, i) => {
          children.push([`${key}.${i}`, child]);
        });
      }
    }
    return { parameters, children };
  }

  /** Direct children with their names (`'fc1'`, `'layers.0'`). */
  namedChildren(): [string, Module][] {
    return this.ownEntries().children;
  }

  /** Direct children (PyTorch's `children()`). */
  children(): Module[] {
    return this.namedChildren().map(([, child]) => child);
  }

  /**
   * This module (named `''`) and every descendant, depth first, each once.
   *
   * @example
   * ```ts
   * new Sequential(new Linear(2, 2), new Tanh()).namedModules().map(([name]) => name); // ['', 'layers.0', 'layers.1']
   * ```
   */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (prefix: string, module: Module) => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([prefix, module]);
      for (const [name, child] of module.namedChildren()) {
        visit(prefix ? `${prefix}.${name}` : name, child);
      }
    };
    visit('', this);
    return out;
  }

  /**
   * Every parameter with its dotted name, each tensor once (a shared parameter keeps its first name).
   *
   * @example
   * ```ts
   * new Linear(3, 2).namedParameters().map(([name, p]) => `${name} ${p.shape}`); // ['weight 2,3', 'bias 2']
   * ```
   */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, module] of this.namedModules()) {
      for (const [name, p] of module.ownEntries().parameters) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }

  /** Every parameter, in `namedParameters()` order (hand these to an optimizer). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * How many scalar parameters the module has.
   *
   * @example
   * ```ts
   * new Linear(30, 200).numParameters(); // 6200
   * ```
   */
  numParameters(): number {
    let total = 0;
    for (const p of this.parameters()) total += p.numel();
    return total;
  }

  // ---- training helpers ---------------------------------------------------------------------

  /**
   * Resets every parameter's gradient: to null (default, PyTorch's `set_to_none=True`) or to zeros.
   *
   * @example
   * ```ts
   * const layer = new Linear(2, 1);
   * layer.forward(ones([1, 2])).sum().backward();
   * layer.zeroGrad();
   * layer.weight.grad; // null
   * ```
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    zeroGrad(this.parameters(), options);
  }

  /**
   * Sets training mode on this module and all descendants; returns `this`.
   *
   * @example
   * ```ts
   * const model = new Sequential(new Linear(2, 2));
   * model.eval().layers[0].training; // false
   * model.train().training; // true
   * ```
   */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /** `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  // ---- hooks ----------------------------------------------------------------------------------

  /**
   * Calls `hook(module, inputs, output)` after every `forward` of this module (PyTorch's
   * `register_forward_hook`), in registration order; a hook that returns a value replaces the
   * output. Register one on each layer of `namedModules()` to watch a model's activations.
   * NOTE: the first hook replaces this instance's `forward` with a wrapper (a non-enumerable own
   * property); inside a captured step (`captureStep`), hooks run while capturing, not on replays.
   *
   * @example
   * ```ts
   * const model = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2));
   * const shapes: string[] = [];
   * const handles = model.namedModules().map(([name, layer]) =>
   *   layer.registerForwardHook((_m, _inputs, out) => { shapes.push(`${name || 'model'} ${out.shape}`); }),
   * );
   * model.forward(zeros([5, 3]));
   * shapes; // ['layers.0 5,4', 'layers.1 5,4', 'layers.2 5,2', 'model 5,2']
   * handles.forEach((h) => h.remove());
   * model.forward(zeros([5, 3]));
   * shapes.length; // 4
   * ```
   */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    if (typeof hook !== 'function') {
      throw new TypeError(`registerForwardHook: hook must be a function, got ${typeof hook}`);
    }
    if (this.#nextHookId === 0) {
      const forward = this.forward;
      Object.defineProperty(this, 'forward', {
        configurable: true,
        enumerable: false,
        writable: true,
        value: (...inputs: Args): Output => {
          let output = forward.apply(this, inputs);
          for (const h of [...this.#forwardHooks.values()]) {
            const replaced = h(this, inputs, output);
            if (replaced !== undefined) output = replaced;
          }
          return output;
        },
      });
    }
    const id = this.#nextHookId++;
    this.#forwardHooks.set(id, hook as ForwardHook);
    return { remove: () => void this.#forwardHooks.delete(id) };
  }

  // ---- state dict ---------------------------------------------------------------------------

  /**
   * The tensors `stateDict()` holds, by dotted name, in PyTorch's order: module by module, its
   * parameters, then its persistent buffers (each tensor once, under its first name).
   */
  private namedState(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, module] of this.namedModules()) {
      const own: [string, Tensor][] = [...module.ownEntries().parameters];
      for (const [name, { tensor, persistent }] of module.#buffers) {
        if (tensor !== null && persistent) own.push([name, tensor]);
      }
      for (const [name, t] of own) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix ? `${prefix}.${name}` : name, t]);
      }
    }
    return out;
  }

  /**
   * Every parameter and persistent buffer by dotted name, detached (the tensors share storage with
   * the module's, as in PyTorch: copy them if the model keeps training and you need a snapshot).
   *
   * @example
   * ```ts
   * Object.keys(new Sequential(new Linear(2, 3), new Tanh()).stateDict()); // ['layers.0.weight', 'layers.0.bias']
   * ```
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of this.namedState()) out[name] = t.detach();
    return out;
  }

  /**
   * Copies `state` into the parameters and persistent buffers. Every check runs before anything is
   * copied, so a failed load leaves the module unchanged. Errors are PyTorch's: missing and
   * unexpected keys (only when `strict`, the default), size mismatches naming the tensor and both
   * shapes (always). Float tensors convert between float32 and float64 like PyTorch's `copy_`; an
   * integer tensor for a float one, or a float tensor for an integer one, is a dtype mismatch.
   * The thrown `StateDictError` lists every problem in `problems` too.
   *
   * @example
   * ```ts
   * const a = new Linear(2, 3, { generator: new Generator(1) });
   * const b = new Linear(2, 3, { generator: new Generator(2) });
   * b.loadStateDict(a.stateDict());
   * b.weight.sub(a.weight).abs().max().item(); // 0
   * b.loadStateDict({ weight: zeros([3, 3]) }, { strict: false }); // throws StateDictError
   * ```
   */
  loadStateDict(state: Record<string, Tensor>, options: { strict?: boolean } = {}): void {
    const strict = options.strict ?? true;
    const own = this.namedState();
    const ownNames = new Set(own.map(([name]) => name));
    const missing: string[] = [];
    const problems: string[] = [];
    const copies: [Tensor, Tensor][] = [];
    for (const [name, p] of own) {
      if (!Object.hasOwn(state, name)) {
        missing.push(name);
        continue;
      }
      const source = state[name];
      if (!isTensor(source)) {
        problems.push(`value for ${name} is not a Tensor (got ${typeof source}).`);
      } else if (
        source.shape.length !== p.shape.length ||
        source.shape.some((d, i) => d !== p.shape[i])
      ) {
        problems.push(
          `size mismatch for ${name}: copying a param with shape ${shapeText(source.shape)} from checkpoint, the shape in current model is ${shapeText(p.shape)}.`,
        );
      } else if ((source.dtype === 'int32') !== (p.dtype === 'int32')) {
        problems.push(
          `dtype mismatch for ${name}: copying a param with dtype ${source.dtype} from checkpoint, the dtype in current model is ${p.dtype}.`,
        );
      } else {
        copies.push([p, source]);
      }
    }
    const unexpected = Object.keys(state).filter((key) => !ownNames.has(key));
    // PyTorch's order: missing keys, unexpected keys, then the per-tensor problems.
    const errors: string[] = [];
    if (strict && missing.length > 0) {
      errors.push(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (strict && unexpected.length > 0) {
      errors.push(
        `Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `,
      );
    }
    errors.push(...problems);
    if (errors.length > 0) {
      throw new StateDictError(
        `Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`,
        errors.map((e) => e.trim()),
      );
    }
    noGrad(() => {
      for (const [p, source] of copies) p.copy_(source.to(p.dtype));
    });
  }

  // ---- printing -----------------------------------------------------------------------------

  /** The text inside the parentheses of a leaf module's `toString()` (PyTorch's `extra_repr`). */
  extraRepr(): string {
    return '';
  }

  /**
   * A PyTorch-style tree: `Linear(in_features=2, out_features=3, bias=True)` for a leaf, one
   * indented `(name): child` line per child otherwise; an array field prints as a `ModuleList`.
   *
   * @example
   * ```ts
   * console.log(new Sequential(new Linear(30, 200), new Tanh()).toString());
   * // Sequential(
   * //   (0): Linear(in_features=30, out_features=200, bias=True)
   * //   (1): Tanh()
   * // )
   * ```
   */
  toString(): string {
    // Children of an array field are gathered under one `(field): ModuleList(…)` entry.
    const entries: (string | { field: string; items: string[] })[] = [];
    const lists = new Map<string, string[]>();
    for (const [name, child] of this.namedChildren()) {
      const dot = name.indexOf('.');
      if (dot < 0) {
        entries.push(`(${name}): ${child.toString()}`);
        continue;
      }
      const field = name.slice(0, dot);
      let items = lists.get(field);
      if (!items) {
        items = [];
        lists.set(field, items);
        entries.push({ field, items });
      }
      items.push(`(${name.slice(dot + 1)}): ${child.toString()}`);
    }
    const lines = entries.map((entry) =>
      typeof entry === 'string'
        ? entry
        : `(${entry.field}): ${formatTree('ModuleList', '', entry.items)}`,
    );
    return formatTree(this.constructor.name, this.extraRepr(), lines);
  }
}

/** Indents every line after the first by two spaces (nested reprs, as PyTorch's `_addindent`). */
function indent(text: string): string {
  return text.split('\n').join('\n  ');
}

/** `Name(extra)` for a leaf; `Name(\n  (a): …\n)` with children. */
export function formatTree(name: string, extra: string, childLines: string[]): string {
  if (childLines.length === 0) return `${name}(${extra})`;
  const head = extra ? [`  ${indent(extra)}`] : [];
  return `${name}(\n${[...head, ...childLines.map((line) => `  ${indent(line)}`)].join('\n')}\n)`;
}
