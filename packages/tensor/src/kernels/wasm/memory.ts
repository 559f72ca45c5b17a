/**
 * The wasm backend's `fill` and `cast`: for arrays living in the kernel memory only. JavaScript's
 * TypedArray `fill` and `set` are several times slower on a SharedArrayBuffer (the shared kernel
 * memory) than on a plain buffer, so tensors stored in wasm memory get wasm loops (wasm/memory.ts);
 * plain arrays keep the js kernels, which are fast on them. Bit-identical to js: the same
 * conversions (float64 → float32 to nearest, int32 → float to nearest, float → int32 as
 * ToInt32(Math.trunc(v))).
 */
import type { TypedArray } from '../../dtype.js';
import { cast as jsCast, fill as jsFill, maskedFill as jsMaskedFill } from '../pointwise.js';
import { place } from './place.js';
import { inWasm, type KernelExports } from './runtime.js';

/** Below this many elements the js loop is as fast as a call into wasm. */
const THRESHOLD = 16;

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);

const typeCode = (array: TypedArray): number =>
  array instanceof Float32Array ? 0 : array instanceof Float64Array ? 1 : 2;

export function makeFill(kernels: KernelExports): typeof jsFill {
  return function fill(out, offset, n, value): void {
    if (n < THRESHOLD || !inWasm(out)) {
      jsFill(out, offset, n, value);
      return;
    }
    const ptr = out.byteOffset + offset * out.BYTES_PER_ELEMENT;
    if (out instanceof Float64Array) kernels.fill64(ptr, n, value);
    else {
      // The element's bit pattern, converted as the typed array would convert `value`.
      if (out instanceof Float32Array) asFloat[0] = value;
      else bits[0] = value;
      kernels.fill32(ptr, n, bits[0]);
    }
  };
}

export function makeCast(kernels: KernelExports): typeof jsCast {
  return function cast(x, xOffset, out, n): void {
    if (n < THRESHOLD || !(inWasm(x) || inWasm(out))) {
      jsCast(x, xOffset, out, n);
      return;
    }
    const { ptrs, finish } = place([
      [x, xOffset, n, 'in'],
      [out, 0, n, 'out'],
    ]);
    kernels.castElements(ptrs[0], typeCode(x), ptrs[1], typeCode(out), n);
    finish();
  };
}

/** maskedFill on float32 values and an int32 mask both in the kernel memory (exact: a copy of `value`). */
export function makeMaskedFill(kernels: KernelExports): typeof jsMaskedFill {
  return function maskedFill(x, mask, n, value, period = n, maskOffset = 0): void {
    if (
      n < THRESHOLD ||
      period <= 0 ||
      !(x instanceof Float32Array && mask instanceof Int32Array && inWasm(x) && inWasm(mask))
    ) {
      jsMaskedFill(x, mask, n, value, period, maskOffset);
      return;
    }
    kernels.maskedFillF32(x.byteOffset, n, mask.byteOffset + maskOffset * 4, period, value);
  };
}
