/**
 * The wasm backend's kernels for nn: in-place updates (gradient accumulation), row gather /
 * scatter-add (embeddings), the fused cross-entropy, SGD and Adam(W), with the js kernels'
 * signatures. Float32 only (other dtypes, and arrays too small to pay for the call — under 256
 * elements, or 32 when every operand lives in the kernel memory — run the js kernels; the kernels
 * whose numbers differ from js switch at 32 wherever the operands live: `tooSmallInexact`).
 *
 * Numbers: `update`, `gatherRows`, `scatterAddRows`, `sgdStep`, `adamStep` and
 * `crossEntropyBackward` are bit-identical to js (float64 arithmetic in js's order, one rounding per
 * store). `crossEntropyForward` computes exp(x − m) in float32 lanes (transcendental.ts: within 1 ulp
 * of Math.exp) and log Σexp with Math.log in JavaScript: per-row losses within 1 ulp + 1.2e-7 of js,
 * the float64 total within 1.2e-7 per counted row (nn.test.ts). softmax and log-softmax likewise.
 *
 * Zero-copy: an operand in the kernel memory (`allocateInWasm`) is used in place and results are
 * written straight into wasm-resident outputs; others go through the scratch arena (place.ts).
 *
 * Threads: with a worker pool, softmax (and its backward) is split by rows and multi-tensor Adam
 * by runs of elements (threads.ts), the same bits as on one thread.
 */
import {
  crossEntropyBackward as jsCrossEntropyBackward,
  crossEntropyForward as jsCrossEntropyForward,
} from '../cross-entropy.js';
import { gatherRows as jsGatherRows, scatterAddRows as jsScatterAddRows } from '../indexing.js';
import {
  adamStep as jsAdamStep,
  type adamStepMulti as jsAdamStepMulti,
  sgdStep as jsSgdStep,
} from '../optim.js';
import { update as jsUpdate, type UpdateOp } from '../pointwise.js';
import { softmax as jsSoftmax, softmaxBackward as jsSoftmaxBackward } from '../softmax.js';
import { type Operand, place, tooSmall, tooSmallInexact } from './place.js';
import {
  allocateInWasm,
  freeInWasm,
  heapF32,
  heapF64,
  heapI32,
  inWasm,
  type KernelExports,
  scratch,
} from './runtime.js';
import { CHUNKS, type KernelCall, parallel, partsFor, splitRuns } from './threads.js';

const UPDATE: Record<UpdateOp, number> = { assign: 0, add: 1, mul: 2, div: 3 };

export function makeUpdate(kernels: KernelExports): typeof jsUpdate {
  return function update(op, t, tOffset, v, vOffset, n, alpha): void {
    if (
      !(t instanceof Float32Array && v instanceof Float32Array) ||
      tooSmall(n, t, v) ||
      // Overlapping but not identical ranges of one buffer: js's element order defines the result.
      (t.buffer === v.buffer &&
        t.byteOffset + tOffset * 4 !== v.byteOffset + vOffset * 4 &&
        Math.abs(t.byteOffset + tOffset * 4 - (v.byteOffset + vOffset * 4)) < n * 4)
    ) {
      jsUpdate(op, t, tOffset, v, vOffset, n, alpha);
      return;
    }
    const { ptrs, finish } = place([
      [t, tOffset, n, op === 'assign' ? 'out' : 'inout'],
      [v, vOffset, n, 'in'],
    ]);
    kernels.updateF32(UPDATE[op], ptrs[0], ptrs[1], n, alpha);
    finish();
  };
}

/** Whether every row index is in [0, limit): the wasm kernels must never touch memory outside. */
function rowsWithin(rows: Int32Array, limit: number): boolean {
  for (let p = 0; p < rows.length; p++) if (!(rows[p] >= 0 && rows[p] < limit)) return false;
  return true;
}

export function makeGatherRows(kernels: KernelExports): typeof jsGatherRows {
  return function gatherRows(src, srcOffset, rows, rowSize, out): void {
    const count = rows.length;
    const srcRows = rowSize > 0 ? Math.floor((src.length - srcOffset) / rowSize) : 0;
    if (
      src.constructor !== out.constructor ||
      tooSmall(count * rowSize, src, out) ||
      // A source outside the kernel memory would be copied in whole to gather a few rows of it
      // (a dataset indexed by a batch): js copies just the rows.
      (!inWasm(src) && srcRows > 2 * count) ||
      !rowsWithin(rows, srcRows)
    ) {
      if (rowSize <= 16 && src.constructor === out.constructor && rowsWithin(rows, srcRows)) {
        // Short rows: an element loop beats a subarray (an allocation) and a set per row.
        for (let p = 0, o = 0; p < count; p++) {
          const from = srcOffset + rows[p] * rowSize;
          for (let c = 0; c < rowSize; c++, o++) out[o] = src[from + c];
        }
        return;
      }
      jsGatherRows(src, srcOffset, rows, rowSize, out);
      return;
    }
    const { ptrs, finish } = place([
      [src, srcOffset, srcRows * rowSize, 'in'],
      [rows, 0, count, 'in'],
      [out, 0, count * rowSize, 'out'],
    ]);
    kernels.gatherRowsBytes(ptrs[0], ptrs[1], count, rowSize * src.BYTES_PER_ELEMENT, ptrs[2]);
    finish();
  };
}

export function makeScatterAddRows(kernels: KernelExports): typeof jsScatterAddRows {
  return function scatterAddRows(src, rows, rowSize, out): void {
    const count = rows.length;
    const outRows = rowSize > 0 ? Math.floor(out.length / rowSize) : 0;
    if (
      !(src instanceof Float32Array && out instanceof Float32Array) ||
      tooSmall(count * rowSize, src, out) ||
      !rowsWithin(rows, outRows)
    ) {
      jsScatterAddRows(src, rows, rowSize, out);
      return;
    }
    const { ptrs, finish } = place([
      [src, 0, count * rowSize, 'in'],
      [rows, 0, count, 'in'],
      [out, 0, outRows * rowSize, 'inout'],
    ]);
    kernels.scatterAddRowsF32(ptrs[0], ptrs[1], count, rowSize, ptrs[2]);
    finish();
  };
}

/**
 * 'bad' when a target is neither `ignoreIndex` nor a class in [0, C) (the js kernel then defines
 * the result; the wasm kernel must not write outside the row), 'some' when some rows are ignored
 * (outputs keep their values there, so they are copied in), else 'none'.
 */
function checkTargets(
  targets: Int32Array,
  rows: number,
  C: number,
  ignoreIndex: number,
): 'bad' | 'some' | 'none' {
  if (targets.length < rows) return 'bad';
  let ignored = false;
  for (let i = 0; i < rows; i++) {
    const t = targets[i];
    if (t === ignoreIndex) ignored = true;
    else if (!(t >= 0 && t < C)) return 'bad';
  }
  return ignored ? 'some' : 'none';
}

/** Per-row float64 statistics (cross-entropy, softmax), kept in the kernel memory between calls. */
let statsAt = 0;
let statsLength = 0;

/**
 * A float64 array of at least `length` elements in the kernel memory, reused across calls. A fresh
 * view each time: growth of a non-shared memory detaches older views.
 */
function rowStats(length: number): Float64Array {
  const heap = heapF64();
  if (statsLength < length) {
    if (statsLength > 0) freeInWasm(new Float64Array(heap.buffer, statsAt, statsLength));
    const array = allocateInWasm('float64', length, { zeroed: false });
    statsAt = array.byteOffset;
    statsLength = length;
    return array as Float64Array;
  }
  return new Float64Array(heap.buffer, statsAt, statsLength);
}

export function makeCrossEntropyForward(kernels: KernelExports): typeof jsCrossEntropyForward {
  return function crossEntropyForward(
    x,
    rows,
    C,
    targets,
    ignoreIndex,
    labelSmoothing,
    saved,
    perRow,
  ) {
    const { expShifted, inverseSum } = saved;
    const check = checkTargets(targets, rows, C, ignoreIndex);
    if (
      !(x instanceof Float32Array && expShifted instanceof Float32Array) ||
      tooSmallInexact(rows * C) ||
      check === 'bad'
    ) {
      return jsCrossEntropyForward(x, rows, C, targets, ignoreIndex, labelSmoothing, saved, perRow);
    }
    const statsArray = rowStats(3 * rows);
    const keep = check === 'some' ? 'inout' : 'out';
    const operands: Operand[] = [
      [x, 0, rows * C, 'in'],
      [targets, 0, rows, 'in'],
      [expShifted, 0, rows * C, keep],
      [inverseSum, 0, rows, keep],
      [statsArray, 0, 3 * rows, 'out'],
    ];
    const { ptrs, finish } = place(operands);
    kernels.crossEntropyRowsF32(ptrs[0], rows, C, ptrs[1], ignoreIndex, ptrs[2], ptrs[3], ptrs[4]);
    finish();
    // The losses, in js's order and precision (Math.log of the float64 sum). x and the targets are
    // read through the memory (a view on a non-shared memory may have been detached by its growth).
    const h = heapF64();
    const s = ptrs[4] >> 3;
    const xs = heapF32();
    const x0 = ptrs[0] >> 2;
    const ts = heapI32();
    const t0 = ptrs[1] >> 2;
    const eps = labelSmoothing;
    let total = 0;
    let count = 0;
    for (let i = 0; i < rows; i++) {
      const t = ts[t0 + i];
      if (t === ignoreIndex) continue;
      const lse = h[s + 3 * i] + Math.log(h[s + 3 * i + 1]);
      let loss = lse - xs[x0 + i * C + t];
      if (eps > 0) loss = (1 - eps) * loss + eps * (lse - h[s + 3 * i + 2] / C);
      if (perRow) perRow[i] = loss;
      total += loss;
      count++;
    }
    return { total, count };
  };
}

export function makeCrossEntropyBackward(kernels: KernelExports): typeof jsCrossEntropyBackward {
  return function crossEntropyBackward(
    dLoss,
    perRow,
    divisor,
    rows,
    C,
    targets,
    ignoreIndex,
    labelSmoothing,
    saved,
    dx,
  ): void {
    const { expShifted, inverseSum } = saved;
    const check = checkTargets(targets, rows, C, ignoreIndex);
    if (
      !(dx instanceof Float32Array && expShifted instanceof Float32Array) ||
      tooSmall(rows * C, dx, expShifted) ||
      (perRow && !(dLoss instanceof Float32Array)) ||
      check === 'bad'
    ) {
      jsCrossEntropyBackward(
        dLoss,
        perRow,
        divisor,
        rows,
        C,
        targets,
        ignoreIndex,
        labelSmoothing,
        saved,
        dx,
      );
      return;
    }
    const shared = perRow ? 0 : divisor === 1 ? dLoss[0] : dLoss[0] / divisor;
    const { ptrs, finish } = place([
      [dLoss, 0, perRow ? rows : 0, 'in'],
      [targets, 0, rows, 'in'],
      [expShifted, 0, rows * C, 'in'],
      [inverseSum, 0, rows, 'in'],
      [dx, 0, rows * C, check === 'some' ? 'inout' : 'out'],
    ]);
    kernels.crossEntropyBackwardF32(
      ptrs[0],
      perRow ? 1 : 0,
      shared,
      rows,
      C,
      ptrs[1],
      ignoreIndex,
      labelSmoothing / C,
      1 - labelSmoothing,
      ptrs[2],
      ptrs[3],
      ptrs[4],
    );
    finish();
  };
}

export function makeSgdStep(kernels: KernelExports): typeof jsSgdStep {
  return function sgdStep(w, dw, buffer, n, hyper, first): void {
    const momentum = hyper.momentum !== 0 && buffer !== null;
    if (
      !(w instanceof Float32Array && dw instanceof Float32Array) ||
      tooSmall(n, w, dw) ||
      (momentum && !(buffer instanceof Float32Array))
    ) {
      jsSgdStep(w, dw, buffer, n, hyper, first);
      return;
    }
    const operands: Operand[] = [
      [w, 0, n, 'inout'],
      [dw, 0, n, 'in'],
    ];
    if (momentum) operands.push([buffer as Float32Array, 0, n, first ? 'out' : 'inout']);
    const { ptrs, finish } = place(operands);
    kernels.sgdF32(
      ptrs[0],
      ptrs[1],
      momentum ? ptrs[2] : 0,
      n,
      hyper.lr,
      hyper.momentum,
      hyper.dampening,
      hyper.weightDecay,
      hyper.nesterov ? 1 : 0,
      first ? 1 : 0,
    );
    finish();
  };
}

export function makeAdamStep(kernels: KernelExports): typeof jsAdamStep {
  return function adamStep(w, dw, m, v, n, hyper): void {
    if (
      !(
        w instanceof Float32Array &&
        dw instanceof Float32Array &&
        m instanceof Float32Array &&
        v instanceof Float32Array
      ) ||
      tooSmall(n, w, dw, m, v)
    ) {
      jsAdamStep(w, dw, m, v, n, hyper);
      return;
    }
    // The per-step constants exactly as the js kernel forms them.
    const { lr, beta1, beta2, eps, weightDecay, decoupled, step: t } = hyper;
    const stepSize = lr / (1 - beta1 ** t);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
    const decay = decoupled ? 1 - lr * weightDecay : 1;
    const l2 = decoupled ? 0 : weightDecay;
    const { ptrs, finish } = place([
      [w, 0, n, 'inout'],
      [dw, 0, n, 'in'],
      [m, 0, n, 'inout'],
      [v, 0, n, 'inout'],
    ]);
    kernels.adamF32(
      ptrs[0],
      ptrs[1],
      ptrs[2],
      ptrs[3],
      n,
      beta1,
      beta2,
      eps,
      stepSize,
      bias2Sqrt,
      decay,
      l2,
      decoupled ? 1 : 0,
    );
    finish();
  };
}

/**
 * Multi-tensor Adam: every tensor for which `adamStep` would run the wasm kernel in place (float32,
 * all four arrays in the kernel memory, not `tooSmall`) goes into one `adamMultiF32` call (a table of
 * pointers in the scratch arena); the others take `adamStep`'s own path. Same numbers as one
 * `adamStep` per tensor, since each tensor gets the very kernel it would get alone.
 */
export function makeAdamStepMulti(
  kernels: KernelExports,
  adamStep: typeof jsAdamStep,
): typeof jsAdamStepMulti {
  return function adamStepMulti(tensors, hyper): void {
    const resident: number[] = [];
    for (const t of tensors) {
      const { w, dw, m, v, n } = t;
      const inPlace =
        w instanceof Float32Array &&
        dw instanceof Float32Array &&
        m instanceof Float32Array &&
        v instanceof Float32Array &&
        !tooSmall(n, w, dw, m, v) &&
        inWasm(w) &&
        inWasm(dw) &&
        inWasm(m) &&
        inWasm(v);
      if (!inPlace) {
        adamStep(w, dw, m, v, n, hyper);
        continue;
      }
      resident.push(w.byteOffset, dw.byteOffset, m.byteOffset, v.byteOffset, n);
    }
    if (resident.length === 0) return;
    const { lr, beta1, beta2, eps, weightDecay, decoupled, step: t } = hyper;
    const stepSize = lr / (1 - beta1 ** t);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** t);
    const decay = decoupled ? 1 - lr * weightDecay : 1;
    const l2 = decoupled ? 0 : weightDecay;
    const constants = [beta1, beta2, eps, stepSize, bias2Sqrt, decay, l2, decoupled ? 1 : 0];
    let total = 0;
    for (let e = 4; e < resident.length; e += 5) total += resident[e];
    // The elements of all tensors, end to end, cut into equal runs (at multiples of 64 elements
    // of a tensor): one table of (w, dw, m, v, n) slices per run (one run: `resident` itself).
    // With a pool, CHUNKS tables (calls) per part, so a late worker's part can be shared out.
    const parts = partsFor(kernels, total * ADAM_WEIGHT, 'elements');
    const chunks = parts === 1 ? 1 : CHUNKS;
    const tables = adamSlices(resident, total, parts * chunks);
    const base = scratch(tables.reduce((sum, table) => sum + table.length * 4, 0));
    const heap = heapI32();
    let at = base;
    const calls: KernelCall[] = [];
    for (const table of tables) {
      heap.set(table, at >> 2);
      calls.push({ kernel: 'adamMultiF32', args: [at, table.length / 5, ...constants] });
      at += table.length * 4;
    }
    parallel(
      kernels,
      Array.from({ length: parts }, (_, t) => calls.slice(t * chunks, (t + 1) * chunks)),
    );
  };
}

/**
 * Relative cost per element of Adam (threads.ts's `minElements` unit, an add or a relu = 1): four
 * arrays read, three written, a square root and a division in float64 per element.
 */
const ADAM_WEIGHT = 4;

/**
 * `parts` tables of (w, dw, m, v, n) entries covering the tensors of `resident` (the same layout)
 * in order, with `total` elements cut into near-equal runs; a cut inside a tensor falls at a
 * multiple of 64 of its elements.
 */
function adamSlices(resident: readonly number[], total: number, parts: number): number[][] {
  const tables: number[][] = [];
  let tensor = 0;
  let offset = 0; // elements of `tensor` already handed out
  let before = 0; // elements of the tensors before `tensor`
  for (let t = 1; t <= parts; t++) {
    const table: number[] = [];
    const goal = t === parts ? total : Math.round((total * t) / parts);
    while (tensor < resident.length / 5) {
      const e = tensor * 5;
      const n = resident[e + 4];
      let end = n;
      if (before + n > goal)
        end = Math.max(offset, Math.min(n, Math.round((goal - before) / 64) * 64));
      if (end > offset) {
        const bytes = offset * 4;
        table.push(
          resident[e] + bytes,
          resident[e + 1] + bytes,
          resident[e + 2] + bytes,
          resident[e + 3] + bytes,
          end - offset,
        );
      }
      if (end < n) {
        offset = end;
        break;
      }
      tensor++;
      offset = 0;
      before += n;
    }
    tables.push(table);
  }
  return tables;
}

/**
 * Relative cost per element (threads.ts's `minElements` unit, an add or a relu = 1) of the softmax
 * kernels. Measured (relaxed SIMD, rows of 32): 3.5 and 1.4 ns per element against ~0.25 for a
 * relu; 2 threads gained 1.9× from 16,384 elements, nothing at 4,096 (softmax) and 8,192 (backward).
 */
const SOFTMAX_WEIGHT = 4;
const SOFTMAX_BACKWARD_WEIGHT = 2;

/**
 * softmax / log-softmax over the last dimension (inner = 1) of float32 rows; other layouts and
 * dtypes run the js kernel. The exps are wasm's float32-lane exp and log Σexp its float64-lane log
 * (transcendental.ts), sums in float64 over four lanes: within 1 ulp of float32 per exp, so softmax
 * is within a few ulp of js and log-softmax within a few ulp of float32's absolute precision at
 * log Σexp (as PyTorch's own vectorized kernels; tested in nn.test.ts and backend-diff.test.ts).
 */
export function makeSoftmax(kernels: KernelExports): typeof jsSoftmax {
  return function softmax(x, xOffset, out, outer, size, inner, log): void {
    const n = outer * size;
    if (
      inner !== 1 ||
      !(x instanceof Float32Array && out instanceof Float32Array) ||
      tooSmallInexact(n)
    ) {
      jsSoftmax(x, xOffset, out, outer, size, inner, log);
      return;
    }
    const statsArray = rowStats(2 * outer);
    const { ptrs, finish } = place([
      [x, xOffset, n, 'in'],
      [out, 0, n, 'out'],
      [statsArray, 0, 2 * outer, 'out'],
    ]);
    const parts = Math.min(outer, partsFor(kernels, n * SOFTMAX_WEIGHT, 'elements'));
    splitRuns(kernels, outer, parts, 1, (r, rows) => {
      const at = r * size * 4;
      return {
        kernel: 'softmaxRowsF32',
        args: [ptrs[0] + at, rows, size, ptrs[1] + at, log ? 1 : 0, ptrs[2] + r * 16],
      };
    });
    finish();
  };
}

/**
 * The backward of `makeSoftmax`'s kernel (inner = 1, float32): bit-identical to js for softmax;
 * log-softmax's exp(y) is the float32-lane exp (within 1 ulp).
 */
export function makeSoftmaxBackward(kernels: KernelExports): typeof jsSoftmaxBackward {
  return function softmaxBackward(dy, y, dx, outer, size, inner, log): void {
    const n = outer * size;
    if (
      inner !== 1 ||
      !(dy instanceof Float32Array && y instanceof Float32Array && dx instanceof Float32Array) ||
      tooSmallInexact(n)
    ) {
      jsSoftmaxBackward(dy, y, dx, outer, size, inner, log);
      return;
    }
    const { ptrs, finish } = place([
      [dy, 0, n, 'in'],
      [y, 0, n, 'in'],
      [dx, 0, n, 'out'],
    ]);
    const parts = Math.min(outer, partsFor(kernels, n * SOFTMAX_BACKWARD_WEIGHT, 'elements'));
    splitRuns(kernels, outer, parts, 1, (r, rows) => {
      const at = r * size * 4;
      return {
        kernel: 'softmaxBackwardRowsF32',
        args: [ptrs[0] + at, ptrs[1] + at, ptrs[2] + at, rows, size, log ? 1 : 0],
      };
    });
    finish();
  };
}
