/**
 * Shared argument checks for the class-index losses (crossEntropy, nllLoss): input `[N, C]` with
 * target `[N]`, or input `[C]` with a 0-d target; integer targets in [0, C) or `ignoreIndex`.
 */
import { DTypeError, IndexError, ShapeError, type Tensor } from '@llm-playground/tensor';

export interface ClassProblem {
  /** Rows (N; 1 for a 1-d input). */
  rows: number;
  /** Classes (C). */
  classes: number;
  /** Input elements, contiguous (a view of the storage when possible). */
  x: Float32Array | Float64Array;
  /** Target class per row. */
  y: Int32Array;
}

export function classProblem(
  input: Tensor,
  target: Tensor,
  ignoreIndex: number,
  op: string,
): ClassProblem {
  if (input.dtype === 'int32') {
    throw new DTypeError(`${op}: expected a floating-point input, got dtype int32`);
  }
  if (target.dtype !== 'int32') {
    throw new DTypeError(
      `${op}: expected target of dtype int32 (class indices), got ${target.dtype}. NOTE: class-probability targets are not supported`,
    );
  }
  let rows: number;
  if (input.ndim === 2) {
    if (target.ndim !== 1 || target.shape[0] !== input.shape[0]) {
      throw new ShapeError(
        target.ndim === 1
          ? `Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`
          : `${op}: 1D target tensor expected, multi-target not supported (input [${input.shape.join(', ')}], target [${target.shape.join(', ')}])`,
      );
    }
    rows = input.shape[0];
  } else if (input.ndim === 1) {
    if (target.ndim !== 0) {
      throw new ShapeError(
        `${op}: a 1-d input [C] needs a 0-d target, got target [${target.shape.join(', ')}]`,
      );
    }
    rows = 1;
  } else {
    throw new ShapeError(
      `${op}: expected input [N, C] or [C], got [${input.shape.join(', ')}] (flatten extra dimensions into N first)`,
    );
  }
  const classes = input.ndim === 2 ? input.shape[1] : input.shape[0];
  const y = target.data as Int32Array;
  for (let i = 0; i < rows; i++) {
    const t = y[i];
    if (t !== ignoreIndex && (t < 0 || t >= classes)) {
      throw new IndexError(`Target ${t} is out of bounds.`);
    }
  }
  return { rows, classes, x: input.data as Float32Array | Float64Array, y };
}
