/**
 * The wasm backend's strided copies (`contiguous()`, broadcast masks, slice and split backwards):
 * 4-byte elements (float32, int32) with both arrays in the kernel memory run wasm/strided.ts — bits
 * copied, so the same values as js; anything else runs the js kernels. With a worker pool a large
 * gather is split along its outermost dim (threads.ts); scatters stay on one thread (a view may
 * write one element twice, and the last write must win as on one thread).
 */
import type { TypedArray } from '../../dtype.js';
import {
  gatherStrided as jsGatherStrided,
  scatterStrided as jsScatterStrided,
} from '../elementwise.js';
import { RESIDENT_THRESHOLD } from './place.js';
import { inWasm, type KernelExports } from './runtime.js';
import { partsFor, splitRuns } from './threads.js';

/**
 * The view's dims without size-1 dims, adjacent dims merged where one steps over the other whole,
 * padded in front to four: [n0, n1, n2, n3, s0, s1, s2, s3], or null beyond four dims.
 */
function fourDims(shape: readonly number[], strides: readonly number[]): number[] | null {
  const sizes: number[] = [];
  const steps: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = sizes.length - 1;
    if (last >= 0 && steps[last] === strides[d] * shape[d]) {
      sizes[last] *= shape[d];
      steps[last] = strides[d];
    } else {
      sizes.push(shape[d]);
      steps.push(strides[d]);
    }
  }
  if (sizes.length > 4) return null;
  while (sizes.length < 4) {
    sizes.unshift(1);
    steps.unshift(0);
  }
  return [...sizes, ...steps];
}

function eligible(a: TypedArray, b: TypedArray, shape: readonly number[]): boolean {
  if (a.BYTES_PER_ELEMENT !== 4 || a.constructor !== b.constructor) return false;
  let n = 1;
  for (const size of shape) n *= size;
  return n >= RESIDENT_THRESHOLD && inWasm(a) && inWasm(b);
}

/** `gatherStrided` over wasm/strided.ts's gather32 where it applies, else the js kernel. */
export function makeGatherStrided(kernels: KernelExports): typeof jsGatherStrided {
  return function gatherStrided(x, offset, strides, shape, out): void {
    const dims = eligible(x, out, shape) ? fourDims(shape, strides) : null;
    if (dims === null) {
      jsGatherStrided(x, offset, strides, shape, out);
      return;
    }
    const [n0, n1, n2, n3, s0, s1, s2, s3] = dims;
    // Split along the outermost dim of more than one element (the innermost in runs of 64): every
    // element copied once, by one thread.
    const d = Math.max(
      0,
      dims.findIndex((size, i) => i < 4 && size > 1),
    );
    const parts = Math.min(dims[d], partsFor(kernels, n0 * n1 * n2 * n3, 'elements'));
    let block = 1; // output elements per step along dim d
    for (let i = d + 1; i < 4; i++) block *= dims[i];
    splitRuns(kernels, dims[d], parts, d === 3 ? 64 : 1, (first, count) => {
      const sizes = dims.slice(0, 4);
      sizes[d] = count;
      const from = x.byteOffset + (offset + first * dims[4 + d]) * 4;
      return {
        kernel: 'gather32',
        args: [from, ...sizes, s0, s1, s2, s3, out.byteOffset + first * block * 4],
      };
    });
  };
}

/** `scatterStrided` over wasm/strided.ts's scatter32 where it applies, else the js kernel. */
export function makeScatterStrided(kernels: KernelExports): typeof jsScatterStrided {
  return function scatterStrided(src, x, offset, strides, shape): void {
    const dims = eligible(src, x, shape) ? fourDims(shape, strides) : null;
    if (dims === null) {
      jsScatterStrided(src, x, offset, strides, shape);
      return;
    }
    const [n0, n1, n2, n3, s0, s1, s2, s3] = dims;
    kernels.scatter32(src.byteOffset, x.byteOffset + offset * 4, n0, n1, n2, n3, s0, s1, s2, s3);
  };
}
