/**
 * The wasm backend's matmul: the js kernel's signature, float32 operands run by the SIMD kernel in
 * wasm/matmul.ts, everything else delegated to the js kernel (exact float64 accumulation).
 *
 * Operands living in the kernel memory (`allocateInWasm`) are read and written in place. Others are
 * copied — the span of storage the view covers, strides kept — into the scratch arena, and the
 * result is copied out; the arena is reused, so the steady state allocates no memory.
 *
 * NOTE: float32 results are within float32 tolerance of the js kernel, not bit-identical: products
 * are summed in float32 (the js kernel sums in float64 and rounds once), and the relaxed-SIMD build
 * fuses each multiply-add. Exact whenever every partial sum is exactly representable (for instance
 * small integers), as in PyTorch.
 */
import type { TypedArray } from '../../dtype.js';
import { matmulBatched as jsMatmulBatched, matmulKernel } from '../matmul.js';
import { place } from './place.js';
import { allocateBytes, heapF32, inWasm, type KernelExports, scratch } from './runtime.js';
import { parallelMatmul, splitRows } from './threads.js';

const EDGE_BYTES = 128;
const ALIGN = 64;
const alignUp = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** Lowest and highest element index a 2-d view reads: offset + i·s0 + k·s1 over i < n0, k < n1. */
function span(offset: number, n0: number, s0: number, n1: number, s1: number): [number, number] {
  const d0 = (n0 - 1) * s0;
  const d1 = (n1 - 1) * s1;
  return [offset + Math.min(0, d0) + Math.min(0, d1), offset + Math.max(0, d0) + Math.max(0, d1)];
}

const overlaps = (a0: number, a1: number, b0: number, b1: number): boolean => a0 <= b1 && b0 <= a1;

/** Builds the backend's `matmul` over the given kernel instance. */
export function makeMatmul(kernels: KernelExports, relaxed: boolean): typeof matmulKernel {
  return function matmul(
    M: number,
    N: number,
    K: number,
    A: TypedArray,
    aOffset: number,
    aRowStride: number,
    aColStride: number,
    B: TypedArray,
    bOffset: number,
    bRowStride: number,
    bColStride: number,
    C: TypedArray,
    cOffset: number,
    accumulate: boolean,
  ): void {
    if (!(A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array)) {
      matmulKernel(
        M,
        N,
        K,
        A,
        aOffset,
        aRowStride,
        aColStride,
        B,
        bOffset,
        bRowStride,
        bColStride,
        C,
        cOffset,
        accumulate,
      );
      return;
    }
    if (M <= 0 || N <= 0) return;
    // Byte ranges of C, and of A and B when they already live in the kernel memory. Taken before the
    // arena may grow (growth detaches the views of a non-shared memory, not the offsets).
    const cInWasm = inWasm(C);
    const cLo = C.byteOffset + cOffset * 4;
    const cHi = cLo + M * N * 4 - 1;
    const [aFirst, aLast] =
      K > 0 ? span(aOffset, M, aRowStride, K, aColStride) : [aOffset, aOffset];
    const [bFirst, bLast] =
      K > 0 ? span(bOffset, K, bRowStride, N, bColStride) : [bOffset, bOffset];
    // An operand in wasm memory is used in place unless C overlaps it (C is written while A and B
    // are still being packed, block by block).
    const aInPlace =
      inWasm(A) &&
      !(cInWasm && overlaps(A.byteOffset + aFirst * 4, A.byteOffset + aLast * 4 + 3, cLo, cHi));
    const bInPlace =
      inWasm(B) &&
      !(cInWasm && overlaps(B.byteOffset + bFirst * 4, B.byteOffset + bLast * 4 + 3, cLo, cHi));
    // Large products split C's rows over the worker pool (threads.ts): each thread packs into its
    // own buffers.
    const bounds = K > 0 ? splitRows(M, N, K) : null;
    const parts = bounds ? bounds.length - 1 : 1;
    const packA = alignUp(
      kernels.packASize(bounds ? Math.max(...bounds.slice(1).map((e, t) => e - bounds[t])) : M, K) *
        4,
    );
    const packB = alignUp(kernels.packBSize(N, K) * 4);
    const perThread = packA + packB + EDGE_BYTES;
    const aCopy = aInPlace || K === 0 ? 0 : alignUp((aLast - aFirst + 1) * 4);
    const bCopy = bInPlace || K === 0 ? 0 : alignUp((bLast - bFirst + 1) * 4);
    const cCopy = cInWasm ? 0 : alignUp(M * N * 4);
    const base = scratch(perThread * parts + aCopy + bCopy + cCopy);
    const pa = base;
    const pb = pa + packA;
    const edge = pb + packB;
    let at = base + perThread * parts;
    const heap = heapF32();
    let aPtr: number;
    if (aInPlace || K === 0) aPtr = A.byteOffset + aOffset * 4;
    else {
      heap.set(A.subarray(aFirst, aLast + 1), at >> 2);
      aPtr = at + (aOffset - aFirst) * 4;
      at += aCopy;
    }
    let bPtr: number;
    if (bInPlace || K === 0) bPtr = B.byteOffset + bOffset * 4;
    else {
      heap.set(B.subarray(bFirst, bLast + 1), at >> 2);
      bPtr = at + (bOffset - bFirst) * 4;
      at += bCopy;
    }
    const cPtr = cInWasm ? cLo : at;
    if (!cInWasm && accumulate) heap.set(C.subarray(cOffset, cOffset + M * N), cPtr >> 2);
    if (bounds) {
      const buffers: [number, number, number][] = [];
      for (let t = 0; t < parts; t++) {
        const own = base + t * perThread;
        buffers.push([own, own + packA, own + packA + packB]);
      }
      const args = {
        M,
        N,
        K,
        a: aPtr,
        ars: aRowStride,
        acs: aColStride,
        b: bPtr,
        brs: bRowStride,
        bcs: bColStride,
        c: cPtr,
        accumulate: accumulate ? 1 : 0,
      };
      parallelMatmul(kernels, relaxed, args, bounds, buffers);
    } else {
      kernels.matmulF32(
        M,
        N,
        K,
        aPtr,
        aRowStride,
        aColStride,
        bPtr,
        bRowStride,
        bColStride,
        cPtr,
        accumulate ? 1 : 0,
        pa,
        pb,
        edge,
      );
    }
    if (!cInWasm) C.set(heap.subarray(cPtr >> 2, (cPtr >> 2) + M * N), cOffset);
  };
}

/**
 * smallBatchedF32's B panel (at most 64 × 64 floats), kept in the kernel memory between calls. Kept
 * as an address, not a view: without cross-origin isolation the memory is not shared, and growing it
 * detaches every view (a detached view has length 0 and byteOffset 0).
 */
let panelPtr = -1;
const SMALL = 64;
/**
 * Products up to this many multiply-adds take the one-call kernel (4×4 tiles, ~9 GFLOPS), larger
 * ones the packed kernel per entry (~35 GFLOPS plus ~0.5 µs a call). Measured on the transformers'
 * attention: 16×16×16 (makemore) even, 64×64×32 (nanoGPT CPU) twice as fast per entry.
 */
const SMALL_MACS = 16 * 16 * 32;

/** [lowest, highest] element index a batched strided operand reads. */
function batchedSpan(offset: number, sizes: readonly number[], strides: readonly number[]) {
  let lo = offset;
  let hi = offset;
  for (let d = 0; d < sizes.length; d++) {
    const reach = (sizes[d] - 1) * strides[d];
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  return [lo, hi];
}

/**
 * The wasm backend's batched matmul: float32 products with M, N, K ≤ 64 and at most two batch dims
 * run in one call (wasm/matmul.ts's smallBatchedF32; plain operands copied through the arena, so the
 * kernel does not depend on where they live), anything else one `matmul` per batch entry.
 */
export function makeMatmulBatched(
  kernels: KernelExports,
  matmul: typeof matmulKernel,
): typeof jsMatmulBatched {
  return function matmulBatched(
    batch,
    M,
    N,
    K,
    A,
    aOffset,
    aBatch,
    aRow,
    aCol,
    B,
    bOffset,
    bBatch,
    bRow,
    bCol,
    C,
    cOffset,
  ): void {
    const small =
      A instanceof Float32Array &&
      B instanceof Float32Array &&
      C instanceof Float32Array &&
      batch.length <= 2 &&
      M > 0 &&
      N > 0 &&
      K > 0 &&
      M <= SMALL &&
      N <= SMALL &&
      K <= SMALL &&
      M * N * K <= SMALL_MACS;
    if (!small) {
      jsMatmulBatched(
        batch,
        M,
        N,
        K,
        A,
        aOffset,
        aBatch,
        aRow,
        aCol,
        B,
        bOffset,
        bBatch,
        bRow,
        bCol,
        C,
        cOffset,
        matmul,
      );
      return;
    }
    const two = batch.length === 2;
    const [n0, n1] = two ? batch : [1, batch.length === 1 ? batch[0] : 1];
    const [a0, a1] = two ? aBatch : [0, batch.length === 1 ? aBatch[0] : 0];
    const [b0, b1] = two ? bBatch : [0, batch.length === 1 ? bBatch[0] : 0];
    const count = n0 * n1;
    if (count === 0) return;
    if (panelPtr < 0) {
      panelPtr = allocateBytes(SMALL * SMALL * 4, 'the batched matmul panel');
    }
    const [aLo, aHi] = batchedSpan(aOffset, [n0, n1, M, K], [a0, a1, aRow, aCol]);
    const [bLo, bHi] = batchedSpan(bOffset, [n0, n1, K, N], [b0, b1, bRow, bCol]);
    const { ptrs, finish } = place([
      [A, aLo, aHi - aLo + 1, 'in'],
      [B, bLo, bHi - bLo + 1, 'in'],
      [C, cOffset, count * M * N, 'out'],
    ]);
    kernels.smallBatchedF32(
      n0,
      n1,
      M,
      N,
      K,
      ptrs[0] + (aOffset - aLo) * 4,
      a0,
      a1,
      aRow,
      aCol,
      ptrs[1] + (bOffset - bLo) * 4,
      b0,
      b1,
      bRow,
      bCol,
      ptrs[2],
      panelPtr,
    );
    finish();
  };
}
