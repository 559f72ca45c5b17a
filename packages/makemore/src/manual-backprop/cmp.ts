/**
 * The lecture's gradient check: `cmp(name, dt, t)` compares a hand-computed gradient with the one
 * autograd left in `t.grad` — exact (every element equal), approximate (`torch.allclose` with its
 * default rtol 1e-5, atol 1e-8) and the largest absolute difference — and `formatCmpTable` prints
 * the lecture's lines.
 */
import type { Tensor } from '@llm-playground/tensor';
import type { ManualGradients } from './backward.js';
import type { BackpropMlpParameters, ForwardSteps } from './network.js';

/** One line of the check. */
export interface CmpResult {
  name: string;
  /** Every element equal (`torch.all(dt == t.grad)`). */
  exact: boolean;
  /** `torch.allclose(dt, t.grad)`: |dt − grad| ≤ atol + rtol·|grad| everywhere. */
  approximate: boolean;
  /** max |dt − grad| (NaN when the shapes cannot be compared or a value is NaN). */
  maxDiff: number;
  /** `dt.shape == t.shape` (the lecture's later `shape is correct` column). */
  shapeOk: boolean;
}

/** `torch.allclose`'s defaults. */
export const ALLCLOSE_RTOL = 1e-5;
export const ALLCLOSE_ATOL = 1e-8;

/**
 * Compares the manual gradient `manual` with `t.grad` (kept by `retainGrad()` for an intermediate,
 * or a leaf's). A wrong shape is reported (`shapeOk: false`, neither exact nor approximate), not
 * thrown, so a learner's wrong answer shows as ✗; a missing `t.grad` is a programming error and throws.
 *
 * NOTE: unlike the lecture's `cmp`, which compares broadcastable shapes element by element (a
 * [64] gradient passes for a [1, 64] tensor), a shape that differs from `t.shape` never passes.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
 * x.pow(2).sum().backward();
 * cmp('x', tensor([2, 4], { dtype: 'float64' }), x); // { name: 'x', exact: true, approximate: true, maxDiff: 0, shapeOk: true }
 * cmp('x', tensor([2, 4.00001], { dtype: 'float64' }), x).approximate; // true
 * cmp('x', tensor([2, 4.1], { dtype: 'float64' }), x).approximate; // false
 * ```
 */
export function cmp(name: string, manual: Tensor, t: Tensor): CmpResult {
  const grad = t.grad;
  if (grad === null) {
    throw new TypeError(
      `cmp('${name}'): ${name}.grad is None: call retainGrad() on it (a non-leaf) before loss.backward(), or run backward first`,
    );
  }
  const shapeOk =
    manual.shape.length === t.shape.length && manual.shape.every((d, i) => d === t.shape[i]);
  if (!shapeOk) return { name, exact: false, approximate: false, maxDiff: Number.NaN, shapeOk };
  const a = manual.contiguous().data;
  const b = grad.contiguous().data;
  let exact = true;
  let approximate = true;
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i] - b[i]);
    if (!(a[i] === b[i])) exact = false;
    if (!(diff <= ALLCLOSE_ATOL + ALLCLOSE_RTOL * Math.abs(b[i]))) approximate = false;
    if (!(diff <= maxDiff)) maxDiff = diff; // a NaN stays
  }
  return { name, exact, approximate, maxDiff, shapeOk };
}

/** The lecture's order of `cmp` lines in exercise 1: each intermediate, with the parameters where they enter. */
export const CMP_ORDER = [
  'logprobs',
  'probs',
  'counts_sum_inv',
  'counts_sum',
  'counts',
  'norm_logits',
  'logit_maxes',
  'logits',
  'h',
  'W2',
  'b2',
  'hpreact',
  'bngain',
  'bnbias',
  'bnraw',
  'bnvar_inv',
  'bnvar',
  'bndiff2',
  'bndiff',
  'bnmeani',
  'hprebn',
  'embcat',
  'W1',
  'b1',
  'emb',
  'C',
] as const satisfies readonly (keyof ManualGradients)[];

/**
 * Every line of exercise 1's check: `cmp(name, grads[name], tensor)` in the lecture's order, the
 * tensor being the intermediate of `steps` or the parameter of that name. Names missing from
 * `grads` are skipped (a partial answer checks what it has). A parameter's `grad` accumulates over
 * backward passes: clear it before each one (the lecture's `for p in parameters: p.grad = None`).
 */
export function compareGradients(
  grads: Partial<ManualGradients>,
  steps: ForwardSteps,
  params: BackpropMlpParameters,
): CmpResult[] {
  const rows: CmpResult[] = [];
  for (const name of CMP_ORDER) {
    const manual = grads[name];
    if (manual === undefined) continue;
    const t =
      name in params
        ? params[name as keyof BackpropMlpParameters]
        : steps[name as keyof ForwardSteps];
    rows.push(cmp(name, manual, t));
  }
  return rows;
}

/** ✓ exact, ≈ approximate, ✗ wrong (or the wrong shape). */
export function cmpMark(row: CmpResult): '✓' | '≈' | '✗' {
  if (!row.shapeOk) return '✗';
  return row.exact ? '✓' : row.approximate ? '≈' : '✗';
}

/** Python's `repr` of a float: `0.0`, `4.656612873077393e-10`, `5e-05`, `nan`. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [mantissa, exponent] = x.toExponential().split('e');
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/**
 * The lecture's table, one line per row:
 * `logprobs        | exact: True  | approximate: True  | maxdiff: 0.0`; with `{ marks: true }`
 * each line starts with ✓, ≈ or ✗, and a wrong shape adds `| shape is correct: False`.
 *
 * @example
 * ```ts
 * const row = { name: 'hprebn', exact: false, approximate: true, maxDiff: 9.313225746154785e-10, shapeOk: true };
 * console.log(formatCmpTable([row], { marks: true }));
 * // ≈ hprebn          | exact: False | approximate: True  | maxdiff: 9.313225746154785e-10
 * ```
 */
export function formatCmpTable(
  rows: readonly CmpResult[],
  options: { marks?: boolean } = {},
): string {
  const py = (b: boolean) => (b ? 'True' : 'False').padEnd(5);
  return rows
    .map((r) => {
      const line = `${r.name.padEnd(15)} | exact: ${py(r.exact)} | approximate: ${py(r.approximate)} | maxdiff: ${pythonFloat(r.maxDiff)}${r.shapeOk ? '' : ' | shape is correct: False'}`;
      return options.marks ? `${cmpMark(r)} ${line}` : line;
    })
    .join('\n');
}
