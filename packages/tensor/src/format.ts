/**
 * `toString()` in PyTorch's style: `tensor([[ 0.0607, -1.2000]])`, 4 decimals by default, numbers
 * right-aligned to a common width, `1.` for whole floats, scientific notation when the range is wide,
 * `dtype=…` shown for non-default types, `requires_grad=True` / `grad_fn=<…Backward>` at the end.
 */
import type { Tensor } from './tensor.js';

export interface PrintOptions {
  /** Digits after the decimal point (PyTorch's `precision`, default 4). */
  precision?: number;
}

export function formatTensor(t: Tensor, options: PrintOptions = {}): string {
  const precision = options.precision ?? 4;
  const values = Array.from(t.data);
  const isInt = t.dtype === 'int32';
  const finite = values.filter((v) => Number.isFinite(v));
  const wholeFloats = !isInt && finite.every((v) => Number.isInteger(v));
  const absFinite = finite.map(Math.abs).filter((v) => v > 0);
  const maxAbs = absFinite.length ? Math.max(...absFinite) : 0;
  const minAbs = absFinite.length ? Math.min(...absFinite) : 0;
  const sci = !isInt && !wholeFloats && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4);
  const one = (v: number): string => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (isInt) return String(v);
    if (wholeFloats) return `${v.toFixed(0)}.`;
    if (sci) return v.toExponential(precision).replace(/e([+-])(\d)$/, 'e$10$2');
    return v.toFixed(precision);
  };
  const strings = values.map(one);
  const width = strings.reduce((w, s) => Math.max(w, s.length), 0);
  const padded = strings.map((s) => s.padStart(width));
  const prefix = 'tensor(';
  let body: string;
  if (t.ndim === 0) body = strings[0];
  else {
    const build = (dim: number, start: number, indent: number): string => {
      const size = t.shape[dim];
      if (dim === t.ndim - 1) return `[${padded.slice(start, start + size).join(', ')}]`;
      let step = 1;
      for (let d = dim + 1; d < t.ndim; d++) step *= t.shape[d];
      const sep = `,${'\n'.repeat(t.ndim - dim - 1)}${' '.repeat(indent + 1)}`;
      const parts = Array.from({ length: size }, (_, i) =>
        build(dim + 1, start + i * step, indent + 1),
      );
      return `[${parts.join(sep)}]`;
    };
    body = build(0, 0, prefix.length);
  }
  const extras: string[] = [];
  if (t.numel() === 0) extras.push(`size=(${t.shape.join(', ')}${t.ndim === 1 ? ',' : ''})`);
  if (t.dtype === 'float64') extras.push('dtype=torch.float64');
  if (isInt) extras.push('dtype=torch.int32');
  if (t.gradFn) extras.push(`grad_fn=<${t.gradFn.name}Backward0>`);
  else if (t.requiresGrad) extras.push('requires_grad=True');
  return `${prefix}${body}${extras.length ? `, ${extras.join(', ')}` : ''})`;
}
