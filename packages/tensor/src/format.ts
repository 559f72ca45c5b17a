/**
 * `toString()` in PyTorch's style (a port of torch/_tensor_str.py, 1.13): `tensor([[ 0.0607, -1.2000]])`,
 * 4 decimals by default, numbers right-aligned to a common width, `1.` for whole floats, scientific
 * notation when the range is wide, rows wrapped at 80 columns, tensors of more than 1000 elements
 * summarized with `...` (3 items at each edge), `dtype=torch.float64` shown for the non-default float
 * type, `requires_grad=True` / `grad_fn=<…Backward0>` at the end.
 * NOTE: int32 plays PyTorch's int64 role here, so like int64 in PyTorch it prints no dtype.
 */
import { optionsArg } from './options.js';
import type { Tensor } from './tensor.js';

export interface PrintOptions {
  /** Digits after the decimal point (PyTorch's `precision`, default 4). */
  precision?: number;
}

const LINE_WIDTH = 80;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** Python's `'{:.pf}'.format(v)`: JS `toFixed`, but with Python's sign of -0 and half-even ties. */
function fixed(v: number, p: number): string {
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  let s = a.toFixed(p);
  // A tie at digit p needs v = k / 2^(p+1) exactly; then toFixed(p + 1) is exact and ends in 5.
  // JS rounds such ties away from zero, Python to even.
  if (Number.isInteger(a * 2 ** (p + 1)) && a < 1e15) {
    const longer = a.toFixed(p + 1);
    const before = longer[longer.length - (p === 0 ? 3 : 2)];
    if (longer.endsWith('5') && Number(before) % 2 === 0) {
      s = longer.slice(0, p === 0 ? -2 : -1);
    }
  }
  return sign + s;
}

/** Python's `'{:.pe}'.format(v)`: two-digit exponents at least, sign of -0 kept. */
function scientific(v: number, p: number): string {
  const s = Math.abs(v)
    .toExponential(p)
    .replace(/e([+-])(\d)$/, 'e$10$2');
  return (v < 0 || Object.is(v, -0) ? '-' : '') + s;
}

function special(v: number): string | null {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return null;
}

/** torch's `_Formatter`: decides int/fixed/scientific mode and the common width from the values. */
function makeFormatter(values: number[], isInt: boolean, precision: number) {
  let intMode = true;
  let sciMode = false;
  let width = 1;
  if (isInt) {
    for (const v of values) width = Math.max(width, String(v).length);
  } else {
    const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (nonzero.length > 0) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      for (const v of nonzero) {
        const a = Math.abs(v);
        if (a < lo) lo = a;
        if (a > hi) hi = a;
        if (v !== Math.ceil(v)) intMode = false;
      }
      sciMode = hi / lo > 1000 || hi > 1e8 || (!intMode && lo < 1e-4);
      for (const v of nonzero) {
        const s = sciMode
          ? scientific(v, precision)
          : intMode
            ? `${fixed(v, 0)}.`
            : fixed(v, precision);
        width = Math.max(width, s.length);
      }
    }
  }
  const format = (v: number): string => {
    let s: string;
    if (isInt) s = String(v);
    else if (sciMode) s = special(v) ?? scientific(v, precision);
    else if (intMode) s = special(v) ?? `${fixed(v, 0)}.`;
    else s = special(v) ?? fixed(v, precision);
    return s.padStart(width);
  };
  return { width, format };
}

/** Nested view of the flat values: a row-major cursor over `shape`. */
interface Block {
  shape: readonly number[];
  start: number;
}

function sub(b: Block, i: number): Block {
  let step = 1;
  for (let d = 1; d < b.shape.length; d++) step *= b.shape[d];
  return { shape: b.shape.slice(1), start: b.start + i * step };
}

/** The elements torch shows when summarizing (3 at each edge of every long dimension). */
function summarizedValues(values: ArrayLike<number>, b: Block, out: number[]): void {
  if (b.shape.length === 0) {
    out.push(values[b.start]);
    return;
  }
  const n = b.shape[0];
  const rows =
    n > 2 * EDGE_ITEMS
      ? [
          ...Array(EDGE_ITEMS).keys(),
          ...Array.from({ length: EDGE_ITEMS }, (_, k) => n - EDGE_ITEMS + k),
        ]
      : [...Array(n).keys()];
  if (b.shape.length === 1) for (const i of rows) out.push(values[b.start + i]);
  else for (const i of rows) summarizedValues(values, sub(b, i), out);
}

export function formatTensor(t: Tensor, options: PrintOptions = {}): string {
  optionsArg(options, 'toString', ['precision']);
  const precision = options.precision ?? 4;
  const values = t.data;
  const isInt = t.dtype === 'int32';
  const prefix = 'tensor(';
  const indent = prefix.length;
  const summarize = t.numel() > THRESHOLD;
  const root: Block = { shape: t.shape, start: 0 };
  let body: string;
  if (t.numel() === 0) body = '[]';
  else {
    const shown: number[] = [];
    if (summarize) summarizedValues(values, root, shown);
    else for (let i = 0; i < values.length; i++) shown.push(values[i]);
    const { width, format } = makeFormatter(shown, isInt, precision);
    const vector = (b: Block, ind: number): string => {
      const n = b.shape[0];
      const items: string[] = [];
      if (summarize && n > 2 * EDGE_ITEMS) {
        for (let i = 0; i < EDGE_ITEMS; i++) items.push(format(values[b.start + i]));
        items.push(' ...');
        for (let i = n - EDGE_ITEMS; i < n; i++) items.push(format(values[b.start + i]));
      } else for (let i = 0; i < n; i++) items.push(format(values[b.start + i]));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - ind) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) {
        lines.push(items.slice(i, i + perLine).join(', '));
      }
      return `[${lines.join(`,\n${' '.repeat(ind + 1)}`)}]`;
    };
    const build = (b: Block, ind: number): string => {
      const dim = b.shape.length;
      if (dim === 0) return format(values[b.start]);
      if (dim === 1) return vector(b, ind);
      const n = b.shape[0];
      const parts: string[] = [];
      if (summarize && n > 2 * EDGE_ITEMS) {
        for (let i = 0; i < EDGE_ITEMS; i++) parts.push(build(sub(b, i), ind + 1));
        parts.push('...');
        for (let i = n - EDGE_ITEMS; i < n; i++) parts.push(build(sub(b, i), ind + 1));
      } else for (let i = 0; i < n; i++) parts.push(build(sub(b, i), ind + 1));
      return `[${parts.join(`,${'\n'.repeat(dim - 1)}${' '.repeat(ind + 1)}`)}]`;
    };
    body = build(root, indent);
  }
  const suffixes: string[] = [];
  if (t.numel() === 0 && t.ndim !== 1) suffixes.push(`size=(${t.shape.join(', ')})`);
  if (t.dtype === 'float64') suffixes.push('dtype=torch.float64');
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.name}Backward0>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  // Suffixes go on a new line when they would overflow the last line (torch's _add_suffixes).
  let out = prefix + body;
  let lastLine = out.length - out.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${s}`;
      lastLine = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLine += s.length + 2;
    }
  }
  return `${out})`;
}
