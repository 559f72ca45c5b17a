import { IndexError, ShapeError } from './errors.js';

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C-contiguous) strides for `shape`. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** PyTorch's broadcasting: align from the right; each pair of sizes must be equal or one of them 1. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
  }
  return out;
}

/**
 * Strides that read a tensor of `shape`/`strides` as if it had the (larger) `target` shape:
 * broadcast dimensions get stride 0.
 */
export function broadcastStrides(
  shape: Shape,
  strides: readonly number[],
  target: Shape,
): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[lead + i] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** Wraps a possibly negative `dim` into [0, ndim), with PyTorch's error when it is out of range. */
export function normalizeDim(dim: number, ndim: number): number {
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new IndexError(
      `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + rank : dim;
}

/** Normalises `dim` (a number, a list, or undefined for all dimensions) to a sorted unique list. */
export function normalizeDims(dim: number | readonly number[] | undefined, ndim: number): number[] {
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === 'number' ? [dim] : dim;
  const out = [...new Set(list.map((d) => normalizeDim(d, ndim)))];
  if (out.length !== list.length)
    throw new IndexError(`dim ${formatShape(list)} appears multiple times in the list of dims`);
  return out.sort((x, y) => x - y);
}

/** Resolves one `-1` in a requested shape and checks the element count. */
export function inferShape(requested: readonly number[], total: number): number[] {
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < requested.length; i++) {
    const d = requested[i];
    if (d === -1) {
      if (unknown !== -1) throw new ShapeError('only one dimension can be inferred');
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`invalid shape dimension ${d}`);
    } else known *= d;
  }
  const out = [...requested];
  if (unknown !== -1) {
    if (known === 0 || total % known !== 0) {
      throw new ShapeError(
        `shape '${formatShape(requested)}' is invalid for input of size ${total}`,
      );
    }
    out[unknown] = total / known;
  } else if (known !== total) {
    throw new ShapeError(`shape '${formatShape(requested)}' is invalid for input of size ${total}`);
  }
  return out;
}
