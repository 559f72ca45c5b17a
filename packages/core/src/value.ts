/**
 * `Value`: a scalar that remembers how it was computed, so that `backward()` can apply the chain
 * rule through everything that produced it. This is micrograd's engine in TypeScript.
 *
 * Every primitive follows the same beat: wrap a bare number, build `out` with its children and op
 * label, and give `out` a local backward that *accumulates* (`+=`) into the children's `grad`.
 * Accumulation is what makes a node used twice (`a + a`, a neuron reused) correct.
 *
 * NOTE: micrograd stores the local backward as a closure per node. Here each node stores a small
 * op kind instead, and `backwardStep()` switches on it: the forward and backward of each primitive
 * still sit side by side (see the table in `backwardStep`), but building a node allocates one
 * object and one children array instead of four objects (node, array, closure, closure context).
 * That halves the cost of a million-node graph (measured in `bench/index.ts`).
 */

/**
 * Anything an op accepts: a `Value` or a plain number (wrapped as a constant).
 *
 * @example
 * ```ts
 * const xs: ValueLike[] = [1, new Value(2)];
 * sum(xs).data; // 3
 * ```
 */
export type ValueLike = Value | number;

/**
 * Options for `new Value(...)`.
 *
 * @example
 * ```ts
 * new Value(2, [], '', { label: 'a' }).label; // 'a'
 * ```
 */
export interface ValueOptions {
  /** A name shown in graph drawings (`toDot`, `trace`). */
  label?: string;
}

// The op kinds `backwardStep` switches on. Plain numbers (not a `const enum`) so that isolated
// per-file compilation works.
const LEAF = 0;
const ADD = 1;
const MUL = 2;
const POW = 3;
const EXP = 4;
const LOG = 5;
const TANH = 6;
const RELU = 7;
const SIGMOID = 8;

const NO_CHILDREN: readonly Value[] = Object.freeze([]);

/**
 * Stamp of the graph traversal in progress. Each `topologicalOrder` call takes a new stamp and
 * marks the nodes it reaches with it, so "visited?" is one field comparison instead of a `Set`
 * lookup. A private counter: nothing observable changes on import.
 */
let traversalStamp = 0;

/**
 * A scalar node of a computation graph with reverse-mode autodiff: micrograd's `Value`.
 *
 * @example
 * ```ts
 * const a = new Value(2, [], '', { label: 'a' });
 * const b = new Value(-3, [], '', { label: 'b' });
 * const L = a.mul(b).add(10); // L = a*b + 10
 * L.backward();
 * console.log(L.toString()); // Value(data=4.0, grad=1.0)
 * console.log(a.grad, b.grad); // -3 2
 * ```
 */
export class Value {
  /** The number this node holds. */
  data: number;
  /** d(root)/d(this), filled in by `root.backward()`. */
  grad: number;
  /** A name for drawings; empty unless given. */
  label: string;
  /** The op that made this node (`'+'`, `'*'`, `'**2.0'`, `'tanh'`, …), or `''` for a leaf. */
  readonly op: string;
  /** The nodes this one was computed from (empty for a leaf). */
  readonly children: readonly Value[];
  /** Which primitive made this node: selects the local derivative in `backwardStep`. */
  private kind: number;
  /** The constant exponent of a `pow` node (unused by other ops). */
  private exponent: number;
  /**
   * Stamp of the last traversal that reached this node (see `topologicalOrder`).
   * @internal
   */
  _stamp: number;

  /**
   * @param data the number this node holds.
   * @param children the nodes it was computed from. A `Value` built by hand this way has no local
   *   backward: gradients stop at it (use the op methods to build differentiable graphs).
   * @param op a label for the operation, shown in drawings.
   */
  constructor(
    data: number,
    children: readonly Value[] = NO_CHILDREN,
    op = '',
    options?: ValueOptions,
  ) {
    if (typeof data !== 'number') {
      throw new TypeError(
        `Argument 'data' passed to 'Value' must be a number, got ${describe(data)}`,
      );
    }
    this.data = data;
    this.grad = 0;
    this.label = options?.label ?? '';
    this.op = op;
    this.children = children;
    this.kind = LEAF;
    this.exponent = 0;
    this._stamp = 0;
  }

  // ---- primitives (forward here, backward in `backwardStep`) ---------------------------------

  /** Builds an op node: the one place besides the constructor that sets `kind`. */
  private static node(data: number, children: Value[], op: string, kind: number): Value {
    const out = new Value(data, children, op);
    out.kind = kind;
    return out;
  }

  /**
   * `this + other`.
   *
   * @example
   * ```ts
   * new Value(2).add(3).data; // 5
   * ```
   */
  add(other: ValueLike): Value {
    const o = asValue(other, 'other', 'add');
    return Value.node(this.data + o.data, [this, o], '+', ADD);
  }

  /**
   * `this * other`.
   *
   * @example
   * ```ts
   * new Value(2).mul(-3).data; // -6
   * ```
   */
  mul(other: ValueLike): Value {
    const o = asValue(other, 'other', 'mul');
    return Value.node(this.data * o.data, [this, o], '*', MUL);
  }

  /**
   * `this ** exponent` for a constant number exponent (as in micrograd).
   * NOTE: a negative base with a fractional exponent gives NaN, as `Math.pow` and PyTorch do.
   *
   * @example
   * ```ts
   * const x = new Value(3);
   * const y = x.pow(2);
   * y.op; // '**2.0'
   * y.backward();
   * console.log(y.data, x.grad); // 9 6
   * ```
   */
  pow(exponent: number): Value {
    if (typeof exponent !== 'number') {
      throw new TypeError(
        `Argument 'exponent' passed to 'pow' must be a number, got ${describe(exponent)}; ` +
          'for a Value exponent write exp(log(x) * y)',
      );
    }
    const out = Value.node(this.data ** exponent, [this], `**${formatNumber(exponent)}`, POW);
    out.exponent = exponent;
    return out;
  }

  /**
   * `e ** this`.
   *
   * @example
   * ```ts
   * new Value(0).exp().data; // 1
   * ```
   */
  exp(): Value {
    return Value.node(Math.exp(this.data), [this], 'exp', EXP);
  }

  /**
   * Natural logarithm. NOTE: log of a non-positive number gives NaN or -Infinity, as in PyTorch.
   *
   * @example
   * ```ts
   * new Value(Math.E).log().data; // 1
   * ```
   */
  log(): Value {
    return Value.node(Math.log(this.data), [this], 'log', LOG);
  }

  /**
   * Hyperbolic tangent, the lecture's neuron activation.
   *
   * @example
   * ```ts
   * new Value(0.8814).tanh().data; // 0.7071...
   * ```
   */
  tanh(): Value {
    return Value.node(Math.tanh(this.data), [this], 'tanh', TANH);
  }

  /**
   * `max(0, this)`. NOTE: the derivative at exactly 0 is taken as 0, as in micrograd and PyTorch.
   *
   * @example
   * ```ts
   * new Value(-2).relu().data; // 0
   * ```
   */
  relu(): Value {
    return Value.node(Math.max(this.data, 0), [this], 'ReLU', RELU);
  }

  /**
   * Logistic sigmoid `1 / (1 + e^-x)`, computed without overflow for large |x|.
   *
   * @example
   * ```ts
   * new Value(0).sigmoid().data; // 0.5
   * ```
   */
  sigmoid(): Value {
    // Two branches keep exp() from overflowing: each only ever exponentiates a non-positive number.
    const x = this.data;
    const s = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    return Value.node(s, [this], 'sigmoid', SIGMOID);
  }

  /**
   * The local chain rule of the op that made this node: adds `d(this)/d(child) * this.grad` to each
   * child's `grad`. `backward()` calls it on every node, parents before children.
   */
  private backwardStep(): void {
    const g = this.grad;
    const c = this.children;
    switch (this.kind) {
      case ADD: // d(a+b)/da = 1, d(a+b)/db = 1
        c[0].grad += g;
        c[1].grad += g;
        break;
      case MUL: // d(ab)/da = b, d(ab)/db = a (for a*a both lines run: 2a, as it should)
        c[0].grad += c[1].data * g;
        c[1].grad += c[0].data * g;
        break;
      case POW: {
        // d(x^n)/dx = n x^(n-1); NOTE: taken as 0 for n = 0, where 0 * 0^-1 would be NaN at x = 0.
        const n = this.exponent;
        if (n !== 0) c[0].grad += n * c[0].data ** (n - 1) * g;
        break;
      }
      case EXP: // d(e^x)/dx = e^x, which is this node's own data
        c[0].grad += this.data * g;
        break;
      case LOG: // d(ln x)/dx = 1/x
        c[0].grad += g / c[0].data;
        break;
      case TANH: // d(tanh x)/dx = 1 - tanh²x
        c[0].grad += (1 - this.data * this.data) * g;
        break;
      case RELU: // 1 where the output is positive, else 0
        if (this.data > 0) c[0].grad += g;
        break;
      case SIGMOID: {
        // d(σ(x))/dx = σ(x)(1 − σ(x)) = e^−|x| / (1 + e^−|x|)². NOTE: written with e^−|x| because
        // 1 − σ(x) cancels catastrophically for large x (σ(50) rounds to 1, giving 0 instead of
        // 1.9e-22); PyTorch uses y(1 − y) and has that error.
        const e = Math.exp(-Math.abs(c[0].data));
        c[0].grad += (e / ((1 + e) * (1 + e))) * g;
        break;
      }
      default: // a leaf, or a node built by hand with the constructor: nothing to propagate
        break;
    }
  }

  // ---- composites: built from the primitives, no backward of their own ----------------------

  /**
   * `-this` (as `this * -1`).
   *
   * @example
   * ```ts
   * new Value(2).neg().data; // -2
   * ```
   */
  neg(): Value {
    return this.mul(-1);
  }

  /**
   * `this - other` (as `this + (-other)`).
   *
   * @example
   * ```ts
   * new Value(2).sub(5).data; // -3
   * ```
   */
  sub(other: ValueLike): Value {
    return this.add(asValue(other, 'other', 'sub').neg());
  }

  /**
   * `this / other` (as `this * other**-1`).
   *
   * @example
   * ```ts
   * new Value(3).div(2).data; // 1.5
   * ```
   */
  div(other: ValueLike): Value {
    return this.mul(asValue(other, 'other', 'div').pow(-1));
  }

  /**
   * `other - this`, for a number on the left (Python's `__rsub__`).
   *
   * @example
   * ```ts
   * new Value(2).rsub(10).data; // 8
   * ```
   */
  rsub(other: ValueLike): Value {
    return asValue(other, 'other', 'rsub').sub(this);
  }

  /**
   * `other / this`, for a number on the left (Python's `__rtruediv__`).
   *
   * @example
   * ```ts
   * new Value(4).rdiv(10).data; // 2.5
   * ```
   */
  rdiv(other: ValueLike): Value {
    return asValue(other, 'other', 'rdiv').div(this);
  }

  // ---- autograd -----------------------------------------------------------------------------

  /**
   * Backpropagation: sets `grad` of every node this one depends on to d(this)/d(node).
   *
   * Orders the graph topologically with an explicit stack (no recursion, so a chain of a million
   * nodes works), seeds `this.grad = 1` and runs each node's local backward in reverse order.
   * NOTE: like micrograd and PyTorch, gradients *accumulate*: call `zeroGrad()` (or reset `grad`)
   * before a second backward pass over the same graph.
   *
   * @example
   * ```ts
   * const x = new Value(3);
   * const y = x.mul(x).add(x); // x² + x
   * y.backward();
   * console.log(x.grad); // 7
   * ```
   */
  backward(): void {
    const order = topologicalOrder(this);
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardStep();
  }

  /**
   * Sets `grad = 0` on this node and every node it depends on.
   *
   * @example
   * ```ts
   * const x = new Value(3);
   * const y = x.mul(2);
   * y.backward();
   * y.zeroGrad();
   * console.log(x.grad, y.grad); // 0 0
   * ```
   */
  zeroGrad(): void {
    for (const n of topologicalOrder(this)) n.grad = 0;
  }

  /** Whether this node is a leaf: an input or a constant, not computed from other nodes. */
  get isLeaf(): boolean {
    return this.children.length === 0;
  }

  /**
   * micrograd's printout, with Python's float formatting.
   *
   * @example
   * ```ts
   * new Value(2).toString(); // 'Value(data=2.0, grad=0.0)'
   * ```
   */
  toString(): string {
    return `Value(data=${formatNumber(this.data)}, grad=${formatNumber(this.grad)})`;
  }
}

/**
 * Wraps a plain number as a constant `Value`; returns a `Value` unchanged.
 *
 * @example
 * ```ts
 * toValue(3).toString(); // 'Value(data=3.0, grad=0.0)'
 * ```
 */
export function toValue(x: ValueLike): Value {
  return asValue(x, 'x', 'toValue');
}

/** `toValue` with the argument and op named in the error (a separate function, so that
 * `xs.map(toValue)` cannot pass an index and an array as names). */
function asValue(x: ValueLike, name: string, op: string): Value {
  if (x instanceof Value) return x;
  if (typeof x === 'number') return new Value(x);
  throw new TypeError(
    `Argument '${name}' passed to '${op}' must be a Value or a number, got ${describe(x)}`,
  );
}

/**
 * Every node `root` depends on, children before parents, `root` last (each node once, even when
 * it is used many times). Iterative depth-first search: `stack[i]` is a node on the current path
 * and `next[i]` the index of its next child to visit; a node is emitted once all its children are.
 *
 * @example
 * ```ts
 * const a = new Value(1);
 * const b = a.add(a);
 * // a, b and b*b: each node once, though a and b are each used twice
 * topologicalOrder(b.mul(b)).length; // 3
 * ```
 */
export function topologicalOrder(root: Value): Value[] {
  const stamp = ++traversalStamp;
  const order: Value[] = [];
  const stack: Value[] = [root];
  const next: number[] = [0];
  root._stamp = stamp;
  // The arrays only grow: `top` moves up and down, so a deep chain allocates its stack once.
  let top = 0;
  while (top >= 0) {
    const v = stack[top];
    const k = next[top];
    if (k < v.children.length) {
      next[top] = k + 1;
      const child = v.children[k];
      if (child._stamp !== stamp) {
        child._stamp = stamp;
        top++;
        stack[top] = child;
        next[top] = 0;
      }
    } else {
      order.push(v);
      top--;
    }
  }
  return order;
}

/**
 * Python's `repr` of a float: `2` → `2.0`, `0.1` → `0.1`, `1e-5` → `1e-05`, `1e16` → `1e+16`,
 * `NaN` → `nan`, `-0` → `-0.0` (the shortest digits that round-trip, as both languages use).
 *
 * @example
 * ```ts
 * formatNumber(2); // '2.0'
 * formatNumber(0.00001); // '1e-05'
 * ```
 */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1); // the common case, fast
  // toExponential() gives the shortest round-trip digits, like Python's repr; Python writes them
  // in scientific notation outside 1e-4 <= |x| < 1e16, with a signed two-digit exponent.
  const [mantissa, e] = x.toExponential().split('e');
  const e10 = Number(e);
  if (e10 < -4 || e10 >= 16) {
    return `${mantissa}e${e10 < 0 ? '-' : '+'}${String(Math.abs(e10)).padStart(2, '0')}`;
  }
  const s = String(x); // JavaScript uses fixed notation throughout this range
  return s.includes('.') ? s : `${s}.0`;
}

/** How a bad argument reads in an error message: `string '3'`, `undefined`, `an array`, … */
function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'string') return `string '${x}'`;
  if (typeof x === 'bigint') return `bigint ${x}n`;
  if (typeof x === 'object') return `an object (${x.constructor?.name ?? 'Object'})`;
  return `${typeof x} ${String(x)}`;
}

// ---- free-function forms, so expressions read like math: add(a, b), tanh(x) -------------------

/**
 * `a + b` as a free function.
 *
 * @example
 * ```ts
 * add(2, new Value(3)).data; // 5
 * ```
 */
export const add = (a: ValueLike, b: ValueLike): Value =>
  asValue(a, 'a', 'add').add(asValue(b, 'b', 'add'));
/**
 * `a - b` as a free function.
 *
 * @example
 * ```ts
 * sub(2, new Value(3)).data; // -1
 * ```
 */
export const sub = (a: ValueLike, b: ValueLike): Value =>
  asValue(a, 'a', 'sub').sub(asValue(b, 'b', 'sub'));
/**
 * `a * b` as a free function.
 *
 * @example
 * ```ts
 * mul(2, new Value(3)).data; // 6
 * ```
 */
export const mul = (a: ValueLike, b: ValueLike): Value =>
  asValue(a, 'a', 'mul').mul(asValue(b, 'b', 'mul'));
/**
 * `a / b` as a free function.
 *
 * @example
 * ```ts
 * div(3, new Value(2)).data; // 1.5
 * ```
 */
export const div = (a: ValueLike, b: ValueLike): Value =>
  asValue(a, 'a', 'div').div(asValue(b, 'b', 'div'));
/**
 * `-a` as a free function.
 *
 * @example
 * ```ts
 * neg(2).data; // -2
 * ```
 */
export const neg = (a: ValueLike): Value => asValue(a, 'a', 'neg').neg();
/**
 * `a ** exponent` (constant exponent) as a free function.
 *
 * @example
 * ```ts
 * pow(new Value(3), 2).data; // 9
 * ```
 */
export const pow = (a: ValueLike, exponent: number): Value => asValue(a, 'a', 'pow').pow(exponent);
/**
 * `e ** a` as a free function.
 *
 * @example
 * ```ts
 * exp(0).data; // 1
 * ```
 */
export const exp = (a: ValueLike): Value => asValue(a, 'a', 'exp').exp();
/**
 * Natural logarithm as a free function.
 *
 * @example
 * ```ts
 * log(1).data; // 0
 * ```
 */
export const log = (a: ValueLike): Value => asValue(a, 'a', 'log').log();
/**
 * `tanh(a)` as a free function.
 *
 * @example
 * ```ts
 * tanh(0).data; // 0
 * ```
 */
export const tanh = (a: ValueLike): Value => asValue(a, 'a', 'tanh').tanh();
/**
 * `max(0, a)` as a free function.
 *
 * @example
 * ```ts
 * relu(-1).data; // 0
 * ```
 */
export const relu = (a: ValueLike): Value => asValue(a, 'a', 'relu').relu();
/**
 * Logistic sigmoid as a free function.
 *
 * @example
 * ```ts
 * sigmoid(0).data; // 0.5
 * ```
 */
export const sigmoid = (a: ValueLike): Value => asValue(a, 'a', 'sigmoid').sigmoid();

/**
 * Sum of many values as a single chain of `+` nodes (a constant 0 for an empty list).
 *
 * @example
 * ```ts
 * sum([1, new Value(2), 3]).data; // 6
 * ```
 */
export function sum(values: readonly ValueLike[]): Value {
  if (!Array.isArray(values)) {
    throw new TypeError(
      `Argument 'values' passed to 'sum' must be an array of Values or numbers, got ${describe(values)}`,
    );
  }
  let total = asValue(values.length > 0 ? values[0] : 0, 'values[0]', 'sum');
  for (let i = 1; i < values.length; i++)
    total = total.add(asValue(values[i], `values[${i}]`, 'sum'));
  return total;
}
