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
import { cuts, type KernelCall, parallel, partsFor, splitGrid, splitRows } from './threads.js';

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
export function makeMatmul(kernels: KernelExports): typeof matmulKernel {
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
    const rows = bounds ? Math.max(...bounds.slice(1).map((end, t) => end - bounds[t])) : M;
    const packA = alignUp(kernels.packASize(rows, K) * 4);
    const packB = alignUp(kernels.packBSize(N, K) * 4);
    const perThread = packA + packB + EDGE_BYTES;
    const aCopy = aInPlace || K === 0 ? 0 : alignUp((aLast - aFirst + 1) * 4);
    const bCopy = bInPlace || K === 0 ? 0 : alignUp((bLast - bFirst + 1) * 4);
    const cCopy = cInWasm ? 0 : alignUp(M * N * 4);
    const base = scratch(perThread * parts + aCopy + bCopy + cCopy);
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
      // Thread t: rows bounds[t] … bounds[t + 1] − 1 of C, packed into its own buffers.
      const calls = bounds.slice(1).map((end, t): KernelCall[] => {
        const own = base + t * perThread;
        const first = bounds[t];
        const a = [end - first, N, K, aPtr + first * aRowStride * 4, aRowStride, aColStride];
        const b = [bPtr, bRowStride, bColStride, cPtr + first * N * 4, accumulate ? 1 : 0];
        return [{ kernel: 'matmulF32', args: [...a, ...b, own, own + packA, own + packA + packB] }];
      });
      parallel(kernels, calls);
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
        base,
        base + packA,
        base + packA + packB,
      );
    }
    if (!cInWasm) C.set(heap.subarray(cPtr >> 2, (cPtr >> 2) + M * N), cOffset);
  };
}

/**
 * Per thread: smallBatchedF32's B panel (at most 64 × 64 floats), and the packing buffers of the
 * per-entry products of a batch split over the pool, kept in the kernel memory between calls. Kept
 * as addresses, not views: without cross-origin isolation the memory is not shared, and growing it
 * detaches every view (a detached view has length 0 and byteOffset 0).
 */
const panels: number[] = [];
const packs: { at: number; bytes: number }[] = [];
const SMALL = 64;
/**
 * Products up to this many multiply-adds take the one-call kernel (4×4 tiles, ~9 GFLOPS), larger
 * ones the packed kernel per entry (~35 GFLOPS plus ~0.5 µs a call). Measured on the transformers'
 * attention: 16×16×16 (makemore) even, 64×64×32 (nanoGPT CPU) twice as fast per entry.
 */
const SMALL_MACS = 16 * 16 * 32;
/**
 * The batch's work in the pool's `minMacs` unit: the one-call kernel's multiply-add costs about
 * four of the packed kernel's, and a packed product about 0.5 µs (~2¹⁴ multiply-adds) of calls.
 */
const SMALL_WEIGHT = 4;
const ENTRY_MACS = 1 << 14;

function panel(t: number): number {
  while (panels.length <= t)
    panels.push(allocateBytes(SMALL * SMALL * 4, 'the batched matmul panel'));
  return panels[t];
}

function packBuffer(t: number, bytes: number): number {
  while (packs.length <= t) packs.push({ at: 0, bytes: 0 });
  const pack = packs[t];
  if (pack.bytes < bytes) {
    pack.bytes = Math.max(bytes, pack.bytes * 2);
    pack.at = allocateBytes(pack.bytes, 'the batched matmul packing buffers');
  }
  return pack.at;
}

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
 * kernel does not depend on where they live), anything else one `matmul` per batch entry. With a
 * worker pool, a large enough batch is split by entries over the threads, each entry computed by
 * one thread with the kernel it gets on one thread: the same bits.
 */
export function makeMatmulBatched(
  kernels: KernelExports,
  matmul: typeof matmulKernel,
): typeof jsMatmulBatched {
  return function matmulBatched(...args: Parameters<typeof jsMatmulBatched>): void {
    const [batch, M, N, K, A, aOffset, aBatch, aRow, aCol, B, bOffset, bBatch, bRow, bCol, C] =
      args;
    const cOffset = args[15];
    args[16] = matmul; // js's loop over the entries runs this backend's product per entry
    const f32 = A instanceof Float32Array && B instanceof Float32Array && C instanceof Float32Array;
    let count = 1;
    for (const size of batch) count *= size;
    if (!f32 || M <= 0 || N <= 0 || K <= 0 || count === 0) {
      jsMatmulBatched(...args);
      return;
    }
    const small = batch.length <= 2 && M <= SMALL && N <= SMALL && K <= SMALL;
    if (!small || M * N * K > SMALL_MACS) {
      const macs = count * (M * N * K + ENTRY_MACS);
      const parts = Math.min(count, partsFor(kernels, macs, 'macs'));
      // C overlapping a resident A or B would be written while they are read: serially, as js.
      const [aLo, aHi] = batchedSpan(aOffset, [...batch, M, K], [...aBatch, aRow, aCol]);
      const [bLo, bHi] = batchedSpan(bOffset, [...batch, K, N], [...bBatch, bRow, bCol]);
      const [cLo, cHi] = [C.byteOffset + cOffset * 4, C.byteOffset + (cOffset + count * M * N) * 4];
      const clash = (X: TypedArray, lo: number, hi: number) =>
        inWasm(X) &&
        inWasm(C) &&
        overlaps(X.byteOffset + lo * 4, X.byteOffset + hi * 4 + 3, cLo, cHi - 1);
      if (parts === 1 || clash(A, aLo, aHi) || clash(B, bLo, bHi)) {
        jsMatmulBatched(...args);
        return;
      }
      // One packed product per entry, as `matmul` computes it on one thread.
      const packA = alignUp(kernels.packASize(M, K) * 4);
      const packB = alignUp(kernels.packBSize(N, K) * 4);
      const own: number[] = [];
      for (let t = 0; t < parts; t++) own.push(packBuffer(t, packA + packB + EDGE_BYTES));
      const { ptrs, finish } = place([
        [A, aLo, aHi - aLo + 1, 'in'],
        [B, bLo, bHi - bLo + 1, 'in'],
        [C, cOffset, count * M * N, 'out'],
      ]);
      const at = cuts(count, 1, parts, 1);
      const calls: KernelCall[][] = at.slice(1).map(() => []);
      const index = new Array<number>(batch.length).fill(0);
      let aAt = aOffset;
      let bAt = bOffset;
      for (let e = 0, t = 0; e < count; e++) {
        if (e === at[t + 1]) t++;
        const pa = own[t];
        const a = [M, N, K, ptrs[0] + (aAt - aLo) * 4, aRow, aCol, ptrs[1] + (bAt - bLo) * 4];
        const b = [bRow, bCol, ptrs[2] + e * M * N * 4, 0, pa, pa + packA, pa + packA + packB];
        calls[t].push({ kernel: 'matmulF32', args: [...a, ...b] });
        // The next entry's offsets: the batch index counts up, last dim fastest (as js).
        for (let d = batch.length - 1; d >= 0; d--) {
          index[d]++;
          aAt += aBatch[d];
          bAt += bBatch[d];
          if (index[d] < batch[d]) break;
          aAt -= aBatch[d] * batch[d];
          bAt -= bBatch[d] * batch[d];
          index[d] = 0;
        }
      }
      parallel(kernels, calls, { sharedScratch: true }); // a part's entries share its buffers
      finish();
      return;
    }
    const two = batch.length === 2;
    const [n0, n1] = two ? batch : [1, batch.length === 1 ? batch[0] : 1];
    const [a0, a1] = two ? aBatch : [0, batch.length === 1 ? aBatch[0] : 0];
    const [b0, b1] = two ? bBatch : [0, batch.length === 1 ? bBatch[0] : 0];
    const parts = Math.min(count, partsFor(kernels, count * M * N * K * SMALL_WEIGHT, 'macs'));
    const own: number[] = [];
    for (let t = 0; t < parts; t++) own.push(panel(t)); // before place(): it may grow the memory
    const [aLo, aHi] = batchedSpan(aOffset, [n0, n1, M, K], [a0, a1, aRow, aCol]);
    const [bLo, bHi] = batchedSpan(bOffset, [n0, n1, K, N], [b0, b1, bRow, bCol]);
    const { ptrs, finish } = place([
      [A, aLo, aHi - aLo + 1, 'in'],
      [B, bLo, bHi - bLo + 1, 'in'],
      [C, cOffset, count * M * N, 'out'],
    ]);
    const a = ptrs[0] + (aOffset - aLo) * 4;
    const b = ptrs[1] + (bOffset - bLo) * 4;
    // Entries (i0, i1) flattened and cut into equal runs; a run is up to three calls (a partial
    // first row of i1, whole rows, a partial last row), each entry computed as on one thread.
    splitGrid(
      kernels,
      n0,
      n1,
      parts,
      1,
      (i0, i1, rows, cols, part) => {
        const aArgs = [a + (i0 * a0 + i1 * a1) * 4, a0, a1, aRow, aCol];
        const bArgs = [b + (i0 * b0 + i1 * b1) * 4, b0, b1, bRow, bCol];
        const cArgs = [ptrs[2] + (i0 * n1 + i1) * M * N * 4, own[part]];
        return {
          kernel: 'smallBatchedF32',
          args: [rows, cols, M, N, K, ...aArgs, ...bArgs, ...cArgs],
        };
      },
      { sharedScratch: true },
    ); // a part's calls share its B panel
    finish();
  };
}
