/**
 * `Value`: a scalar that remembers how it was computed, so that `backward()` can apply the chain
 * rule through everything that produced it. This is micrograd's engine in TypeScript.
 *
 * Every primitive follows the same beat: wrap a bare number, build `out` with its children and op
 * label, give `out` a local backward that *accumulates* (`+=`) into the children's `grad`, return
 * `out`. Accumulation is what makes a node used twice (`a + a`, a neuron reused) correct.
 */

/** Anything an op accepts: a `Value` or a plain number (wrapped as a constant). */
export type ValueLike = Value | number;

export interface ValueOptions {
  /** A name shown in `toString()` and in graph drawings. */
  label?: string;
}

const noBackward = (): void => {};

export class Value {
  /** The number this node holds. */
  data: number;
  /** d(root)/d(this), filled in by `root.backward()`. */
  grad = 0;
  /** A name for drawings; empty unless given. */
  label: string;
  /** The op that made this node (`'+'`, `'*'`, `'tanh'`, …), or `''` for a leaf. */
  readonly op: string;
  /** The nodes this one was computed from (empty for a leaf). */
  readonly children: readonly Value[];
  /** Pushes this node's `grad` into its children's `grad` (the local chain rule). */
  private backwardFn: () => void = noBackward;

  constructor(data: number, children: readonly Value[] = [], op = '', options: ValueOptions = {}) {
    this.data = data;
    this.children = children;
    this.op = op;
    this.label = options.label ?? '';
  }

  // ---- primitives: each one's forward and backward together --------------------------------

  add(other: ValueLike): Value {
    const o = toValue(other);
    const out = new Value(this.data + o.data, [this, o], '+');
    out.backwardFn = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  mul(other: ValueLike): Value {
    const o = toValue(other);
    const out = new Value(this.data * o.data, [this, o], '*');
    out.backwardFn = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /** `this ** exponent` for a constant number exponent (as in micrograd). */
  pow(exponent: number): Value {
    if (typeof exponent !== 'number') {
      throw new TypeError(
        `Argument 'exponent' passed to 'pow' must be a number, got ${describe(exponent)}; ` +
          'for a Value exponent write exp(log(x) * y)',
      );
    }
    const out = new Value(this.data ** exponent, [this], `**${formatNumber(exponent)}`);
    out.backwardFn = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    return out;
  }

  exp(): Value {
    const e = Math.exp(this.data);
    const out = new Value(e, [this], 'exp');
    out.backwardFn = () => {
      this.grad += e * out.grad;
    };
    return out;
  }

  /** Natural logarithm. NOTE: log of a non-positive number gives NaN or -Infinity, as in PyTorch. */
  log(): Value {
    const out = new Value(Math.log(this.data), [this], 'log');
    out.backwardFn = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], 'tanh');
    out.backwardFn = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  /** max(0, x). NOTE: the derivative at exactly 0 is taken as 0, as in micrograd and PyTorch. */
  relu(): Value {
    const out = new Value(this.data < 0 ? 0 : this.data, [this], 'ReLU');
    out.backwardFn = () => {
      this.grad += (out.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  sigmoid(): Value {
    // Two branches keep exp() from overflowing for large |x|.
    const x = this.data;
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    const out = new Value(s, [this], 'sigmoid');
    out.backwardFn = () => {
      this.grad += s * (1 - s) * out.grad;
    };
    return out;
  }

  // ---- composites: built from the primitives, no backward of their own ----------------------

  neg(): Value {
    return this.mul(-1);
  }

  sub(other: ValueLike): Value {
    return this.add(toValue(other).neg());
  }

  div(other: ValueLike): Value {
    return this.mul(toValue(other).pow(-1));
  }

  /** `other - this`, for a number on the left (Python's `__rsub__`). */
  rsub(other: ValueLike): Value {
    return toValue(other).sub(this);
  }

  /** `other / this`, for a number on the left (Python's `__rtruediv__`). */
  rdiv(other: ValueLike): Value {
    return toValue(other).div(this);
  }

  // ---- autograd -----------------------------------------------------------------------------

  /**
   * Backpropagation: sets `grad` of every node this one depends on to d(this)/d(node).
   *
   * Orders the graph topologically with an explicit stack (no recursion, so a chain of a million
   * nodes works), seeds `this.grad = 1` and runs each node's local backward in reverse order.
   * NOTE: like micrograd and PyTorch, gradients *accumulate*: call `zeroGrad()` (or reset `grad`)
   * before a second backward pass over the same leaves.
   */
  backward(): void {
    const order = topologicalOrder(this);
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardFn();
  }

  /** Sets `grad = 0` on this node and every node it depends on. */
  zeroGrad(): void {
    for (const node of topologicalOrder(this)) node.grad = 0;
  }

  /** Whether this node was computed from others (false for leaves and constants). */
  get isLeaf(): boolean {
    return this.children.length === 0;
  }

  toString(): string {
    return `Value(data=${formatNumber(this.data)}, grad=${formatNumber(this.grad)})`;
  }
}

/** Wraps a plain number as a constant `Value`; returns a `Value` unchanged. */
export function toValue(x: ValueLike): Value {
  if (x instanceof Value) return x;
  if (typeof x === 'number') return new Value(x);
  throw new TypeError(`expected a Value or a number, got ${describe(x)}`);
}

/**
 * Every node `root` depends on, children before parents, `root` last. Iterative depth-first search:
 * each stack frame is a node and the index of the next child to visit.
 */
export function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [];
  const visited = new Set<Value>([root]);
  const nodes: Value[] = [root];
  const next: number[] = [0];
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top];
    const k = next[top];
    if (k < node.children.length) {
      next[top] = k + 1;
      const child = node.children[k];
      if (!visited.has(child)) {
        visited.add(child);
        nodes.push(child);
        next.push(0);
      }
    } else {
      order.push(node);
      nodes.pop();
      next.pop();
    }
  }
  return order;
}

/** Python-like rendering of a float: `2` → `2.0`, `0.1` stays `0.1`. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  return String(x);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? (x.constructor?.name ?? 'an object') : `${typeof x} ${String(x)}`;
}

// ---- free-function forms, so expressions read like math: add(a, b), tanh(x) -------------------

export const add = (a: ValueLike, b: ValueLike): Value => toValue(a).add(b);
export const sub = (a: ValueLike, b: ValueLike): Value => toValue(a).sub(b);
export const mul = (a: ValueLike, b: ValueLike): Value => toValue(a).mul(b);
export const div = (a: ValueLike, b: ValueLike): Value => toValue(a).div(b);
export const neg = (a: ValueLike): Value => toValue(a).neg();
export const pow = (a: ValueLike, exponent: number): Value => toValue(a).pow(exponent);
export const exp = (a: ValueLike): Value => toValue(a).exp();
export const log = (a: ValueLike): Value => toValue(a).log();
export const tanh = (a: ValueLike): Value => toValue(a).tanh();
export const relu = (a: ValueLike): Value => toValue(a).relu();
export const sigmoid = (a: ValueLike): Value => toValue(a).sigmoid();

/** Sum of many values as a single chain of `+` nodes (a constant 0 for an empty list). */
export function sum(values: readonly ValueLike[]): Value {
  let total = toValue(values.length > 0 ? values[0] : 0);
  for (let i = 1; i < values.length; i++) total = total.add(values[i]);
  return total;
}
