/**
 * The expression lab's engine, framework-free: a `Value` graph flattened into plain nodes in
 * topological order, with the forward pass, the backward pass and backward *one node at a time* run
 * on plain numbers, so the page can show each step ("local × upstream = contribution") and re-run
 * the graph when a leaf changes without rebuilding it (the drawing's layout stays put).
 *
 * The local derivatives are micrograd's, op by op (the same table as `Value.backwardStep` in core);
 * a test checks that stepping to the end gives exactly the grads of `Value.backward()`.
 */
import { trace, type Value } from '@llm-playground/core';

/** One value of the lab's graph. */
export interface LabNode {
  /** Position in topological order (children first, the root last); also `v<id>` in `toDot`. */
  id: number;
  label: string;
  /** `''` for a leaf, else `'+'`, `'*'`, `'**2.0'`, `'exp'`, `'log'`, `'tanh'`, `'ReLU'`, `'sigmoid'`. */
  op: string;
  /** Operand ids, in operand order (`a*a` lists `a` twice). */
  children: number[];
  data: number;
  grad: number;
}

/** One term of a backward step: what the node passes to one operand. */
export interface BackwardTerm {
  /** The operand that receives the contribution. */
  child: number;
  /** ∂node/∂child, the op's local derivative at the current data. */
  local: number;
  /** local × upstream, added to the child's grad. */
  contribution: number;
}

/** What one click of "step backward" did. */
export interface BackwardStep {
  /** The node whose local gradient was applied (the root for the first, seeding step). */
  node: number;
  /** `'seed'`: root.grad = 1 (dL/dL); `'chain'`: the chain rule through one op. */
  kind: 'seed' | 'chain';
  /** The node's own grad (dRoot/dNode), the "upstream" gradient. */
  upstream: number;
  terms: BackwardTerm[];
}

/**
 * Where the lab is: `'built'` (leaves known, forward not run yet), `'forward'` (data computed, grads
 * zero), `'stepping'` (part of the backward pass applied), `'backward'` (every grad known).
 */
export type LabPhase = 'built' | 'forward' | 'stepping' | 'backward';

/** The exponent of a pow node from its op label (`'**2.0'` → 2, `'**-1.0'` → -1). */
function exponentOf(op: string): number {
  return Number(op.slice(2));
}

/** Forward of one op on plain numbers, as `Value` computes it. */
function applyOp(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '*':
      return a * b;
    case 'exp':
      return Math.exp(a);
    case 'log':
      return Math.log(a);
    case 'tanh':
      return Math.tanh(a);
    case 'ReLU':
      return Math.max(a, 0);
    case 'sigmoid':
      // The two branches keep exp() from overflowing, as core's `sigmoid` does.
      return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    default:
      if (op.startsWith('**')) return a ** exponentOf(op);
      throw new RangeError(`Argument 'op' passed to 'applyOp' is not a known op, got '${op}'`);
  }
}

/**
 * ∂out/∂operand[index] for the op that made `out`, given the operands' data: micrograd's local
 * derivatives.
 */
function localDerivative(op: string, out: number, operands: number[], index: number): number {
  const x = operands[0];
  switch (op) {
    case '+': // d(a+b)/da = d(a+b)/db = 1
      return 1;
    case '*': // d(ab)/da = b, d(ab)/db = a
      return operands[1 - index];
    case 'exp': // d(e^x)/dx = e^x: the node's own data
      return out;
    case 'log': // d(ln x)/dx = 1/x
      return 1 / x;
    case 'tanh': // 1 − tanh²x
      return 1 - out * out;
    case 'ReLU': // NOTE: 0 at x = 0, as micrograd and PyTorch
      return out > 0 ? 1 : 0;
    case 'sigmoid': {
      // σ(x)(1 − σ(x)) written as e^−|x| / (1 + e^−|x|)², as core does (exact for large |x|)
      const e = Math.exp(-Math.abs(x));
      return e / ((1 + e) * (1 + e));
    }
    default: {
      // d(x^n)/dx = n x^(n−1); NOTE: 0 for n = 0, as core and PyTorch
      const n = exponentOf(op);
      return n === 0 ? 0 : n * x ** (n - 1);
    }
  }
}

/**
 * A graph to experiment with: run forward, backward, or backward one node at a time; nudge any
 * node by h and compare the slope with its grad; change a leaf and re-run.
 *
 * @example
 * ```ts
 * const lab = ExpressionLab.fromValue(buildExpression(PRESETS.chain.source).root);
 * lab.forward();
 * lab.backward();
 * lab.byLabel('a')!.grad; // 6
 * lab.nudge(lab.byLabel('a')!.id, 1e-6); // ≈ 6
 * ```
 */
export class ExpressionLab {
  /** Every value, in topological order (`nodes[i].id === i`); the root is last. */
  readonly nodes: LabNode[];
  /** The root's id (always `nodes.length − 1`). */
  readonly root: number;
  /**
   * What "step backward" does, in order: seed the root, then apply each computed node's local
   * gradient, root first (reverse topological order).
   */
  readonly backwardOrder: { node: number; kind: 'seed' | 'chain' }[];
  private phaseValue: LabPhase = 'built';
  private cursor = 0;

  private constructor(nodes: LabNode[]) {
    this.nodes = nodes;
    this.root = nodes.length - 1;
    // Reverse topological order: a node's grad is complete once every node computed from it
    // (all later in topological order) has passed its contribution back.
    this.backwardOrder = [{ node: this.root, kind: 'seed' }];
    for (let id = this.root; id >= 0; id--) {
      if (nodes[id].op !== '') this.backwardOrder.push({ node: id, kind: 'chain' });
    }
  }

  /**
   * Flattens the graph behind `root`. The lab starts in phase `'built'`: leaves hold their data,
   * computed nodes are considered unknown until `forward()`.
   */
  static fromValue(root: Value): ExpressionLab {
    const { nodes, edges } = trace(root);
    const labNodes: LabNode[] = nodes.map((n) => ({
      id: n.id,
      label: n.label,
      op: n.op,
      children: [],
      data: n.data,
      grad: 0,
    }));
    for (const edge of edges) labNodes[edge.to].children.push(edge.from);
    return new ExpressionLab(labNodes);
  }

  get phase(): LabPhase {
    return this.phaseValue;
  }

  /** How many backward steps have been applied (the seed counts as one). */
  get stepsTaken(): number {
    return this.cursor;
  }

  /** The first node with this label (names from the editor are unique). */
  byLabel(label: string): LabNode | undefined {
    return this.nodes.find((n) => n.label === label);
  }

  /** The leaves (inputs and constants), in topological order. */
  leaves(): LabNode[] {
    return this.nodes.filter((n) => n.op === '');
  }

  /**
   * The forward pass on plain numbers; `overrides` pins some nodes' data (a nudged value): nodes
   * computed from them are recomputed, the pinned node itself is not. Returns every node's data;
   * does not modify the lab.
   */
  evaluate(overrides?: ReadonlyMap<number, number>): Float64Array {
    const data = new Float64Array(this.nodes.length);
    for (const n of this.nodes) {
      const pinned = overrides?.get(n.id);
      if (pinned !== undefined) data[n.id] = pinned;
      else if (n.op === '') data[n.id] = n.data;
      else {
        const c = n.children;
        data[n.id] = applyOp(n.op, data[c[0]], c.length > 1 ? data[c[1]] : 0);
      }
    }
    return data;
  }

  /** Runs the forward pass: every computed node's data; all grads back to 0. */
  forward(): void {
    const data = this.evaluate();
    for (const n of this.nodes) {
      n.data = data[n.id];
      n.grad = 0;
    }
    this.cursor = 0;
    this.phaseValue = 'forward';
  }

  /** Zeroes the grads (phase back to `'forward'`); runs the forward pass first if needed. */
  zeroGrad(): void {
    if (this.phaseValue === 'built') this.forward();
    for (const n of this.nodes) n.grad = 0;
    this.cursor = 0;
    this.phaseValue = 'forward';
  }

  /**
   * Applies the next node's local gradient (the first call seeds root.grad = 1). Runs the forward
   * pass first if needed. Returns `null` when the backward pass is complete.
   */
  stepBackward(): BackwardStep | null {
    if (this.phaseValue === 'built') this.forward();
    if (this.cursor >= this.backwardOrder.length) return null;
    const { node: id, kind } = this.backwardOrder[this.cursor++];
    const node = this.nodes[id];
    let step: BackwardStep;
    if (kind === 'seed') {
      node.grad = 1; // dL/dL
      step = { node: id, kind, upstream: 1, terms: [] };
    } else {
      const operands = node.children.map((c) => this.nodes[c].data);
      const terms = node.children.map((child, index) => {
        const local = localDerivative(node.op, node.data, operands, index);
        return { child, local, contribution: local * node.grad };
      });
      // Accumulate (+=): an operand used twice (a*a, or a in two places) gets both contributions.
      for (const term of terms) this.nodes[term.child].grad += term.contribution;
      step = { node: id, kind, upstream: node.grad, terms };
    }
    this.phaseValue = this.cursor >= this.backwardOrder.length ? 'backward' : 'stepping';
    return step;
  }

  /** Runs the rest of the backward pass (all of it from phase `'forward'`). */
  backward(): void {
    if (this.phaseValue === 'backward') this.zeroGrad();
    while (this.stepBackward() !== null) {
      // each step accumulates into the operands' grads
    }
  }

  /** Sets a leaf's data and re-runs whatever had been run (forward, and as many backward steps). */
  setLeaf(id: number, data: number): void {
    const node = this.nodes[id];
    if (node === undefined || node.op !== '') {
      throw new RangeError(`Argument 'id' passed to 'setLeaf' must be a leaf's id, got ${id}`);
    }
    node.data = data;
    const phase = this.phaseValue;
    const steps = this.cursor;
    if (phase === 'built') return;
    this.forward();
    if (phase === 'backward') this.backward();
    else for (let i = 0; i < steps; i++) this.stepBackward();
  }

  /**
   * The lecture's numerical check: nudge node `id` by `h`, re-run everything computed from it, and
   * return (L(x + h) − L(x)) / h, which approaches dL/dx as h → 0.
   */
  nudge(id: number, h: number): number {
    const base = this.evaluate();
    const nudged = this.evaluate(new Map([[id, base[id] + h]]));
    return (nudged[this.root] - base[this.root]) / h;
  }
}

/**
 * Whether a backpropagated grad and a nudge estimate with step `h` agree: within 1e-3 relative (the
 * rounding error of (L(x+h) − L(x))/h grows like 1e-16·|L|/h) plus 10·h (its truncation error
 * grows like h·L''/2).
 *
 * @example
 * ```ts
 * gradientsAgree(6, 6.000001, 1e-6); // true
 * gradientsAgree(6, 6.5, 1e-6); // false
 * ```
 */
export function gradientsAgree(grad: number, numeric: number, h: number): boolean {
  // The same infinity on both sides agrees (−inf vs −inf is not a mismatch).
  if (grad === numeric && !Number.isNaN(grad)) return true;
  if (!Number.isFinite(grad) || !Number.isFinite(numeric)) return false;
  return Math.abs(grad - numeric) <= (1e-3 + 10 * h) * (1 + Math.abs(grad));
}

/**
 * How a grad compares with its nudge estimate: `agree` (✓, the same to 4 significant digits),
 * `close` (≈, within what a nudge of this h can be off by, see `gradientsAgree`), `differ` (✗),
 * `unknown` when either is NaN (nothing to compare).
 */
export type GradientCheck = 'agree' | 'close' | 'differ' | 'unknown';

/**
 * `gradientsAgree` in four answers: ✓ when the two agree to 1e-4 relative (what a good h gives),
 * ≈ when they differ by more but by no more than a forward difference with this `h` can err
 * (truncation ~h, rounding ~1e-16/h: a large or a tiny h), ✗ beyond that. A NaN on either side
 * cannot be checked (it is not a wrong gradient, it is no number at all), so it reads `unknown`.
 *
 * @example
 * ```ts
 * checkGradient(6, 6.000003, 1e-6); // 'agree'
 * checkGradient(6, 6.03, 1e-2); // 'close': h = 0.01 is coarse
 * checkGradient(6, 6.5, 1e-6); // 'differ'
 * checkGradient(-Infinity, -Infinity, 1e-6); // 'agree'
 * checkGradient(Number.NaN, 1, 1e-6); // 'unknown'
 * ```
 */
export function checkGradient(grad: number, numeric: number, h: number): GradientCheck {
  if (Number.isNaN(grad) || Number.isNaN(numeric)) return 'unknown';
  if (!gradientsAgree(grad, numeric, h)) return 'differ';
  if (grad === numeric) return 'agree';
  return Math.abs(grad - numeric) <= 1e-4 * (1 + Math.abs(grad)) ? 'agree' : 'close';
}

/** The mark of a check: ✓ agree, ≈ close, ✗ differ, ? unknown. */
export const CHECK_MARKS: Readonly<Record<GradientCheck, string>> = {
  agree: '✓',
  close: '≈',
  differ: '✗',
  unknown: '?',
};

/**
 * What `inf` and `NaN` in a graph mean, for the lab's explanation (null when every number is finite).
 */
export function nonFiniteExplanation(values: readonly number[]): string | null {
  const hasInf = values.some(
    (v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY,
  );
  const hasNaN = values.some(Number.isNaN);
  if (!hasInf && !hasNaN) return null;
  const parts: string[] = [];
  if (hasInf) {
    parts.push(
      'inf (or -inf) means the number overflowed: it is beyond ±1.8·10³⁰⁸, the largest 64-bit float ' +
        '(exp(710), 1/0, 10**400). Arithmetic goes on with it: inf + 1 = inf, −2·inf = −inf.',
    );
  }
  if (hasNaN) {
    parts.push(
      'NaN ("not a number") means the result is undefined: inf − inf, 0·inf, 0/0, log of a negative ' +
        'number. Every node computed from a NaN is NaN too, and its gradient cannot be checked (shown as ?).',
    );
  }
  return parts.join(' ');
}
