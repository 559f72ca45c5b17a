/**
 * Operand placement for the wasm kernels: an array already in the kernel memory (`allocateInWasm`,
 * checked by `.buffer === memory.buffer`) is passed by its byte offset — zero copies, results written
 * straight into it; any other typed array gets a slot in the scratch arena, copied in before the
 * call (inputs) and out after it (outputs).
 */
import type { TypedArray } from '../../dtype.js';
import { heapLike, inWasm, scratch } from './runtime.js';

/** How the kernel uses an operand: read it, write it, or both. */
export type Use = 'in' | 'out' | 'inout';

/** [array, first element, element count, use]. */
export type Operand = [TypedArray, number, number, Use];

/** Below this many elements the js loop beats a call into wasm with copies in and out. */
export const ELEMENTWISE_THRESHOLD = 256;
/**
 * The same for operands that all live in the kernel memory (no copies): js loops over a
 * SharedArrayBuffer run ~4 ns per element, a wasm call costs ~100 ns.
 */
export const RESIDENT_THRESHOLD = 32;

/** Whether `n` elements are too few for the wasm kernel, given where the operands live. */
export function tooSmall(n: number, ...arrays: TypedArray[]): boolean {
  if (n >= ELEMENTWISE_THRESHOLD) return false;
  if (n < RESIDENT_THRESHOLD) return true;
  for (const array of arrays) if (!inWasm(array)) return true;
  return false;
}

/**
 * `tooSmall` for kernels whose wasm numbers differ from js's in the last bit (tanh, exp, log,
 * sigmoid, softmax, cross-entropy): the choice must not depend on where the operands live, or a
 * captured step (its tensors in the kernel memory) and the same step run eagerly (plain arrays)
 * would pick different kernels and differ. Below `RESIDENT_THRESHOLD` both run js; above, wasm
 * (plain operands copied in and out).
 */
export function tooSmallInexact(n: number): boolean {
  return n < RESIDENT_THRESHOLD;
}

const ALIGN = 64;
const alignUp = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/**
 * Byte pointers of the operands, in order, and `finish()` to copy the outputs back. Pointers of
 * wasm-resident operands are taken before the scratch arena may grow the memory (growth of a
 * non-shared memory detaches views, not offsets).
 */
export function place(operands: readonly Operand[]): { ptrs: number[]; finish: () => void } {
  const count = operands.length;
  const ptrs = new Array<number>(count);
  const copied = new Array<boolean>(count).fill(false);
  let bytes = 0;
  let copies = false;
  for (let i = 0; i < count; i++) {
    const [array, first, n] = operands[i];
    if (inWasm(array)) ptrs[i] = array.byteOffset + first * array.BYTES_PER_ELEMENT;
    else {
      ptrs[i] = -1;
      bytes += alignUp(n * array.BYTES_PER_ELEMENT);
      copies = true;
    }
  }
  if (!copies) return { ptrs, finish: noCopies };
  let at = scratch(bytes);
  for (let i = 0; i < count; i++) {
    if (ptrs[i] !== -1) continue;
    const [array, first, n, use] = operands[i];
    ptrs[i] = at;
    copied[i] = true;
    if (use !== 'out' && n > 0) {
      const shift = array.BYTES_PER_ELEMENT === 8 ? 3 : 2;
      heapLike(array).set(array.subarray(first, first + n), at >> shift);
    }
    at += alignUp(n * array.BYTES_PER_ELEMENT);
  }
  const finish = (): void => {
    for (let i = 0; i < count; i++) {
      const [array, first, n, use] = operands[i];
      // Decided before the call: a resident view may since have been detached by memory growth.
      if (use === 'in' || n === 0 || !copied[i]) continue;
      const shift = array.BYTES_PER_ELEMENT === 8 ? 3 : 2;
      const start = ptrs[i] >> shift;
      array.set(heapLike(array).subarray(start, start + n), first);
    }
  };
  return { ptrs, finish };
}

function noCopies(): void {}
