// Internal argument checks shared by the micro modules and losses (not exported from the package).

import type { Value, ValueLike } from '@llm-playground/core';

export function checkPositiveInteger(op: string, name: string, n: unknown): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `Argument '${name}' passed to '${op}' must be a positive integer, got ${String(n)}`,
    );
  }
}

export function checkInputs(op: string, expected: number, x: readonly ValueLike[]): void {
  if (!Array.isArray(x)) {
    throw new TypeError(`${op} expected an array of ${expected} inputs, got ${typeof x}`);
  }
  if (x.length !== expected) {
    throw new RangeError(`${op} expected ${expected} inputs, got ${x.length}`);
  }
}

/** Two arrays that pair up element by element must have the same, non-zero length. */
export function checkSameLength(
  op: string,
  nameA: string,
  a: readonly unknown[],
  nameB: string,
  b: readonly unknown[],
): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${op}: '${nameA}' and '${nameB}' must have the same length, got ${nameA}.length=${a.length} and ${nameB}.length=${b.length}`,
    );
  }
  if (a.length === 0) throw new RangeError(`${op}: '${nameA}' must not be empty`);
}

/** Loss reductions, as PyTorch's `reduction=` keyword (`'none'` would return many values, so it is absent). */
export type Reduction = 'mean' | 'sum';

/**
 * Sums per-sample losses, then for `'mean'` multiplies by the constant `1/n` (micrograd's
 * `sum(losses) * (1.0 / len(losses))`).
 */
export function reduce(op: string, losses: Value[], reduction: unknown): Value {
  checkReduction(op, reduction);
  let total = losses[0];
  for (let i = 1; i < losses.length; i++) total = total.add(losses[i]);
  return reduction === 'mean' ? total.mul(1 / losses.length) : total;
}

export function checkReduction(op: string, reduction: unknown): void {
  if (reduction !== 'mean' && reduction !== 'sum') {
    throw new RangeError(
      `Argument 'reduction' passed to '${op}' must be 'mean' or 'sum', got ${String(reduction)}`,
    );
  }
}

export function dataOf(x: ValueLike): number {
  return typeof x === 'number' ? x : x.data;
}

/** The largest `.data` in a row: subtracted (as a constant) before `exp` so nothing overflows. */
export function maxData(row: readonly ValueLike[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of row) {
    const d = dataOf(x);
    if (d > m) m = d;
  }
  return m;
}

/** A batch of class scores: a non-empty array of rows, all with the same non-zero length. */
export function checkRows(
  op: string,
  name: string,
  rows: readonly (readonly ValueLike[])[],
): number {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new RangeError(`Argument '${name}' passed to '${op}' must be a non-empty array of rows`);
  }
  const numClasses = rows[0].length;
  if (numClasses === 0) throw new RangeError(`${op}: ${name}[0] has no classes`);
  rows.forEach((row, i) => {
    if (row.length !== numClasses) {
      throw new RangeError(
        `${op}: every row of '${name}' must have ${numClasses} classes like ${name}[0], got ${name}[${i}].length=${row.length}`,
      );
    }
  });
  return numClasses;
}

/** Class indices must be integers in [0, numClasses), in PyTorch's words. */
export function checkTargets(op: string, targets: readonly number[], numClasses: number): void {
  for (const t of targets) {
    if (!Number.isInteger(t) || t < 0 || t >= numClasses) {
      throw new RangeError(`${op}: Target ${t} is out of bounds for ${numClasses} classes`);
    }
  }
}
